package main

import (
	"strings"
	"testing"

	"hearth/models"
)

// TestCLIGroupCreate: a group is created with the defaults (by request,
// listed) and its address printed in one line; a taken slug and bad values
// are refused in one line with nothing written; the creation is audited
// with no actor.
func TestCLIGroupCreate(t *testing.T) {
	for name, env := range databases(t) {
		t.Run(name, func(t *testing.T) {
			env["HEARTH_BASE_URL"] = "https://forum.example/"
			code, out, errOut := cliRun(t, env, "group", "create", "--name", "Evening circle", "--slug", "evening-circle")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			wantOneLine(t, "stdout", out)
			if strings.TrimSpace(out) != "https://forum.example/groups/evening-circle" {
				t.Fatalf("printed %q", out)
			}
			code, _, errOut = cliRun(t, env, "group", "create", "--name", "Quiet room", "--slug", "quiet-room", "--join", "invite", "--unlisted")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}

			refusals := []struct {
				name     string
				args     []string
				wantCode int
				wantErr  string
			}{
				{"taken slug", []string{"--name", "Other", "--slug", "evening-circle"}, 1, `the slug "evening-circle" is taken`},
				{"bad policy", []string{"--name", "Other", "--slug", "other", "--join", "anyone"}, 2, "--join must be open, request or invite"},
				{"bad slug", []string{"--name", "Other", "--slug", "Other Group"}, 2, "--slug must be 2 to 40 lowercase letters"},
				{"no name", []string{"--slug", "other"}, 2, "--name is required"},
				{"long name", []string{"--name", strings.Repeat("n", 81), "--slug", "other"}, 2, "--name must be at most 80 characters"},
			}
			for _, tc := range refusals {
				code, out, errOut := cliRun(t, env, append([]string{"group", "create"}, tc.args...)...)
				if code != tc.wantCode || out != "" || !strings.Contains(errOut, tc.wantErr) {
					t.Errorf("%s: exit %d, stdout %q, stderr %q", tc.name, code, out, errOut)
				}
				wantOneLine(t, tc.name+" stderr", errOut)
			}

			db, _ := openCLIDatabase(t, env)
			var groups []models.Group
			db.Order("slug").Find(&groups)
			if len(groups) != 2 {
				t.Fatalf("%d groups, want 2", len(groups))
			}
			if g := groups[0]; g.Slug != "evening-circle" || g.Name != "Evening circle" || g.JoinPolicy != models.JoinPolicyRequest || !g.Listed {
				t.Fatalf("defaults: %+v", g)
			}
			if g := groups[1]; g.JoinPolicy != models.JoinPolicyInvite || g.Listed {
				t.Fatalf("flags: %+v", g)
			}
			var n int64
			db.Model(&models.AuditEntry{}).Where("action = ? AND actor_id IS NULL", models.AuditGroupCreated).Count(&n)
			if n != 2 {
				t.Fatalf("%d audit entries, want 2", n)
			}
		})
	}
}
