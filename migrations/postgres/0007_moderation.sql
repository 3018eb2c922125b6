-- Moderation: sanctions on accounts, reports, the moderation record behind
-- the audit log, appeals, hidden posts, mutes, moderator notes, held posts,
-- pre-moderation per group and the word list of the protective hold.
-- Ids of actors and targets in the moderation record are plain integers, like
-- the audit log: an erased account stays "former member #N".
ALTER TABLE accounts ADD COLUMN suspended_until TIMESTAMPTZ;
ALTER TABLE accounts ADD COLUMN banned_at TIMESTAMPTZ;
ALTER TABLE accounts ADD COLUMN sanction_note TEXT NOT NULL DEFAULT '';

CREATE TABLE reports (
    id BIGSERIAL PRIMARY KEY,
    reporter_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    subject_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    post_id BIGINT REFERENCES posts (id) ON DELETE SET NULL,
    group_id BIGINT REFERENCES groups (id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    urgent BOOLEAN NOT NULL DEFAULT FALSE,
    post_copy TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    closed_at TIMESTAMPTZ,
    closed_by BIGINT,
    outcome TEXT NOT NULL DEFAULT ''
);
CREATE INDEX reports_open_idx ON reports (closed_at, urgent, created_at);
CREATE INDEX reports_subject_idx ON reports (subject_id);

CREATE TABLE mod_actions (
    id BIGSERIAL PRIMARY KEY,
    audit_id BIGINT NOT NULL,
    group_id BIGINT,
    actor_id BIGINT NOT NULL,
    target_id BIGINT,
    post_id BIGINT,
    topic_id BIGINT,
    report_id BIGINT,
    action TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    removed_text TEXT NOT NULL DEFAULT '',
    until TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX mod_actions_audit_key ON mod_actions (audit_id);
CREATE INDEX mod_actions_group_idx ON mod_actions (group_id, created_at);
CREATE INDEX mod_actions_target_idx ON mod_actions (target_id);

CREATE TABLE appeals (
    id BIGSERIAL PRIMARY KEY,
    action_id BIGINT NOT NULL REFERENCES mod_actions (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    decided_at TIMESTAMPTZ,
    decided_by BIGINT,
    overturned BOOLEAN
);
CREATE UNIQUE INDEX appeals_action_key ON appeals (action_id);

CREATE TABLE post_flags (
    post_id BIGINT PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
    hidden_at TIMESTAMPTZ,
    hidden_body TEXT NOT NULL DEFAULT '',
    hidden_html TEXT NOT NULL DEFAULT '',
    deleted_at TIMESTAMPTZ,
    redacted_at TIMESTAMPTZ
);

CREATE TABLE group_mutes (
    group_id BIGINT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    until TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (group_id, account_id)
);

CREATE TABLE mod_notes (
    id BIGSERIAL PRIMARY KEY,
    subject_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    group_id BIGINT REFERENCES groups (id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX mod_notes_subject_idx ON mod_notes (subject_id);

CREATE TABLE held_posts (
    id BIGSERIAL PRIMARY KEY,
    group_id BIGINT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    topic_id BIGINT REFERENCES topics (id) ON DELETE CASCADE,
    author_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    title TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    body_html TEXT NOT NULL,
    content_warning TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL,
    findings TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX held_posts_group_idx ON held_posts (group_id, created_at);
CREATE INDEX held_posts_author_idx ON held_posts (author_id);

CREATE TABLE group_premods (
    group_id BIGINT PRIMARY KEY REFERENCES groups (id) ON DELETE CASCADE,
    first_posts INTEGER NOT NULL
);

CREATE TABLE word_rules (
    id BIGSERIAL PRIMARY KEY,
    phrase TEXT NOT NULL,
    action TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX word_rules_phrase_key ON word_rules (phrase);
