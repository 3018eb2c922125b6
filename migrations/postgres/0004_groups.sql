-- Self-help groups: membership-gated topics and posts. Everything inside a
-- group is read through models/gate.go, which takes the reading member.
-- A member can choose to always see posts behind content warnings.
ALTER TABLE accounts ADD COLUMN expand_warnings BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE groups (
    id BIGSERIAL PRIMARY KEY,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    about TEXT NOT NULL DEFAULT '',
    about_html TEXT NOT NULL DEFAULT '',
    join_policy TEXT NOT NULL DEFAULT 'request',
    listed BOOLEAN NOT NULL DEFAULT TRUE,
    entry_question TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX groups_slug_key ON groups (slug);

CREATE TABLE group_members (
    group_id BIGINT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    role TEXT NOT NULL DEFAULT 'member',
    joined_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (group_id, account_id)
);
CREATE INDEX group_members_account_idx ON group_members (account_id);

CREATE TABLE join_requests (
    id BIGSERIAL PRIMARY KEY,
    group_id BIGINT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    answer TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    decided_at TIMESTAMPTZ,
    decided_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    approved BOOLEAN
);
CREATE INDEX join_requests_group_idx ON join_requests (group_id, decided_at);
CREATE INDEX join_requests_account_idx ON join_requests (account_id);

CREATE TABLE group_invites (
    id BIGSERIAL PRIMARY KEY,
    group_id BIGINT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    code_hash BYTEA,
    invited_account_id BIGINT REFERENCES accounts (id) ON DELETE CASCADE,
    created_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX group_invites_code_hash_key ON group_invites (code_hash);
CREATE INDEX group_invites_account_idx ON group_invites (invited_account_id);

CREATE TABLE topics (
    id BIGSERIAL PRIMARY KEY,
    group_id BIGINT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    pinned BOOLEAN NOT NULL DEFAULT FALSE,
    locked BOOLEAN NOT NULL DEFAULT FALSE,
    post_count INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL,
    last_post_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX topics_group_order_idx ON topics (group_id, pinned DESC, last_post_at DESC, id DESC);

CREATE TABLE posts (
    id BIGSERIAL PRIMARY KEY,
    topic_id BIGINT NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    group_id BIGINT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    position INTEGER NOT NULL,
    body TEXT NOT NULL,
    body_html TEXT NOT NULL,
    content_warning TEXT NOT NULL DEFAULT '',
    search_language TEXT NOT NULL DEFAULT 'english',
    created_at TIMESTAMPTZ NOT NULL,
    edited_at TIMESTAMPTZ,
    erased_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX posts_topic_position_key ON posts (topic_id, position);
CREATE INDEX posts_author_idx ON posts (author_id);
CREATE INDEX posts_search_english_idx ON posts USING GIN (to_tsvector('english', body)) WHERE search_language = 'english' AND erased_at IS NULL;
CREATE INDEX posts_search_german_idx ON posts USING GIN (to_tsvector('german', body)) WHERE search_language = 'german' AND erased_at IS NULL;

CREATE TABLE post_versions (
    id BIGSERIAL PRIMARY KEY,
    post_id BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    content_warning TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX post_versions_post_idx ON post_versions (post_id);

CREATE TABLE reactions (
    post_id BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (post_id, account_id, kind)
);

CREATE TABLE topic_reads (
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    topic_id BIGINT NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    last_position INTEGER NOT NULL,
    PRIMARY KEY (account_id, topic_id)
);

CREATE TABLE notifications (
    id BIGSERIAL PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    group_id BIGINT REFERENCES groups (id) ON DELETE CASCADE,
    topic_id BIGINT REFERENCES topics (id) ON DELETE CASCADE,
    post_id BIGINT REFERENCES posts (id) ON DELETE CASCADE,
    actor_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL,
    read_at TIMESTAMPTZ
);
CREATE INDEX notifications_account_idx ON notifications (account_id, read_at);

CREATE TABLE submit_tokens (
    token_hash BYTEA PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    post_id BIGINT,
    created_at TIMESTAMPTZ NOT NULL
);
