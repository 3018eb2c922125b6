-- Self-help groups: membership-gated topics and posts. Everything inside a
-- group is read through models/gate.go, which takes the reading member.
-- A member can choose to always see posts behind content warnings.
ALTER TABLE accounts ADD COLUMN expand_warnings BOOLEAN NOT NULL DEFAULT 0;

CREATE TABLE groups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    about TEXT NOT NULL DEFAULT '',
    about_html TEXT NOT NULL DEFAULT '',
    join_policy TEXT NOT NULL DEFAULT 'request',
    listed BOOLEAN NOT NULL DEFAULT 1,
    entry_question TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX groups_slug_key ON groups (slug);

CREATE TABLE group_members (
    group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    role TEXT NOT NULL DEFAULT 'member',
    joined_at DATETIME NOT NULL,
    PRIMARY KEY (group_id, account_id)
);
CREATE INDEX group_members_account_idx ON group_members (account_id);

CREATE TABLE join_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    answer TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL,
    decided_at DATETIME,
    decided_by INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    approved BOOLEAN
);
CREATE INDEX join_requests_group_idx ON join_requests (group_id, decided_at);
CREATE INDEX join_requests_account_idx ON join_requests (account_id);

CREATE TABLE group_invites (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    code_hash BLOB,
    invited_account_id INTEGER REFERENCES accounts (id) ON DELETE CASCADE,
    created_by INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    created_at DATETIME NOT NULL,
    expires_at DATETIME NOT NULL,
    used_at DATETIME
);
CREATE UNIQUE INDEX group_invites_code_hash_key ON group_invites (code_hash);
CREATE INDEX group_invites_account_idx ON group_invites (invited_account_id);

CREATE TABLE topics (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    author_id INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    pinned BOOLEAN NOT NULL DEFAULT 0,
    locked BOOLEAN NOT NULL DEFAULT 0,
    post_count INTEGER NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL,
    last_post_at DATETIME NOT NULL
);
CREATE INDEX topics_group_order_idx ON topics (group_id, pinned DESC, last_post_at DESC, id DESC);

CREATE TABLE posts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    topic_id INTEGER NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    author_id INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    position INTEGER NOT NULL,
    body TEXT NOT NULL,
    body_html TEXT NOT NULL,
    content_warning TEXT NOT NULL DEFAULT '',
    search_language TEXT NOT NULL DEFAULT 'english',
    created_at DATETIME NOT NULL,
    edited_at DATETIME,
    erased_at DATETIME
);
CREATE UNIQUE INDEX posts_topic_position_key ON posts (topic_id, position);
CREATE INDEX posts_author_idx ON posts (author_id);

CREATE TABLE post_versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    content_warning TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL
);
CREATE INDEX post_versions_post_idx ON post_versions (post_id);

CREATE TABLE reactions (
    post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    PRIMARY KEY (post_id, account_id, kind)
);

CREATE TABLE topic_reads (
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    topic_id INTEGER NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    last_position INTEGER NOT NULL,
    PRIMARY KEY (account_id, topic_id)
);

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    group_id INTEGER REFERENCES groups (id) ON DELETE CASCADE,
    topic_id INTEGER REFERENCES topics (id) ON DELETE CASCADE,
    post_id INTEGER REFERENCES posts (id) ON DELETE CASCADE,
    actor_id INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    created_at DATETIME NOT NULL,
    read_at DATETIME
);
CREATE INDEX notifications_account_idx ON notifications (account_id, read_at);

CREATE TABLE submit_tokens (
    token_hash BLOB PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    post_id INTEGER,
    created_at DATETIME NOT NULL
);

-- Full-text search: an external-content FTS5 index over posts, kept in step
-- by triggers (each on one line: the migration runner splits statements at
-- line ends). Erased posts leave the index.
CREATE VIRTUAL TABLE posts_fts USING fts5(body, content='posts', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2');
CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts WHEN new.erased_at IS NULL BEGIN INSERT INTO posts_fts (rowid, body) VALUES (new.id, new.body); END;
CREATE TRIGGER posts_fts_delete AFTER DELETE ON posts WHEN old.erased_at IS NULL BEGIN INSERT INTO posts_fts (posts_fts, rowid, body) VALUES ('delete', old.id, old.body); END;
CREATE TRIGGER posts_fts_update AFTER UPDATE OF body, erased_at ON posts BEGIN INSERT INTO posts_fts (posts_fts, rowid, body) SELECT 'delete', old.id, old.body WHERE old.erased_at IS NULL; INSERT INTO posts_fts (rowid, body) SELECT new.id, new.body WHERE new.erased_at IS NULL; END;
