package models_test

import (
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"hearth/models"
	"hearth/models/testdb"
)

func TestParseTextOverride(t *testing.T) {
	tests := []struct {
		name, text string
		allowed    []string
		wantText   string
		wantReason string
	}{
		{name: "plain", text: "  Beratungsstelle Nord  ", wantText: "Beratungsstelle Nord"},
		{name: "empty hides the message", text: "   ", wantText: ""},
		{name: "line breaks kept", text: "one\r\ntwo", wantText: "one\ntwo"},
		{name: "markup is just text", text: "<script>alert(1)</script>", wantText: "<script>alert(1)</script>"},
		{name: "allowed placeholder", text: "Run by {{.Organisation}}, {{.Organisation}}", allowed: []string{"Organisation"},
			wantText: "Run by {{.Organisation}}, {{.Organisation}}"},
		{name: "unknown placeholder", text: "Hello {{.Name}}", allowed: []string{"Organisation"}, wantReason: models.TextUnknownPlaceholder},
		{name: "placeholder where none allowed", text: "{{.Count}} new", wantReason: models.TextUnknownPlaceholder},
		{name: "template action", text: "{{if .Organisation}}x{{end}}", allowed: []string{"Organisation"}, wantReason: models.TextUnknownPlaceholder},
		{name: "spaced placeholder", text: "{{ .Organisation }}", allowed: []string{"Organisation"}, wantReason: models.TextUnknownPlaceholder},
		{name: "unclosed braces", text: "a {{.Organisation", allowed: []string{"Organisation"}, wantReason: models.TextUnknownPlaceholder},
		{name: "template injection", text: "{{constructor.constructor('alert(1)')()}}", wantReason: models.TextUnknownPlaceholder},
		{name: "too long", text: strings.Repeat("ä", models.MaxTextOverrideLen+1), wantReason: models.TextTooLong},
		{name: "longest", text: strings.Repeat("ä", models.MaxTextOverrideLen), wantText: strings.Repeat("ä", models.MaxTextOverrideLen)},
		{name: "control character", text: "bell\x07", wantReason: models.TextInvalidCharacters},
		{name: "invalid utf-8", text: "\xff", wantReason: models.TextInvalidCharacters},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, reason := models.ParseTextOverride(tt.text, tt.allowed)
			if reason != tt.wantReason {
				t.Fatalf("reason %q, want %q", reason, tt.wantReason)
			}
			if reason == "" && got != tt.wantText {
				t.Errorf("text %q, want %q", got, tt.wantText)
			}
		})
	}
}

// TestTextOverrideSetAndReset: an override is saved per language, replaced
// by a second save, removed by a reset; each change is audited by message id
// without its text, and a reset of nothing writes nothing.
func TestTextOverrideSetAndReset(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		var actor *int64
		if err := models.SetTextOverride(db, "en", "site.tagline", "First words", actor, now); err != nil {
			t.Fatal(err)
		}
		if err := models.SetTextOverride(db, "en", "site.tagline", "Our own words", actor, now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if err := models.SetTextOverride(db, "de", "nav.home", "Start", actor, now); err != nil {
			t.Fatal(err)
		}
		en, err := models.TextOverrides(db, "en")
		if err != nil {
			t.Fatal(err)
		}
		if len(en) != 1 || en["site.tagline"] != "Our own words" {
			t.Fatalf("en overrides %v", en)
		}
		row, err := models.TextOverrideFor(db, "en", "site.tagline")
		if err != nil || !row.UpdatedAt.Equal(now.Add(time.Minute)) {
			t.Fatalf("override %+v, %v", row, err)
		}

		removed, err := models.ResetTextOverride(db, "en", "site.tagline", actor, now)
		if err != nil || !removed {
			t.Fatalf("reset: %v, %v", removed, err)
		}
		removed, err = models.ResetTextOverride(db, "en", "site.tagline", actor, now)
		if err != nil || removed {
			t.Fatalf("second reset: %v, %v", removed, err)
		}
		if _, err := models.TextOverrideFor(db, "en", "site.tagline"); err != models.ErrNotFound {
			t.Fatalf("after reset: %v", err)
		}
		if de, _ := models.TextOverrides(db, "de"); de["nav.home"] != "Start" {
			t.Fatalf("de overrides %v: a reset in en touched de", de)
		}

		var entries []models.AuditEntry
		if err := db.Where("action IN ?", []string{models.AuditTextOverridden, models.AuditTextReset}).Order("id").Find(&entries).Error; err != nil {
			t.Fatal(err)
		}
		wantActions := []string{models.AuditTextOverridden, models.AuditTextOverridden, models.AuditTextOverridden, models.AuditTextReset}
		if len(entries) != len(wantActions) {
			t.Fatalf("audit entries %+v", entries)
		}
		for i, e := range entries {
			if e.Action != wantActions[i] || !strings.Contains(e.Detail, "message: ") {
				t.Errorf("entry %d: %+v", i, e)
			}
			if strings.Contains(e.Detail, "words") || strings.Contains(e.Detail, "Start") {
				t.Errorf("entry %d holds the text: %q", i, e.Detail)
			}
		}
	})
}
