CREATE TYPE "public"."resource_kind" AS ENUM('app', 'project', 'workspace', 'workflow', 'dashboard', 'data_source', 'chat');--> statement-breakpoint
CREATE TYPE "public"."share_level" AS ENUM('view', 'edit');--> statement-breakpoint
CREATE TABLE "resource_shares" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"resource_id" uuid NOT NULL,
	"team_id" uuid,
	"user_id" uuid,
	"level" "share_level" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "resource_shares_one_grantee" CHECK (("resource_shares"."team_id" is null) <> ("resource_shares"."user_id" is null))
);
--> statement-breakpoint
CREATE TABLE "resources" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"owner_id" uuid NOT NULL,
	"kind" "resource_kind" NOT NULL,
	"name" text NOT NULL,
	"parent_id" uuid,
	"team_id" uuid,
	"cpu_millis" integer,
	"memory_mb" integer,
	"storage_gb" integer,
	"all_users" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "resources_workspace_parent" CHECK (("resources"."kind" = 'workspace') = ("resources"."parent_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "team_members" (
	"team_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "team_members_team_id_user_id_pk" PRIMARY KEY("team_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "teams" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"lead_id" uuid,
	"archived_at" timestamp with time zone,
	"max_cpu_millis" integer,
	"max_memory_mb" integer,
	"max_storage_gb" integer,
	"max_apps" integer,
	"max_workflows" integer,
	"max_workspaces" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "resource_shares" ADD CONSTRAINT "resource_shares_resource_id_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."resources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resource_shares" ADD CONSTRAINT "resource_shares_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resource_shares" ADD CONSTRAINT "resource_shares_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resources" ADD CONSTRAINT "resources_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resources" ADD CONSTRAINT "resources_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resources" ADD CONSTRAINT "resources_parent_id_resources_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."resources"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resources" ADD CONSTRAINT "resources_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "teams" ADD CONSTRAINT "teams_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "teams" ADD CONSTRAINT "teams_lead_id_users_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "resource_shares_team_unique" ON "resource_shares" USING btree ("resource_id","team_id");--> statement-breakpoint
CREATE UNIQUE INDEX "resource_shares_user_unique" ON "resource_shares" USING btree ("resource_id","user_id");--> statement-breakpoint
CREATE INDEX "resource_shares_team_idx" ON "resource_shares" USING btree ("team_id");--> statement-breakpoint
CREATE INDEX "resource_shares_user_idx" ON "resource_shares" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "resources_account_idx" ON "resources" USING btree ("account_id","kind");--> statement-breakpoint
CREATE INDEX "resources_owner_idx" ON "resources" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "resources_parent_idx" ON "resources" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "resources_team_idx" ON "resources" USING btree ("team_id");--> statement-breakpoint
CREATE INDEX "team_members_user_idx" ON "team_members" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "teams_account_name_unique" ON "teams" USING btree ("account_id",lower("name"));--> statement-breakpoint
-- T3: the former content items become resources (same IDs, owners and kinds).
INSERT INTO "resources" ("id", "account_id", "owner_id", "kind", "name", "created_at")
  SELECT "id", "account_id", "owner_id", "kind"::text::"resource_kind", "title", "created_at" FROM "content_items";--> statement-breakpoint
DROP TABLE "content_items" CASCADE;--> statement-breakpoint
DROP TYPE "public"."content_kind";--> statement-breakpoint
-- T4: anonymising a member rewrites the personal data in their account's audit rows and
-- re-chains the account from the first rewritten row (lib/team/anonymise.ts). UPDATE is
-- allowed only while roster.audit_anonymise is on, set by that transaction alone.
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('roster.audit_retention', true) = 'on' THEN
    RETURN OLD;
  END IF;
  IF TG_OP = 'UPDATE' AND current_setting('roster.audit_anonymise', true) = 'on' THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint
-- O1, T4: recomputes one account's chain from row from_id on (the hashes of lib's canonical
-- text, as migration 0019 computed them) and moves the chain's head. The caller holds the
-- head's lock (it appends afterwards in the same transaction).
CREATE OR REPLACE FUNCTION audit_rechain(chain uuid, from_id bigint) RETURNS bigint AS $$
DECLARE
  r record;
  prev text;
  h text;
  n bigint := 0;
  last bigint;
BEGIN
  SELECT e.hash INTO prev FROM audit_events e WHERE coalesce(e.account_id, '00000000-0000-0000-0000-000000000000') = chain AND e.id < from_id ORDER BY e.id DESC LIMIT 1;
  IF prev IS NULL THEN
    SELECT anchor_hash INTO prev FROM audit_chain_heads WHERE account_id = chain;
  END IF;
  prev := coalesce(prev, repeat('0', 64));
  FOR r IN SELECT * FROM audit_events e WHERE coalesce(e.account_id, '00000000-0000-0000-0000-000000000000') = chain AND e.id >= from_id ORDER BY e.id LOOP
    h := encode(sha256(convert_to(prev || jsonb_build_array(r.id, r.account_id, r.actor_id, r.action, r.target_type, r.target_id, r.ip, r.user_agent, r.details, to_char(r.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text, 'UTF8')), 'hex');
    IF r.prev_hash IS DISTINCT FROM prev OR r.hash IS DISTINCT FROM h THEN
      UPDATE audit_events SET prev_hash = prev, hash = h WHERE id = r.id;
    END IF;
    prev := h;
    last := r.id;
    n := n + 1;
  END LOOP;
  IF last IS NOT NULL THEN
    UPDATE audit_chain_heads SET last_id = last, last_hash = prev WHERE account_id = chain;
  END IF;
  RETURN n;
END;
$$ LANGUAGE plpgsql;
