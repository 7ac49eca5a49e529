-- Issue 9 (review item 1): keys made before scopes existed could disable and enable
-- members. They keep working, read-only; a write scope needs a new key (with step-up).
UPDATE "api_keys" SET "scopes" = ARRAY['profile:read', 'members:read']::text[];
