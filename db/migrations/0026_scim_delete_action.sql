ALTER TABLE "accounts" ADD COLUMN "scim_delete_action" text DEFAULT 'disable' NOT NULL;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_scim_delete_action_check" CHECK ("scim_delete_action" in ('disable', 'anonymise'));
