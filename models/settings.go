package models

import (
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Registration modes.
const (
	RegistrationInvite = "invite"
	RegistrationOpen   = "open"
	RegistrationClosed = "closed"
)

// setting is one row of the settings table.
type setting struct {
	Name      string `gorm:"primaryKey"`
	Value     string
	UpdatedAt time.Time
}

func (setting) TableName() string { return "settings" }

// SiteSettings are the settings administrators change in the browser.
type SiteSettings struct {
	SiteName         string
	OrganisationName string
	Contact          string
	LegalNotice      string
	HouseRules       string
	MinimumAge       int
	RegistrationMode string
	QuickExitURL     string
}

// DefaultSiteSettings are used for every setting not yet saved.
func DefaultSiteSettings() SiteSettings {
	return SiteSettings{
		SiteName:         "Hearth",
		MinimumAge:       16,
		RegistrationMode: RegistrationInvite,
		QuickExitURL:     "https://www.bbc.co.uk/weather",
	}
}

// LoadSiteSettings reads every saved setting over the defaults.
func LoadSiteSettings(db *gorm.DB) (SiteSettings, error) {
	s := DefaultSiteSettings()
	var rows []setting
	if err := db.Find(&rows).Error; err != nil {
		return s, fmt.Errorf("models: load settings: %w", err)
	}
	for _, r := range rows {
		switch r.Name {
		case "site_name":
			s.SiteName = r.Value
		case "organisation_name":
			s.OrganisationName = r.Value
		case "contact":
			s.Contact = r.Value
		case "legal_notice":
			s.LegalNotice = r.Value
		case "house_rules":
			s.HouseRules = r.Value
		case "minimum_age":
			if n, err := strconv.Atoi(r.Value); err == nil {
				s.MinimumAge = n
			}
		case "registration_mode":
			s.RegistrationMode = r.Value
		case "quick_exit_url":
			s.QuickExitURL = r.Value
		}
	}
	return s, nil
}

// SaveSiteSettings writes every setting in one transaction.
func SaveSiteSettings(db *gorm.DB, s SiteSettings, now time.Time) error {
	rows := []setting{
		{Name: "site_name", Value: s.SiteName, UpdatedAt: now},
		{Name: "organisation_name", Value: s.OrganisationName, UpdatedAt: now},
		{Name: "contact", Value: s.Contact, UpdatedAt: now},
		{Name: "legal_notice", Value: s.LegalNotice, UpdatedAt: now},
		{Name: "house_rules", Value: s.HouseRules, UpdatedAt: now},
		{Name: "minimum_age", Value: strconv.Itoa(s.MinimumAge), UpdatedAt: now},
		{Name: "registration_mode", Value: s.RegistrationMode, UpdatedAt: now},
		{Name: "quick_exit_url", Value: s.QuickExitURL, UpdatedAt: now},
	}
	return db.Transaction(func(tx *gorm.DB) error {
		return tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "name"}},
			DoUpdates: clause.AssignmentColumns([]string{"value", "updated_at"}),
		}).Create(&rows).Error
	})
}
