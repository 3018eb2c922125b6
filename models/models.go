package models

// AllModels lists every GORM model, for the test that compares models with
// the migrated schema. A new model must be added here.
func AllModels() []any {
	return append([]any{
		&Account{}, &Session{}, &LoginChallenge{}, &throttle{}, &clientHashKey{},
		&setupToken{}, &setting{}, &secretKeyCheck{}, &RecoveryCode{}, &AuthEvent{},
		&Notice{}, &AuditEntry{}, &Invite{}, &AccountReset{},
		&Group{}, &GroupMember{}, &JoinRequest{}, &GroupInvite{}, &Topic{}, &Post{}, &PostVersion{},
		&Reaction{}, &topicRead{}, &Notification{}, &submitToken{}, &HelpResource{}, &Block{}, &Draft{}, &TextOverride{},
		&BarredPass{},
	}, moderationModels()...)
}
