CREATE TYPE "public"."domain_join_mode" AS ENUM('auto', 'approval');--> statement-breakpoint
CREATE TABLE "identity_provider_tests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"issuer" text NOT NULL,
	"client_id" text NOT NULL,
	"client_secret_encrypted" text NOT NULL,
	"email_domains" text[] DEFAULT '{}'::text[] NOT NULL,
	"state" text,
	"nonce" text,
	"code_verifier_encrypted" text,
	"outcome" text,
	"message" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "join_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"email" text NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"sso_subject" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "verified_domains" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"domain" text NOT NULL,
	"token" text NOT NULL,
	"verified_at" timestamp with time zone,
	"join_mode" "domain_join_mode" DEFAULT 'approval' NOT NULL,
	"default_role" text DEFAULT 'member' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "identity_provider_tests" ADD CONSTRAINT "identity_provider_tests_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity_provider_tests" ADD CONSTRAINT "identity_provider_tests_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "join_requests" ADD CONSTRAINT "join_requests_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "verified_domains" ADD CONSTRAINT "verified_domains_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "join_requests_account_subject_unique" ON "join_requests" USING btree ("account_id","sso_subject");--> statement-breakpoint
CREATE INDEX "join_requests_account_idx" ON "join_requests" USING btree ("account_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "verified_domains_account_domain_unique" ON "verified_domains" USING btree ("account_id","domain");--> statement-breakpoint
CREATE UNIQUE INDEX "verified_domains_verified_unique" ON "verified_domains" USING btree ("domain") WHERE "verified_domains"."verified_at" is not null;--> statement-breakpoint
-- B5: domains an operator gave `npm run configure` keep letting people in: the operator
-- vouched for them, so they start verified, joining as Members (as before).
INSERT INTO "verified_domains" ("account_id", "domain", "token", "verified_at", "join_mode", "default_role")
SELECT "account_id", lower("domain"), replace(gen_random_uuid()::text, '-', ''), now(), 'auto', 'member'
FROM "identity_providers", unnest("email_domains") AS "domain"
ON CONFLICT DO NOTHING;--> statement-breakpoint
-- The permission "integrations.manage" is now "connections.manage" (B5).
UPDATE "custom_roles" SET "permissions" = array_replace("permissions", 'integrations.manage', 'connections.manage') WHERE 'integrations.manage' = ANY("permissions");
