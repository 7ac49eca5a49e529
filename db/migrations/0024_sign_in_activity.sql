CREATE TABLE "sign_in_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"account_id" uuid,
	"user_id" uuid,
	"email" text,
	"result" text NOT NULL,
	"method" text NOT NULL,
	"detail" text,
	"ip" text,
	"user_agent" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "two_factor_snapshots" (
	"account_id" uuid NOT NULL,
	"day" date NOT NULL,
	"members" integer NOT NULL,
	"with_two_factor" integer NOT NULL,
	CONSTRAINT "two_factor_snapshots_account_id_day_pk" PRIMARY KEY("account_id","day")
);
--> statement-breakpoint
ALTER TABLE "sign_in_grants" ADD COLUMN "method" text DEFAULT 'password' NOT NULL;--> statement-breakpoint
ALTER TABLE "sign_in_attempts" ADD CONSTRAINT "sign_in_attempts_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sign_in_attempts" ADD CONSTRAINT "sign_in_attempts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "two_factor_snapshots" ADD CONSTRAINT "two_factor_snapshots_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sign_in_attempts_account_created_idx" ON "sign_in_attempts" USING btree ("account_id","created_at","id");--> statement-breakpoint
CREATE INDEX "sign_in_attempts_user_created_idx" ON "sign_in_attempts" USING btree ("user_id","created_at","id");--> statement-breakpoint
CREATE INDEX "sign_in_attempts_account_failed_idx" ON "sign_in_attempts" USING btree ("account_id","created_at","id") WHERE "sign_in_attempts"."result" <> 'success';--> statement-breakpoint
CREATE INDEX "sign_in_attempts_account_method_idx" ON "sign_in_attempts" USING btree ("account_id","method","created_at","id");--> statement-breakpoint
CREATE INDEX "sign_in_attempts_account_email_idx" ON "sign_in_attempts" USING btree ("account_id","email","created_at","id");