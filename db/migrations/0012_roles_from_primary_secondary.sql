-- Issue 11 (A3): roles become grants. Every primary user becomes an Admin, every
-- secondary user a Member — nothing else changes. "Enforce 2FA for primary users"
-- becomes "for the Admin role"; for everyone stays everyone (null).
INSERT INTO "role_grants" ("account_id", "user_id", "role_key")
SELECT "account_id", "id", CASE "role" WHEN 'primary' THEN 'admin' ELSE 'member' END FROM "users";
--> statement-breakpoint
UPDATE "accounts" SET "two_factor_roles" = CASE "two_factor_scope" WHEN 'primary' THEN ARRAY['admin']::text[] ELSE NULL END;
--> statement-breakpoint
-- A8: the platform's applications and their roles (the first of each app is its default).
INSERT INTO "applications" ("key", "name", "description") VALUES
  ('studio', 'Studio', 'Build and publish apps and dashboards.'),
  ('workflows', 'Workflows', 'Automate work with workflows and schedules.'),
  ('insights', 'Insights', 'Explore data sources and share findings.');
--> statement-breakpoint
INSERT INTO "app_roles" ("application_id", "key", "name", "is_default")
SELECT a."id", r."key", r."name", r."is_default"
FROM "applications" a
JOIN (VALUES
  ('studio', 'user', 'User', true), ('studio', 'editor', 'Editor', false), ('studio', 'publisher', 'Publisher', false),
  ('workflows', 'runner', 'Runner', true), ('workflows', 'builder', 'Builder', false), ('workflows', 'approver', 'Approver', false),
  ('insights', 'reader', 'Reader', true), ('insights', 'analyst', 'Analyst', false)
) AS r("app", "key", "name", "is_default") ON r."app" = a."key";
