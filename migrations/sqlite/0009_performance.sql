-- Performance (issue 8). The posting limit counts a member's posts of the
-- last minute at every post and reply (models.PostsSince): with the index on
-- author_id alone that read every post the member ever wrote (hundreds on a
-- seeded forum); with created_at beside it, it reads only the last minute.
-- The new index serves every lookup by author, so the old one goes.
CREATE INDEX posts_author_created_idx ON posts (author_id, created_at);
DROP INDEX posts_author_idx;
