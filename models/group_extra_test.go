package models_test

import (
	"strings"
	"testing"

	"hearth/models"
)

// TestCheckGroup names every refused field of a group with its reason.
func TestCheckGroup(t *testing.T) {
	ok := func() models.Group {
		return models.Group{Name: " Circle ", Slug: "circle-2", Description: "d", About: "# a\n\nb", EntryQuestion: "q?", JoinPolicy: models.JoinPolicyOpen}
	}
	cases := []struct {
		name         string
		change       func(*models.Group)
		field, want  string
		creatingOnly bool
	}{
		{"empty name", func(g *models.Group) { g.Name = " \t" }, "name", models.ProblemRequired, false},
		{"long name", func(g *models.Group) { g.Name = strings.Repeat("ü", 81) }, "name", models.ProblemTooLong, false},
		{"name with newline", func(g *models.Group) { g.Name = "a\nb" }, "name", models.ProblemCharacters, false},
		{"short slug", func(g *models.Group) { g.Slug = "a" }, "slug", models.ProblemSlugFormat, true},
		{"long slug", func(g *models.Group) { g.Slug = strings.Repeat("a", 41) }, "slug", models.ProblemSlugFormat, true},
		{"upper-case slug", func(g *models.Group) { g.Slug = "Circle" }, "slug", models.ProblemSlugFormat, true},
		{"long description", func(g *models.Group) { g.Description = strings.Repeat("d", 301) }, "description", models.ProblemTooLong, false},
		{"long about", func(g *models.Group) { g.About = strings.Repeat("a", 20001) }, "about", models.ProblemTooLong, false},
		{"NUL in about", func(g *models.Group) { g.About = "a\x00" }, "about", models.ProblemCharacters, false},
		{"invalid UTF-8 in about", func(g *models.Group) { g.About = "a\xff" }, "about", models.ProblemCharacters, false},
		{"long question", func(g *models.Group) { g.EntryQuestion = strings.Repeat("q", 301) }, "entry_question", models.ProblemTooLong, false},
		{"unknown policy", func(g *models.Group) { g.JoinPolicy = "all" }, "join_policy", models.ProblemPolicy, false},
	}
	g := ok()
	if p := models.CheckGroup(&g, true); len(p) != 0 || g.Name != "Circle" {
		t.Fatalf("good group refused: %v (name %q)", p, g.Name)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := ok()
			tc.change(&g)
			p := models.CheckGroup(&g, true)
			if len(p) != 1 || p[tc.field] != tc.want {
				t.Fatalf("problems %v, want %s=%s", p, tc.field, tc.want)
			}
			if tc.creatingOnly {
				if p := models.CheckGroup(&g, false); len(p) != 0 {
					t.Fatalf("slug checked on edit: %v", p)
				}
			}
		})
	}
}
