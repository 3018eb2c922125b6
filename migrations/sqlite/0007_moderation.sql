-- Moderation: sanctions on accounts, reports, the moderation record behind
-- the audit log, appeals, hidden posts, mutes, moderator notes, held posts,
-- pre-moderation per group and the word list of the protective hold.
-- Ids of actors and targets in the moderation record are plain integers, like
-- the audit log: an erased account stays "former member #N".
ALTER TABLE accounts ADD COLUMN suspended_until DATETIME;
ALTER TABLE accounts ADD COLUMN banned_at DATETIME;
ALTER TABLE accounts ADD COLUMN sanction_note TEXT NOT NULL DEFAULT '';

CREATE TABLE reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    reporter_id INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    subject_id INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    post_id INTEGER REFERENCES posts (id) ON DELETE SET NULL,
    group_id INTEGER REFERENCES groups (id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    urgent BOOLEAN NOT NULL DEFAULT 0,
    post_copy TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL,
    closed_at DATETIME,
    closed_by INTEGER,
    outcome TEXT NOT NULL DEFAULT ''
);
CREATE INDEX reports_open_idx ON reports (closed_at, urgent, created_at);
CREATE INDEX reports_subject_idx ON reports (subject_id);

CREATE TABLE mod_actions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    audit_id INTEGER NOT NULL,
    group_id INTEGER,
    actor_id INTEGER NOT NULL,
    target_id INTEGER,
    post_id INTEGER,
    topic_id INTEGER,
    report_id INTEGER,
    action TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    removed_text TEXT NOT NULL DEFAULT '',
    until DATETIME,
    created_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX mod_actions_audit_key ON mod_actions (audit_id);
CREATE INDEX mod_actions_group_idx ON mod_actions (group_id, created_at);
CREATE INDEX mod_actions_target_idx ON mod_actions (target_id);

CREATE TABLE appeals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    action_id INTEGER NOT NULL REFERENCES mod_actions (id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    decided_at DATETIME,
    decided_by INTEGER,
    overturned BOOLEAN
);
CREATE UNIQUE INDEX appeals_action_key ON appeals (action_id);

CREATE TABLE post_flags (
    post_id INTEGER PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
    hidden_at DATETIME,
    hidden_body TEXT NOT NULL DEFAULT '',
    hidden_html TEXT NOT NULL DEFAULT '',
    deleted_at DATETIME,
    redacted_at DATETIME
);

CREATE TABLE group_mutes (
    group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    until DATETIME NOT NULL,
    PRIMARY KEY (group_id, account_id)
);

CREATE TABLE mod_notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    subject_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    author_id INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    group_id INTEGER REFERENCES groups (id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE INDEX mod_notes_subject_idx ON mod_notes (subject_id);

CREATE TABLE held_posts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    topic_id INTEGER REFERENCES topics (id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    title TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    body_html TEXT NOT NULL,
    content_warning TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL,
    findings TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL
);
CREATE INDEX held_posts_group_idx ON held_posts (group_id, created_at);
CREATE INDEX held_posts_author_idx ON held_posts (author_id);

CREATE TABLE group_premods (
    group_id INTEGER PRIMARY KEY REFERENCES groups (id) ON DELETE CASCADE,
    first_posts INTEGER NOT NULL
);

CREATE TABLE word_rules (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    phrase TEXT NOT NULL,
    action TEXT NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX word_rules_phrase_key ON word_rules (phrase);
