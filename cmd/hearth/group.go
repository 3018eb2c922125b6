package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"hearth/models"
)

func cmdGroup(ctx context.Context, env cliEnv, args []string) error {
	return runSubcommand(ctx, env, "group", "Manage self-help groups.", []subcommand{
		{"create", "hearth group create --name NAME --slug SLUG [--join open|request|invite] [--unlisted]",
			"create a group and print its address", cmdGroupCreate},
	}, args)
}

// groupProblems words CheckGroup's reasons for the command line, by flag.
func groupProblem(field, reason string) string {
	flagName := map[string]string{"name": "--name", "slug": "--slug", "join_policy": "--join"}[field]
	switch reason {
	case models.ProblemRequired:
		return flagName + " is required"
	case models.ProblemTooLong:
		return fmt.Sprintf("%s must be at most %d characters", flagName, models.GroupNameMax)
	case models.ProblemCharacters:
		return flagName + " must not contain control characters or line breaks"
	case models.ProblemSlugFormat:
		return fmt.Sprintf("--slug must be %d to %d lowercase letters, digits and hyphens", models.GroupSlugMin, models.GroupSlugMax)
	case models.ProblemPolicy:
		return "--join must be open, request or invite"
	}
	return flagName + " is not valid"
}

func cmdGroupCreate(ctx context.Context, env cliEnv, args []string) error {
	const usage = "hearth group create"
	fs := newFlagSet(env, usage+" --name NAME --slug SLUG [--join open|request|invite] [--unlisted]",
		"Create a self-help group and print one line: its address (made from HEARTH_BASE_URL).\n"+
			"The slug is the group's address and cannot change later. Administrators add the description,\n"+
			"the about text, the entry question and the moderators at /admin/groups.")
	name := fs.String("name", "", fmt.Sprintf("the group's name (1 to %d characters)", models.GroupNameMax))
	slug := fs.String("slug", "", fmt.Sprintf("the group's address: %d to %d lowercase letters, digits and hyphens", models.GroupSlugMin, models.GroupSlugMax))
	join := fs.String("join", models.JoinPolicyRequest, "how members join: open (at once), request (a moderator approves) or invite (by invitation only)")
	unlisted := fs.Bool("unlisted", false, "leave the group out of the directory; it answers 404 to everyone outside it")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	g := &models.Group{Name: *name, Slug: strings.TrimSpace(*slug), JoinPolicy: strings.TrimSpace(*join), Listed: !*unlisted}
	problems := models.CheckGroup(g, true)
	for _, field := range []string{"name", "slug", "join_policy"} {
		if reason, ok := problems[field]; ok {
			return usageProblem(env, usage, "%s", groupProblem(field, reason))
		}
	}
	rt, err := openRuntime(ctx, env, true)
	if err != nil {
		return err
	}
	defer rt.close()
	err = models.CreateGroupAudited(rt.db.WithContext(ctx), g, nil, time.Now().UTC())
	if errors.Is(err, models.ErrSlugTaken) {
		return fmt.Errorf("the slug %q is taken by another group; choose another", g.Slug)
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(env.stdout, strings.TrimSuffix(rt.cfg.BaseURL.String(), "/")+"/groups/"+g.Slug)
	return nil
}
