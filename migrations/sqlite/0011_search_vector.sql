-- PostgreSQL keeps a stored tsvector column from this version on; SQLite's
-- search index stays the FTS5 table of stems (0010_search_stems.sql). Both
-- get the index on (group_id, id): search looks only in the reader's groups,
-- and deleting a group no longer reads the whole table.
CREATE INDEX posts_group_id_idx ON posts (group_id, id);
