package models

// Audit actions written by the administration pages and commands. An entry
// whose ActorID is nil was made on the server's command line.
const (
	AuditSettingsChanged = "settings.changed"
	AuditInviteCreated   = "invite.created"
	AuditInviteRevoked   = "invite.revoked"
	AuditAdminCreated    = "admin.created"
	AuditAdminReset2FA   = "admin.reset_2fa"
)
