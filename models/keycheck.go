package models

import (
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"hearth/internal/secrets"
)

// secretKeyCheck holds one value sealed under the secret key.
type secretKeyCheck struct {
	ID        int
	KeyID     string
	Sealed    string
	CreatedAt time.Time
}

func (secretKeyCheck) TableName() string { return "secret_key_checks" }

// ErrKeyMismatch means the secret key cannot decrypt this database's secrets.
var ErrKeyMismatch = errors.New("the secret key does not match this database")

// VerifySecretKey checks the key against the database's check value, storing
// one on first start. A lost or wrong key never passes silently.
func VerifySecretKey(db *gorm.DB, box *secrets.Box, now time.Time) error {
	var check secretKeyCheck
	err := db.First(&check, 1).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		sealed, err := box.CheckValue()
		if err != nil {
			return err
		}
		return db.Create(&secretKeyCheck{ID: 1, KeyID: box.KeyID(), Sealed: sealed, CreatedAt: now}).Error
	}
	if err != nil {
		return fmt.Errorf("models: read secret key check: %w", err)
	}
	if err := box.VerifyCheckValue(check.Sealed); err != nil {
		return fmt.Errorf("%w (the database expects key id %s, this key has id %s)", ErrKeyMismatch, check.KeyID, box.KeyID())
	}
	return nil
}

// sealedColumn names a column that holds values sealed under the secret key.
type sealedColumn struct{ table, column string }

// sealedColumns lists every sealed column; rotate-key re-encrypts them all.
// A new sealed column must be added here (the rotation test checks it).
var sealedColumns = []sealedColumn{
	{"accounts", "totp_secret"},
	{"accounts", "totp_pending"},
	{"accounts", "recovery_codes_pending"},
}

// RotateSecretKey re-encrypts every sealed value and the check value under
// next, in one transaction, and returns how many values it re-encrypted.
func RotateSecretKey(db *gorm.DB, current, next *secrets.Box, now time.Time) (int, error) {
	count := 0
	err := db.Transaction(func(tx *gorm.DB) error {
		if err := VerifySecretKey(tx, current, now); err != nil {
			return err
		}
		for _, col := range sealedColumns {
			type row struct {
				ID    int64
				Value string
			}
			var rows []row
			if err := tx.Raw(fmt.Sprintf("SELECT id, %s AS value FROM %s WHERE %s IS NOT NULL", col.column, col.table, col.column)).
				Scan(&rows).Error; err != nil {
				return fmt.Errorf("models: read %s.%s: %w", col.table, col.column, err)
			}
			for _, r := range rows {
				plain, err := current.Open(r.Value, SealedAD(col.table, col.column))
				if err != nil {
					return fmt.Errorf("models: open %s.%s of row %d: %w", col.table, col.column, r.ID, err)
				}
				sealed, err := next.Seal(plain, SealedAD(col.table, col.column))
				if err != nil {
					return err
				}
				if err := tx.Exec(fmt.Sprintf("UPDATE %s SET %s = ? WHERE id = ?", col.table, col.column), sealed, r.ID).Error; err != nil {
					return fmt.Errorf("models: write %s.%s: %w", col.table, col.column, err)
				}
				count++
			}
		}
		sealed, err := next.CheckValue()
		if err != nil {
			return err
		}
		return tx.Model(&secretKeyCheck{}).Where("id = 1").
			Updates(map[string]any{"key_id": next.KeyID(), "sealed": sealed, "created_at": now}).Error
	})
	return count, err
}

// SealedAD is the associated data for a sealed column, binding a ciphertext
// to its place so that it cannot be moved to another column.
func SealedAD(table, column string) []byte { return []byte(table + "." + column) }
