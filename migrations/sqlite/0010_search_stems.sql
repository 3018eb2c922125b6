-- Search on SQLite stems in the site's language (German or English), not
-- only English: the FTS5 index now holds the stems of each post, made by
-- hearth_stem(), a function Hearth registers with SQLite (models/stem.go).
DROP TRIGGER posts_fts_insert;
DROP TRIGGER posts_fts_delete;
DROP TRIGGER posts_fts_update;
DROP TABLE posts_fts;
CREATE VIRTUAL TABLE posts_fts USING fts5(stems, tokenize='unicode61 remove_diacritics 2');
INSERT INTO posts_fts (rowid, stems) SELECT id, hearth_stem(body, search_language) FROM posts WHERE erased_at IS NULL;
CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts WHEN new.erased_at IS NULL BEGIN INSERT INTO posts_fts (rowid, stems) VALUES (new.id, hearth_stem(new.body, new.search_language)); END;
CREATE TRIGGER posts_fts_delete AFTER DELETE ON posts BEGIN DELETE FROM posts_fts WHERE rowid = old.id; END;
CREATE TRIGGER posts_fts_update AFTER UPDATE OF body, erased_at, search_language ON posts BEGIN DELETE FROM posts_fts WHERE rowid = old.id; INSERT INTO posts_fts (rowid, stems) SELECT new.id, hearth_stem(new.body, new.search_language) WHERE new.erased_at IS NULL; END;
