-- Drafts keep the text of a post that arrived after its author's session had
-- expired, so that nothing typed is lost: the row is keyed by the hash of a
-- random id held in a short-lived cookie, the text is sealed under the secret
-- key, and the purge job removes rows older than 24 hours.
CREATE TABLE drafts (
    id_hash BLOB PRIMARY KEY,
    sealed TEXT NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE INDEX drafts_created_idx ON drafts (created_at);
