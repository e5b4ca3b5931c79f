package main

import (
	"context"
	"fmt"

	"buyright/internal/retention"
	"buyright/internal/store"
)

func init() {
	register(command{name: "retention", summary: "show, set or apply the retention schedule (show | set KIND DAYS | run)", run: runRetention})
}

const retentionUsage = "buyright retention show|run [--db URL]  or  buyright retention set KIND DAYS [--db URL]"

// runRetention is the schedule from the command line, for an operator who
// scripts the installation: the same bounds and audit rows as the page.
func runRetention(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: %s", errUsage, retentionUsage)
	}
	sub := args[0]
	if sub == "-h" || sub == "--help" {
		fmt.Fprintln(e.stderr, "Usage: "+retentionUsage)
		return flagHelp
	}
	var pos []string
	rest := args[1:]
	if sub == "set" {
		if len(rest) < 2 {
			return fmt.Errorf("%w: %s", errUsage, retentionUsage)
		}
		pos, rest = rest[:2], rest[2:]
	} else if sub != "show" && sub != "run" {
		return fmt.Errorf("%w: %s", errUsage, retentionUsage)
	}
	fs := newFlags("retention "+sub, "[--db URL]", e.stderr)
	dbURL := dbFlag(fs, e)
	if err := parseFlags(fs, rest); err != nil {
		return err
	}
	db, err := openDB(ctx, *dbURL, false)
	if err != nil {
		return err
	}
	defer db.Close()
	switch sub {
	case "set":
		days, err := retention.Default.ParseDays(pos[0], pos[1])
		if err != nil {
			return err
		}
		if err := db.SetRetention(ctx, store.Actor{Label: "cli"}, pos[0], days); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s: kept %d days\n", pos[0], days)
		return nil
	case "run":
		done, err := db.ApplyRetention(ctx)
		if err != nil {
			return err
		}
		for _, k := range retention.Default.Kinds {
			fmt.Fprintf(e.stdout, "%-22s %d deleted\n", k.ID, done[k.ID])
		}
		return nil
	}
	sched, err := db.RetentionSchedule(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%-22s %6s  %s\n", "KIND", "DAYS", "ALLOWED")
	for _, s := range sched {
		k, _ := retention.Default.Kind(s.Kind)
		by := "default"
		if !s.Default {
			by = "set by " + s.SetBy
			if s.SetBy == "" {
				by = "set from the command line"
			}
			by += " on " + s.SetAt.UTC().Format("2006-01-02")
		}
		fmt.Fprintf(e.stdout, "%-22s %6d  %d-%d (%s)\n", s.Kind, s.Days, k.Min, k.Max, by)
	}
	return nil
}
