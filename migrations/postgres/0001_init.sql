-- The secret key check: a value sealed under the secret key, so that Hearth
-- refuses to start with a key that cannot decrypt the database's secrets.
CREATE TABLE secret_key_checks (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    key_id TEXT NOT NULL,
    sealed TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
