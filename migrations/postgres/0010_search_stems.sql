-- Nothing to do on PostgreSQL: its full-text search stems with its own
-- German and English dictionaries (see 0004_groups.sql). This migration
-- exists so that both dialects carry the same versions.
SELECT 1;
