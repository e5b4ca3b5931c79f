package main

import (
	"context"
	"fmt"

	"buyright/internal/lawmap"
	"buyright/internal/store"
)

func init() {
	register(command{name: "lawmap", summary: "load the Learning Lab law map's starting answers (seed)", run: runLawmap})
}

const lawmapUsage = `seed [--db URL]

  seed   load the shipped jurisdictions and starting answers (approved, marked
         as starting content to be reviewed); answers already loaded are kept`

func runLawmap(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "seed" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			fmt.Fprintf(e.stdout, "Usage: buyright lawmap %s\n", lawmapUsage)
			return flagHelp
		}
		return fmt.Errorf("%w: buyright lawmap %s", errUsage, lawmapUsage)
	}
	fs := newFlags("lawmap seed", "", e.stderr)
	dbURL := dbFlag(fs, e)
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	q, err := lawmap.Load()
	if err != nil {
		return err
	}
	db, err := openDB(ctx, *dbURL, true)
	if err != nil {
		return err
	}
	defer db.Close()
	s, err := lawmap.LoadSeed(q, db.Now())
	if err != nil {
		return err
	}
	n, err := db.SeedLawmap(ctx, store.Actor{Label: "cli"}, s)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "law map: %d questions, %d jurisdictions, %d starting answers added (%d shipped)\n", len(q.Questions), len(s.Jurisdictions), n, len(s.Answers))
	return nil
}
