ALTER TABLE "step_up_challenges" ADD COLUMN "action_label" text;--> statement-breakpoint
ALTER TABLE "step_up_challenges" ADD COLUMN "session_hash" text;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "scopes" text[] DEFAULT '{}' NOT NULL;