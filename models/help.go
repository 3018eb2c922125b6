package models

import (
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// HelpResource is one entry of the help directory administrators keep: a
// helpline, an advice centre, a counselling service.
type HelpResource struct {
	ID           int64
	Name         string
	Description  string
	Phone        string
	Website      string
	Region       string
	OpeningHours string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// TableName pins the table name.
func (HelpResource) TableName() string { return "help_resources" }

// HelpResources lists the directory by region, then name.
func HelpResources(db *gorm.DB) ([]HelpResource, error) {
	var list []HelpResource
	err := db.Order("region, name, id").Find(&list).Error
	return list, err
}

// HelpResourceByID loads one entry.
func HelpResourceByID(db *gorm.DB, id int64) (*HelpResource, error) {
	var r HelpResource
	if err := db.First(&r, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &r, nil
}

// SaveHelpResource creates (ID 0) or updates an entry.
func SaveHelpResource(db *gorm.DB, r *HelpResource, now time.Time) error {
	r.UpdatedAt = now
	if r.ID == 0 {
		r.CreatedAt = now
		if err := db.Create(r).Error; err != nil {
			return fmt.Errorf("models: create help resource: %w", err)
		}
		return nil
	}
	res := db.Model(&HelpResource{}).Where("id = ?", r.ID).Updates(map[string]any{
		"name": r.Name, "description": r.Description, "phone": r.Phone, "website": r.Website,
		"region": r.Region, "opening_hours": r.OpeningHours, "updated_at": now,
	})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// DeleteHelpResource removes an entry.
func DeleteHelpResource(db *gorm.DB, id int64) error {
	res := db.Delete(&HelpResource{}, id)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// Dialable is the phone number with only digits and a leading +, for a
// tel: link.
func (r HelpResource) Dialable() string {
	var b strings.Builder
	for i, ch := range r.Phone {
		if (ch >= '0' && ch <= '9') || (ch == '+' && i == 0) {
			b.WriteRune(ch)
		}
	}
	return b.String()
}
