ALTER TABLE "players" ADD COLUMN "effects_ticked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "players" ADD COLUMN "stamina_ticked_at" timestamp with time zone;