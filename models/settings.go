package models

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Registration modes.
const (
	RegistrationInvite = "invite"
	RegistrationOpen   = "open"
	RegistrationClosed = "closed"
)

// RegistrationModes lists the modes in the order the settings page offers them.
var RegistrationModes = []string{RegistrationInvite, RegistrationOpen, RegistrationClosed}

// Setting names: the keys of the settings table, and the form field names
// of /admin/settings.
const (
	SettingSiteName         = "site_name"
	SettingOrganisationName = "organisation_name"
	SettingContact          = "contact"
	SettingLegalNotice      = "legal_notice"
	SettingHouseRules       = "house_rules"
	SettingMinimumAge       = "minimum_age"
	SettingRegistrationMode = "registration_mode"
	SettingQuickExitURL     = "quick_exit_url"
	SettingTimeZone         = "time_zone"
	SettingSessionIdle      = "session_idle_minutes"
	SettingSessionAbsolute  = "session_absolute_hours"
)

// Limits of the site settings, counted in characters (runes).
const (
	MaxSiteNameLen         = 80
	MaxOrganisationNameLen = 120
	MaxContactLen          = 300
	MaxLegalNoticeLen      = 10000
	MaxHouseRulesLen       = 10000
	MaxQuickExitURLLen     = 2000
	MinMinimumAge          = 13
	MaxMinimumAge          = 99
	// A session ends after 5 to 240 idle minutes, and after 1 to 72 hours.
	MinSessionIdle, MaxSessionIdle         = 5, 240
	MinSessionAbsolute, MaxSessionAbsolute = 1, 72
)

// Reasons a setting is refused, stable keys for translated messages.
const (
	SettingRequired          = "required"
	SettingTooLong           = "too_long"
	SettingInvalidCharacters = "invalid_characters"
	SettingNotANumber        = "not_a_number"
	SettingOutOfRange        = "out_of_range"
	SettingUnknownChoice     = "unknown_choice"
	SettingNotHTTPS          = "not_https"
	SettingUnknownTimeZone   = "unknown_time_zone"
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
	// SessionIdleMinutes and SessionAbsoluteHours end sessions (ASVS 7.3.1, 7.3.2).
	SessionIdleMinutes, SessionAbsoluteHours int
	RegistrationMode                         string
	QuickExitURL                             string
	// TimeZone is the IANA name of the zone pages show times in for
	// readers who chose none.
	TimeZone string
}

// DefaultSiteSettings are used for every setting not yet saved.
func DefaultSiteSettings() SiteSettings {
	return SiteSettings{
		SiteName:             "Hearth",
		MinimumAge:           16,
		SessionIdleMinutes:   30,
		SessionAbsoluteHours: 12,
		RegistrationMode:     RegistrationInvite,
		QuickExitURL:         "https://www.bbc.co.uk/weather",
		TimeZone:             DefaultTimeZone,
	}
}

// values maps each setting name to its stored text.
func (s SiteSettings) values() map[string]string {
	return map[string]string{
		SettingSiteName:         s.SiteName,
		SettingOrganisationName: s.OrganisationName,
		SettingContact:          s.Contact,
		SettingLegalNotice:      s.LegalNotice,
		SettingHouseRules:       s.HouseRules,
		SettingMinimumAge:       strconv.Itoa(s.MinimumAge),
		SettingRegistrationMode: s.RegistrationMode,
		SettingQuickExitURL:     s.QuickExitURL,
		SettingTimeZone:         s.TimeZone,
		SettingSessionIdle:      strconv.Itoa(s.SessionIdleMinutes),
		SettingSessionAbsolute:  strconv.Itoa(s.SessionAbsoluteHours),
	}
}

// settingNames lists the settings in the order of the form.
var settingNames = []string{
	SettingSiteName, SettingOrganisationName, SettingContact, SettingLegalNotice,
	SettingHouseRules, SettingMinimumAge, SettingRegistrationMode, SettingQuickExitURL, SettingTimeZone,
	SettingSessionIdle, SettingSessionAbsolute,
}

// DefaultTimeZone is the site's time zone until an administrator picks one.
const DefaultTimeZone = "UTC"

// ValidTimeZone reports whether name is an IANA time zone that Go knows
// (the binary embeds the database). "Local" is refused: it would follow
// whatever the server happens to be set to.
func ValidTimeZone(name string) bool {
	if name == "" || name == "Local" {
		return false
	}
	_, err := time.LoadLocation(name)
	return err == nil
}

