-- Performance (issue 8). Search kept its GIN indexes on the expression
-- to_tsvector(language, body): the index finds the candidates, but every
-- candidate's body was stemmed again to check and rank it, and a common word
-- (thousands of posts) cost a quarter of a second. The stemmed text is now a
-- column PostgreSQL keeps itself (generated, so no code path can forget to
-- update it, erasure included), with one partial GIN index over it. The
-- planner can now also walk the newest posts and test each cheaply, which is
-- what a common word wants.
--
-- Search only ever looks in the reader's groups: the index on (group_id, id)
-- lets PostgreSQL intersect the words' matches with those groups before it
-- reads a single row (a common word in a forum of 500,000 posts: 270 ms
-- before, about 20 ms after). It also serves the foreign key, which had no
-- index: deleting a group no longer reads the whole table.
ALTER TABLE posts ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    CASE search_language
        WHEN 'german' THEN to_tsvector('german'::regconfig, body)
        ELSE to_tsvector('english'::regconfig, body)
    END
) STORED;
DROP INDEX posts_search_english_idx;
DROP INDEX posts_search_german_idx;
CREATE INDEX posts_search_idx ON posts USING GIN (search_vector) WHERE erased_at IS NULL;
CREATE INDEX posts_group_id_idx ON posts (group_id, id);
