ALTER TABLE "access_rules" DROP CONSTRAINT "access_rules_one_role";--> statement-breakpoint
DROP INDEX "app_subscriptions_user_app_unique";--> statement-breakpoint
ALTER TABLE "app_subscriptions" ADD COLUMN "rule_id" uuid;--> statement-breakpoint
ALTER TABLE "access_rules" ADD COLUMN "app_role_id" uuid;--> statement-breakpoint
ALTER TABLE "app_subscriptions" ADD CONSTRAINT "app_subscriptions_rule_id_access_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."access_rules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_rules" ADD CONSTRAINT "access_rules_app_role_id_app_roles_id_fk" FOREIGN KEY ("app_role_id") REFERENCES "public"."app_roles"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "app_subscriptions_user_app_rule_unique" ON "app_subscriptions" USING btree ("user_id","application_id",coalesce("rule_id", '00000000-0000-0000-0000-000000000000'::uuid));--> statement-breakpoint
CREATE INDEX "app_subscriptions_rule_idx" ON "app_subscriptions" USING btree ("rule_id","user_id") WHERE "app_subscriptions"."rule_id" is not null;--> statement-breakpoint
ALTER TABLE "access_rules" ADD CONSTRAINT "access_rules_one_grant" CHECK (num_nonnulls("access_rules"."role_key", "access_rules"."custom_role_id", "access_rules"."app_role_id") = 1 and ("access_rules"."app_role_id" is null or "access_rules"."unit_id" is null));