CREATE TABLE "game_instance" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"singleton" boolean DEFAULT true NOT NULL,
	CONSTRAINT "game_instance_one_row" UNIQUE("singleton"),
	CONSTRAINT "game_instance_singleton" CHECK ("game_instance"."singleton")
);
--> statement-breakpoint
INSERT INTO "game_instance" DEFAULT VALUES;
