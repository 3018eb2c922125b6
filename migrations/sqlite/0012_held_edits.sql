-- Held edits and bios (issue 5). An edit saved despite the protective hold's
-- warning, or with a word the administrators hold, waits in held_posts with
-- the post it changes (post_id): until a moderator of the group approves it,
-- everyone else reads the post's earlier text. One edit waits per post; a
-- newer one replaces it. A bio waits in held_bios, one per member; it has no
-- group, so site moderators and administrators review it. Both go with the
-- account (and a held edit with its post) by foreign key.
ALTER TABLE held_posts ADD COLUMN post_id INTEGER REFERENCES posts (id) ON DELETE CASCADE;
CREATE UNIQUE INDEX held_posts_post_key ON held_posts (post_id);

CREATE TABLE held_bios (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    bio TEXT NOT NULL,
    reason TEXT NOT NULL,
    findings TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX held_bios_account_key ON held_bios (account_id);
