-- Delayed administrator resets of a member's password and authenticator:
-- effective 48 hours after the request unless the member cancels it, or at
-- once when a second administrator approves it; the link it yields lives one
-- hour.
CREATE TABLE account_resets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    requested_by INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    approved_by INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    created_at DATETIME NOT NULL,
    effective_at DATETIME NOT NULL,
    cancelled_at DATETIME,
    token_hash BLOB,
    token_expires_at DATETIME,
    used_at DATETIME
);
CREATE INDEX account_resets_account_idx ON account_resets (account_id);
CREATE UNIQUE INDEX account_resets_token_hash_key ON account_resets (token_hash);