// ParseSiteSettings checks what an administrator typed, given as setting
// name → text. It returns the settings and, for every refused field, the
// reason (one of the Setting* reason constants). Text is trimmed and its
// line breaks made "\n"; single-line fields take no line breaks at all.
func ParseSiteSettings(in map[string]string) (SiteSettings, map[string]string) {
	var s SiteSettings
	problems := map[string]string{}
	text := func(name string, maxLen int, required, multiline bool) string {
		v := strings.TrimSpace(strings.ReplaceAll(in[name], "\r\n", "\n"))
		switch {
		case required && v == "":
			problems[name] = SettingRequired
		case !plainText(v, multiline):
			problems[name] = SettingInvalidCharacters
		case utf8.RuneCountInString(v) > maxLen:
			problems[name] = SettingTooLong
		}
		return v
	}
	s.SiteName = text(SettingSiteName, MaxSiteNameLen, true, false)
	s.OrganisationName = text(SettingOrganisationName, MaxOrganisationNameLen, false, false)
	s.Contact = text(SettingContact, MaxContactLen, false, false)
	s.LegalNotice = text(SettingLegalNotice, MaxLegalNoticeLen, false, true)
	s.HouseRules = text(SettingHouseRules, MaxHouseRulesLen, false, true)

	number := func(name string, lo, hi int) int {
		v := strings.TrimSpace(in[name])
		n, err := strconv.Atoi(v)
		switch {
		case v == "":
			problems[name] = SettingRequired
		case err != nil:
			problems[name] = SettingNotANumber
		case n < lo || n > hi:
			problems[name] = SettingOutOfRange
		}
		return n
	}
	s.MinimumAge = number(SettingMinimumAge, MinMinimumAge, MaxMinimumAge)
	s.SessionIdleMinutes = number(SettingSessionIdle, MinSessionIdle, MaxSessionIdle)
	s.SessionAbsoluteHours = number(SettingSessionAbsolute, MinSessionAbsolute, MaxSessionAbsolute)

	s.RegistrationMode = in[SettingRegistrationMode]
	if !slices.Contains(RegistrationModes, s.RegistrationMode) {
		problems[SettingRegistrationMode] = SettingUnknownChoice
	}

	s.QuickExitURL = text(SettingQuickExitURL, MaxQuickExitURLLen, true, false)
	if _, bad := problems[SettingQuickExitURL]; !bad && !httpsURL(s.QuickExitURL) {
		problems[SettingQuickExitURL] = SettingNotHTTPS
	}

	// No choice is the default: times in UTC until an administrator picks.
	s.TimeZone = strings.TrimSpace(in[SettingTimeZone])
	if s.TimeZone == "" {
		s.TimeZone = DefaultTimeZone
	} else if !ValidTimeZone(s.TimeZone) {
		problems[SettingTimeZone] = SettingUnknownTimeZone
	}
	return s, problems
}

// plainText reports whether v is valid UTF-8 without control characters
// (line breaks and tabs allowed in multi-line text).
func plainText(v string, multiline bool) bool {
	if !utf8.ValidString(v) {
		return false
	}
	for _, r := range v {
		if multiline && (r == '\n' || r == '\t') {
			continue
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return false
		}
	}
	return true
}

// httpsURL reports whether raw is an absolute https URL with a host and
// nothing that could confuse a browser (no user info, no spaces).
func httpsURL(raw string) bool {
	if strings.ContainsAny(raw, " \t\n\\") {
		return false
	}
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	return u.Scheme == "https" && u.Host != "" && u.Hostname() != "" && u.User == nil && u.Opaque == ""
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
		case SettingSiteName:
			s.SiteName = r.Value
		case SettingOrganisationName:
			s.OrganisationName = r.Value
		case SettingContact:
			s.Contact = r.Value
		case SettingLegalNotice:
			s.LegalNotice = r.Value
		case SettingHouseRules:
			s.HouseRules = r.Value
		case SettingMinimumAge:
			if n, err := strconv.Atoi(r.Value); err == nil {
				s.MinimumAge = n
			}
		case SettingRegistrationMode:
			s.RegistrationMode = r.Value
		case SettingQuickExitURL:
			s.QuickExitURL = r.Value
		case SettingTimeZone:
			if ValidTimeZone(r.Value) {
				s.TimeZone = r.Value
			}
		case SettingSessionIdle:
			if n, err := strconv.Atoi(r.Value); err == nil && n >= MinSessionIdle && n <= MaxSessionIdle {
				s.SessionIdleMinutes = n
			}
		case SettingSessionAbsolute:
			if n, err := strconv.Atoi(r.Value); err == nil && n >= MinSessionAbsolute && n <= MaxSessionAbsolute {
				s.SessionAbsoluteHours = n
			}
		}
	}
	return s, nil
}

// SaveSiteSettings writes every setting in one transaction.
func SaveSiteSettings(db *gorm.DB, s SiteSettings, now time.Time) error {
	values := s.values()
	rows := make([]setting, 0, len(settingNames))
	for _, name := range settingNames {
		rows = append(rows, setting{Name: name, Value: values[name], UpdatedAt: now})
	}
	return db.Transaction(func(tx *gorm.DB) error {
		return tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "name"}},
			DoUpdates: clause.AssignmentColumns([]string{"value", "updated_at"}),
		}).Create(&rows).Error
	})
}

// ChangedSettings names the settings that differ between old and next, in
// the order of the form.
func ChangedSettings(old, next SiteSettings) []string {
	before, after := old.values(), next.values()
	var changed []string
	for _, name := range settingNames {
		if before[name] != after[name] {
			changed = append(changed, name)
		}
	}
	return changed
}

// UpdateSiteSettings saves s and appends an audit entry naming the settings
// that changed (names only: a legal notice or a contact has no place in the
// log), in one transaction. It returns the names.
func UpdateSiteSettings(db *gorm.DB, s SiteSettings, actorID *int64, now time.Time) ([]string, error) {
	var changed []string
	err := db.Transaction(func(tx *gorm.DB) error {
		old, err := LoadSiteSettings(tx)
		if err != nil {
			return err
		}
		changed = ChangedSettings(old, s)
		if err := SaveSiteSettings(tx, s, now); err != nil {
			return fmt.Errorf("models: save settings: %w", err)
		}
		detail := "changed: none"
		if len(changed) > 0 {
			detail = "changed: " + strings.Join(changed, ", ")
		}
		return Audit(tx, actorID, AuditSettingsChanged, nil, detail, now)
	})
	return changed, err
}

// SessionPolicy is the idle timeout and absolute lifetime in force.
func (s SiteSettings) SessionPolicy() SessionPolicy {
	return SessionPolicy{
		Idle:     time.Duration(s.SessionIdleMinutes) * time.Minute,
		Absolute: time.Duration(s.SessionAbsoluteHours) * time.Hour,
	}
}
