CREATE TABLE "audit_chain_heads" (
	"account_id" uuid PRIMARY KEY NOT NULL,
	"last_id" bigint,
	"last_hash" text NOT NULL,
	"anchor_id" bigint,
	"anchor_hash" text NOT NULL
);
--> statement-breakpoint
DROP INDEX "audit_events_account_created_idx";--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "audit_retention_days" integer;--> statement-breakpoint
-- O1: the chain columns are added empty, filled below for the rows already written, then required.
ALTER TABLE "audit_events" ADD COLUMN "prev_hash" text;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "hash" text;--> statement-breakpoint
CREATE INDEX "audit_events_account_created_id_idx" ON "audit_events" USING btree ("account_id","created_at","id");--> statement-breakpoint
CREATE INDEX "audit_events_account_action_created_idx" ON "audit_events" USING btree ("account_id","action","created_at","id");--> statement-breakpoint
CREATE INDEX "audit_events_actor_created_idx" ON "audit_events" USING btree ("actor_id","created_at","id");--> statement-breakpoint
CREATE INDEX "audit_events_target_created_idx" ON "audit_events" USING btree ("target_id","created_at","id");--> statement-breakpoint
CREATE INDEX "audit_events_account_id_idx" ON "audit_events" USING btree ("account_id","id");--> statement-breakpoint
CREATE INDEX "audit_events_details_trgm_idx" ON "audit_events" USING gin (("details"::text) gin_trgm_ops);--> statement-breakpoint
-- O1: chain the rows already written, per account in id order (rows without an account
-- chain under the nil UUID). The canonical text is db/queries/audit.ts's; the trigger
-- is off for these UPDATEs only, inside this migration's transaction.
ALTER TABLE "audit_events" DISABLE TRIGGER "audit_events_no_update_delete";--> statement-breakpoint
DO $$
DECLARE
  r record;
  chain uuid;
  current_chain uuid;
  prev text := repeat('0', 64);
  last_id bigint;
  h text;
BEGIN
  FOR r IN SELECT * FROM audit_events ORDER BY coalesce(account_id, '00000000-0000-0000-0000-000000000000'), id LOOP
    chain := coalesce(r.account_id, '00000000-0000-0000-0000-000000000000');
    IF current_chain IS DISTINCT FROM chain THEN
      IF current_chain IS NOT NULL THEN
        INSERT INTO audit_chain_heads (account_id, last_id, last_hash, anchor_hash) VALUES (current_chain, last_id, prev, repeat('0', 64));
      END IF;
      current_chain := chain;
      prev := repeat('0', 64);
    END IF;
    h := encode(sha256(convert_to(prev || jsonb_build_array(r.id, r.account_id, r.actor_id, r.action, r.target_type, r.target_id, r.ip, r.user_agent, r.details, to_char(r.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text, 'UTF8')), 'hex');
    UPDATE audit_events SET prev_hash = prev, hash = h WHERE id = r.id;
    prev := h;
    last_id := r.id;
  END LOOP;
  IF current_chain IS NOT NULL THEN
    INSERT INTO audit_chain_heads (account_id, last_id, last_hash, anchor_hash) VALUES (current_chain, last_id, prev, repeat('0', 64));
  END IF;
END $$;--> statement-breakpoint
ALTER TABLE "audit_events" ENABLE TRIGGER "audit_events_no_update_delete";--> statement-breakpoint
ALTER TABLE "audit_events" ALTER COLUMN "prev_hash" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_events" ALTER COLUMN "hash" SET NOT NULL;--> statement-breakpoint
-- O1 retention: UPDATE and TRUNCATE stay refused; DELETE is allowed only in a transaction
-- that has set roster.audit_retention to 'on' (set_config(..., true): that transaction
-- alone), which only the retention job does (db/queries/audit.ts deleteAuditRowsBefore).
-- A guard against the application's own mistakes, not against someone with SQL access to
-- the database: the hash chain is what shows their edits.
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('roster.audit_retention', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;