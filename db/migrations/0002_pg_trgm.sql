-- T1: trigram indexes for partial, case-insensitive search. A trusted extension since
-- PostgreSQL 13 (the database owner may create it); PGlite loads it in its constructor.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
