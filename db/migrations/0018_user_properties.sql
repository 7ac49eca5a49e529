CREATE TABLE "access_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"name" text NOT NULL,
	"property_id" uuid NOT NULL,
	"value" text NOT NULL,
	"role_key" text,
	"custom_role_id" uuid,
	"unit_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "access_rules_one_role" CHECK (("access_rules"."role_key" is null) <> ("access_rules"."custom_role_id" is null))
);
--> statement-breakpoint
CREATE TABLE "user_properties" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"key" text NOT NULL,
	"label" text NOT NULL,
	"type" text NOT NULL,
	"choices" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_properties_type" CHECK ("user_properties"."type" in ('text', 'choice', 'date', 'unit'))
);
--> statement-breakpoint
CREATE TABLE "user_property_values" (
	"user_id" uuid NOT NULL,
	"property_id" uuid NOT NULL,
	"value" text NOT NULL,
	"unit_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_property_values_user_id_property_id_pk" PRIMARY KEY("user_id","property_id")
);
--> statement-breakpoint
DROP INDEX "role_grants_user_role_key_unit_unique";--> statement-breakpoint
DROP INDEX "role_grants_user_custom_role_unit_unique";--> statement-breakpoint
ALTER TABLE "role_grants" ADD COLUMN "rule_id" uuid;--> statement-breakpoint
ALTER TABLE "access_rules" ADD CONSTRAINT "access_rules_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_rules" ADD CONSTRAINT "access_rules_property_id_user_properties_id_fk" FOREIGN KEY ("property_id") REFERENCES "public"."user_properties"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_rules" ADD CONSTRAINT "access_rules_custom_role_id_custom_roles_id_fk" FOREIGN KEY ("custom_role_id") REFERENCES "public"."custom_roles"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_rules" ADD CONSTRAINT "access_rules_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_properties" ADD CONSTRAINT "user_properties_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_property_values" ADD CONSTRAINT "user_property_values_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_property_values" ADD CONSTRAINT "user_property_values_property_id_user_properties_id_fk" FOREIGN KEY ("property_id") REFERENCES "public"."user_properties"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_property_values" ADD CONSTRAINT "user_property_values_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "access_rules_account_name_unique" ON "access_rules" USING btree ("account_id",lower("name"));--> statement-breakpoint
CREATE INDEX "access_rules_property_idx" ON "access_rules" USING btree ("property_id");--> statement-breakpoint
CREATE UNIQUE INDEX "user_properties_account_key_unique" ON "user_properties" USING btree ("account_id","key");--> statement-breakpoint
CREATE INDEX "user_property_values_property_value_idx" ON "user_property_values" USING btree ("property_id","value","user_id");--> statement-breakpoint
ALTER TABLE "role_grants" ADD CONSTRAINT "role_grants_rule_id_access_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."access_rules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "role_grants_user_role_key_unit_rule_unique" ON "role_grants" USING btree ("user_id","role_key",coalesce("unit_id", '00000000-0000-0000-0000-000000000000'::uuid),coalesce("rule_id", '00000000-0000-0000-0000-000000000000'::uuid));--> statement-breakpoint
CREATE UNIQUE INDEX "role_grants_user_custom_role_unit_rule_unique" ON "role_grants" USING btree ("user_id","custom_role_id",coalesce("unit_id", '00000000-0000-0000-0000-000000000000'::uuid),coalesce("rule_id", '00000000-0000-0000-0000-000000000000'::uuid));--> statement-breakpoint
CREATE INDEX "role_grants_rule_idx" ON "role_grants" USING btree ("rule_id","user_id") WHERE "role_grants"."rule_id" is not null;