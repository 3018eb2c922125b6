-- Administrators' own wording: one text per language and message id.
CREATE TABLE text_overrides (
    language TEXT NOT NULL,
    message_id TEXT NOT NULL,
    text TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (language, message_id)
);
