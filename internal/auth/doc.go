// Package auth holds Hearth's authentication building blocks that are neither
// HTTP nor data: password hashing (argon2id), a bounded hashing pool, username
// and password rules, TOTP, recovery codes, session tokens and coarse device
// labels. Nothing here touches the database or a request; callers in models
// and handlers combine these pieces.
package auth
