-- Delayed administrator resets of a member's password and authenticator:
-- effective 48 hours after the request unless the member cancels it, or at
-- once when a second administrator approves it; the link it yields lives one
-- hour.
CREATE TABLE account_resets (
    id BIGSERIAL PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    requested_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    approved_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL,
    effective_at TIMESTAMPTZ NOT NULL,
    cancelled_at TIMESTAMPTZ,
    token_hash BYTEA,
    token_expires_at TIMESTAMPTZ,
    used_at TIMESTAMPTZ
);
CREATE INDEX account_resets_account_idx ON account_resets (account_id);
CREATE UNIQUE INDEX account_resets_token_hash_key ON account_resets (token_hash);
