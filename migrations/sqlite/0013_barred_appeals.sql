-- A suspended or banned member appeals at sign-in. She has no session, so
-- passing both factors earns a short-lived pass for one thing only: appealing
-- the suspension or ban in force. Only the SHA-256 of the pass is stored; it
-- is deleted once used and purged when it expires.
CREATE TABLE barred_passes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash BLOB NOT NULL,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    action_id INTEGER NOT NULL REFERENCES mod_actions (id) ON DELETE CASCADE,
    created_at DATETIME NOT NULL,
    expires_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX barred_passes_token_hash_key ON barred_passes (token_hash);
CREATE INDEX barred_passes_account_idx ON barred_passes (account_id);
CREATE INDEX barred_passes_expires_idx ON barred_passes (expires_at);
