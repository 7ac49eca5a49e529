CREATE TABLE "unit_members" (
	"unit_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "unit_members_unit_id_user_id_pk" PRIMARY KEY("unit_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "unit_paths" (
	"ancestor_id" uuid NOT NULL,
	"descendant_id" uuid NOT NULL,
	"depth" integer NOT NULL,
	CONSTRAINT "unit_paths_ancestor_id_descendant_id_pk" PRIMARY KEY("ancestor_id","descendant_id"),
	CONSTRAINT "unit_paths_depth" CHECK ("unit_paths"."depth" >= 0)
);
--> statement-breakpoint
CREATE TABLE "unit_subtree_members" (
	"unit_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "unit_subtree_members_unit_id_user_id_pk" PRIMARY KEY("unit_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "units" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"parent_id" uuid,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "role_grants_user_role_key_unique";--> statement-breakpoint
DROP INDEX "role_grants_user_custom_role_unique";--> statement-breakpoint
ALTER TABLE "role_grants" ADD COLUMN "unit_id" uuid;--> statement-breakpoint
ALTER TABLE "unit_members" ADD CONSTRAINT "unit_members_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_members" ADD CONSTRAINT "unit_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_paths" ADD CONSTRAINT "unit_paths_ancestor_id_units_id_fk" FOREIGN KEY ("ancestor_id") REFERENCES "public"."units"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_paths" ADD CONSTRAINT "unit_paths_descendant_id_units_id_fk" FOREIGN KEY ("descendant_id") REFERENCES "public"."units"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_subtree_members" ADD CONSTRAINT "unit_subtree_members_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_subtree_members" ADD CONSTRAINT "unit_subtree_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "units" ADD CONSTRAINT "units_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "units" ADD CONSTRAINT "units_parent_id_units_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "unit_members_user_idx" ON "unit_members" USING btree ("user_id","unit_id");--> statement-breakpoint
CREATE INDEX "unit_paths_descendant_idx" ON "unit_paths" USING btree ("descendant_id","ancestor_id");--> statement-breakpoint
CREATE INDEX "unit_subtree_members_user_idx" ON "unit_subtree_members" USING btree ("user_id","unit_id");--> statement-breakpoint
CREATE INDEX "units_account_idx" ON "units" USING btree ("account_id","parent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "units_sibling_name_unique" ON "units" USING btree ("account_id",coalesce("parent_id", "account_id"),lower("name"));--> statement-breakpoint
ALTER TABLE "role_grants" ADD CONSTRAINT "role_grants_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "role_grants_user_role_key_unit_unique" ON "role_grants" USING btree ("user_id","role_key",coalesce("unit_id", '00000000-0000-0000-0000-000000000000'::uuid));--> statement-breakpoint
CREATE UNIQUE INDEX "role_grants_user_custom_role_unit_unique" ON "role_grants" USING btree ("user_id","custom_role_id",coalesce("unit_id", '00000000-0000-0000-0000-000000000000'::uuid));--> statement-breakpoint
CREATE INDEX "role_grants_unit_idx" ON "role_grants" USING btree ("unit_id") WHERE "role_grants"."unit_id" is not null;