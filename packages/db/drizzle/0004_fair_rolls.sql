CREATE TABLE "world_tick_runs" (
	"task" text NOT NULL,
	"slot" timestamp with time zone NOT NULL,
	"done_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "world_tick_runs_task_slot_pk" PRIMARY KEY("task","slot")
);
--> statement-breakpoint
ALTER TABLE "active_combats" ADD COLUMN "seed" "bytea" DEFAULT decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex') NOT NULL;--> statement-breakpoint
ALTER TABLE "game_instance" ADD COLUMN "secret" "bytea" DEFAULT decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex') NOT NULL;