package models

import (
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"hearth/internal/auth"
)

// Limits of an invite, the same in the browser and on the command line.
const (
	MinInviteUses = 1
	MaxInviteUses = 1000
	MinInviteTTL  = time.Hour
	MaxInviteTTL  = 90 * 24 * time.Hour
	// DefaultInviteTTL is how long an invite lasts unless told otherwise.
	DefaultInviteTTL = 7 * 24 * time.Hour
	// inviteHintLen is how many leading characters of a code are kept in
	// clear, so that administrators can tell invites apart. 4 of 26
	// base32 characters leave 108 secret bits.
	inviteHintLen = 4
)

// Invite states, as shown to administrators.
const (
	InviteUsable  = "usable"
	InviteUsedUp  = "used_up"
	InviteExpired = "expired"
	InviteRevoked = "revoked"
)

// ErrInviteLimits is returned by NewInvite for uses or a lifetime outside
// the limits above.
var ErrInviteLimits = errors.New("models: invite uses or lifetime out of range")

// inviteEncoding is lower-case base32 without padding: URL-safe, no
// look-alike case pairs, easy to read aloud.
var inviteEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// Invite lets people register while registration is by invitation. Only a
// hash of its code is stored; the code is shown once, when it is made.
type Invite struct {
	ID        int64
	CodeHash  []byte
	Hint      string
	MaxUses   int
	Uses      int
	CreatedBy *int64
	CreatedAt time.Time
	ExpiresAt time.Time
	RevokedAt *time.Time
}

// TableName pins the table name.
func (Invite) TableName() string { return "invites" }

// Usable reports whether the invite can still be used at now.
func (i *Invite) Usable(now time.Time) bool {
	return i.State(now) == InviteUsable
}

// State says whether the invite is usable, used up, expired or revoked at
// now; revoked wins over the others, then expired, then used up.
func (i *Invite) State(now time.Time) string {
	switch {
	case i.RevokedAt != nil:
		return InviteRevoked
	case !now.Before(i.ExpiresAt):
		return InviteExpired
	case i.Uses >= i.MaxUses:
		return InviteUsedUp
	default:
		return InviteUsable
	}
}

// InviteCodeHash is what is stored for, and looked up by, an invite code.
// It forgives what people do to a code they copy: surrounding spaces and
// upper case.
func InviteCodeHash(code string) []byte {
	return auth.HashToken(strings.ToLower(strings.TrimSpace(code)))
}

// newInviteCode returns 128 bits from the CSPRNG as 26 characters of
// lower-case base32, one unbroken URL-friendly string.
func newInviteCode() (string, error) {
	raw := make([]byte, 16)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("models: invite code: %w", err)
	}
	return inviteEncoding.EncodeToString(raw), nil
}

// NewInvite makes and stores an invite for maxUses registrations that lasts
// ttl from now, and returns its code, which exists nowhere else: show it
// once. Both the administration pages and the CLI make invites here.
func NewInvite(db *gorm.DB, maxUses int, ttl time.Duration, createdBy *int64, now time.Time) (string, *Invite, error) {
	if maxUses < MinInviteUses || maxUses > MaxInviteUses || ttl < MinInviteTTL || ttl > MaxInviteTTL {
		return "", nil, ErrInviteLimits
	}
	code, err := newInviteCode()
	if err != nil {
		return "", nil, err
	}
	inv := &Invite{
		CodeHash:  InviteCodeHash(code),
		Hint:      code[:inviteHintLen],
		MaxUses:   maxUses,
		CreatedBy: createdBy,
		CreatedAt: now,
		ExpiresAt: now.Add(ttl),
	}
	err = db.Transaction(func(tx *gorm.DB) error {
		if err := CreateInvite(tx, inv); err != nil {
			return err
		}
		detail := fmt.Sprintf("invite #%d, hint %s, uses %d, expires %s", inv.ID, inv.Hint, maxUses, inv.ExpiresAt.UTC().Format(time.RFC3339))
		return Audit(tx, createdBy, AuditInviteCreated, nil, detail, now)
	})
	if err != nil {
		return "", nil, err
	}
	return code, inv, nil
}

// CreateInvite stores an invite.
func CreateInvite(db *gorm.DB, inv *Invite) error {
	if err := db.Create(inv).Error; err != nil {
		return fmt.Errorf("models: create invite: %w", err)
	}
	return nil
}

// InviteByCode finds a usable invite by its code hash (see InviteCodeHash);
// a revoked, expired or used-up invite is ErrNotFound like an unknown one.
func InviteByCode(db *gorm.DB, codeHash []byte, now time.Time) (*Invite, error) {
	var inv Invite
	if err := db.Where("code_hash = ?", codeHash).First(&inv).Error; err != nil {
		return nil, notFound(err)
	}
	if !inv.Usable(now) {
		return nil, ErrNotFound
	}
	return &inv, nil
}

// UseInvite spends one use of the invite atomically; false when it was used
// up, revoked or expired meanwhile. Call it in the sign-up transaction.
func UseInvite(db *gorm.DB, id int64, now time.Time) (bool, error) {
	res := db.Model(&Invite{}).
		Where("id = ? AND revoked_at IS NULL AND uses < max_uses AND expires_at > ?", id, now).
		Update("uses", gorm.Expr("uses + 1"))
	return res.RowsAffected == 1, res.Error
}

// Invites lists every invite, newest first.
func Invites(db *gorm.DB) ([]Invite, error) {
	var list []Invite
	if err := db.Order("created_at DESC, id DESC").Find(&list).Error; err != nil {
		return nil, fmt.Errorf("models: list invites: %w", err)
	}
	return list, nil
}

// RevokeInvite revokes an invite and records who did it. Revoking a revoked
// invite changes nothing; an unknown id is ErrNotFound.
func RevokeInvite(db *gorm.DB, id int64, actorID *int64, now time.Time) error {
	return db.Transaction(func(tx *gorm.DB) error {
		var inv Invite
		if err := tx.First(&inv, id).Error; err != nil {
			return notFound(err)
		}
		if inv.RevokedAt != nil {
			return nil
		}
		res := tx.Model(&Invite{}).Where("id = ? AND revoked_at IS NULL", id).Update("revoked_at", now)
		if res.Error != nil {
			return fmt.Errorf("models: revoke invite %d: %w", id, res.Error)
		}
		if res.RowsAffected == 0 {
			return nil
		}
		return Audit(tx, actorID, AuditInviteRevoked, nil, fmt.Sprintf("invite #%d, hint %s", inv.ID, inv.Hint), now)
	})
}
