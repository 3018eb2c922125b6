-- Accounts, sessions, sign-in challenges, throttling, invites and settings.
-- No e-mail, no real name, no IP address anywhere.
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL,
    username_skeleton TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT 'member',
    totp_secret TEXT,
    totp_pending TEXT,
    totp_last_step INTEGER NOT NULL DEFAULT 0,
    totp_confirmed_at DATETIME,
    recovery_codes_pending TEXT,
    recovery_codes_seen_at DATETIME,
    language TEXT NOT NULL DEFAULT '',
    time_zone TEXT NOT NULL DEFAULT '',
    discreet BOOLEAN NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX accounts_username_key ON accounts (username);
CREATE UNIQUE INDEX accounts_username_skeleton_key ON accounts (username_skeleton);

CREATE TABLE recovery_codes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at DATETIME,
    created_at DATETIME NOT NULL
);
CREATE INDEX recovery_codes_account_idx ON recovery_codes (account_id);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    token_hash BLOB NOT NULL,
    device TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL,
    last_active_at DATETIME NOT NULL,
    expires_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX sessions_token_hash_key ON sessions (token_hash);
CREATE INDEX sessions_account_idx ON sessions (account_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

CREATE TABLE login_challenges (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash BLOB NOT NULL,
    account_id INTEGER REFERENCES accounts (id) ON DELETE CASCADE,
    password_ok BOOLEAN NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    client_hash BLOB NOT NULL,
    account_key BLOB NOT NULL,
    next_path TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL,
    expires_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX login_challenges_token_hash_key ON login_challenges (token_hash);
CREATE INDEX login_challenges_expires_idx ON login_challenges (expires_at);

CREATE TABLE throttles (
    scope TEXT NOT NULL,
    key_hash BLOB NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0,
    blocked_until DATETIME,
    updated_at DATETIME NOT NULL,
    PRIMARY KEY (scope, key_hash)
);
CREATE INDEX throttles_updated_idx ON throttles (updated_at);

CREATE TABLE client_hash_keys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    day TEXT NOT NULL,
    hash_key BLOB NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX client_hash_keys_day_key ON client_hash_keys (day);

CREATE TABLE auth_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    device TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL
);
CREATE INDEX auth_events_account_idx ON auth_events (account_id, created_at);

CREATE TABLE notices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    read_at DATETIME
);
CREATE INDEX notices_account_idx ON notices (account_id, read_at);

CREATE TABLE setup_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash BLOB NOT NULL,
    created_at DATETIME NOT NULL,
    used_at DATETIME
);
CREATE UNIQUE INDEX setup_tokens_token_hash_key ON setup_tokens (token_hash);

CREATE TABLE invites (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code_hash BLOB NOT NULL,
    hint TEXT NOT NULL,
    max_uses INTEGER NOT NULL,
    uses INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    created_at DATETIME NOT NULL,
    expires_at DATETIME NOT NULL,
    revoked_at DATETIME
);
CREATE UNIQUE INDEX invites_code_hash_key ON invites (code_hash);

CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at DATETIME NOT NULL
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_id INTEGER,
    action TEXT NOT NULL,
    target_account_id INTEGER,
    detail TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL
);
CREATE INDEX audit_log_created_idx ON audit_log (created_at);
