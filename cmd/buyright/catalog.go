package main

import (
	"context"
	"errors"
	"fmt"
	"text/tabwriter"

	"buyright/internal/catalog"
	"buyright/internal/lawmap"
)

func init() {
	register(command{name: "catalog", summary: "check and list the framework catalogues (lint, list)", run: runCatalog})
}

const catalogUsage = `lint [DIR] | list [--catalog-dir DIR]

  lint [DIR]   check the built-in catalogues, with the files of DIR laid over
               them when given; prints file:line: message for each problem,
               including instruments that no catalogue or law-map item cites
  list         print each catalogue with its version and item count`

func runCatalog(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: buyright catalog %s", errUsage, catalogUsage)
	}
	switch args[0] {
	case "lint":
		return runCatalogLint(e, args[1:])
	case "list":
		return runCatalogList(e, args[1:])
	case "-h", "--help", "help":
		fmt.Fprintf(e.stdout, "Usage: buyright catalog %s\n", catalogUsage)
		return flagHelp
	}
	return fmt.Errorf("%w: unknown catalog subcommand %q; use lint or list", errUsage, args[0])
}

func runCatalogLint(e *env, args []string) error {
	fs := newFlags("catalog lint", "[DIR]", e.stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return fmt.Errorf("%w: catalog lint takes at most one directory", errUsage)
	}
	s, err := catalog.Load(fs.Arg(0))
	var probs catalog.Problems
	if errors.As(err, &probs) {
		for _, p := range probs {
			fmt.Fprintln(e.stdout, p.String())
		}
		return fmt.Errorf("catalog lint: %d problem(s); the catalogues were not activated", len(probs))
	}
	if err != nil {
		return err
	}
	// The law map is built as its own set over the built-in catalogues; its
	// references count as citations too.
	q, err := lawmap.Load()
	if err != nil {
		return err
	}
	if unc := s.Uncited(q.Items()...); len(unc) > 0 {
		for _, p := range unc {
			fmt.Fprintln(e.stdout, p.String())
		}
		return fmt.Errorf("catalog lint: %d instrument(s) cited by no item", len(unc))
	}
	n := 0
	for _, c := range s.Catalogs() {
		n += len(c.Items)
	}
	fmt.Fprintf(e.stdout, "ok: %d catalogues, %d items, %d unconfirmed, hash %s\n",
		len(s.Catalogs()), n, len(s.Unconfirmed()), s.Hash()[:16])
	return nil
}

func runCatalogList(e *env, args []string) error {
	fs := newFlags("catalog list", "[--catalog-dir DIR]", e.stderr)
	dir := fs.String("catalog-dir", "", "directory of catalogue files laid over the built-in ones")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: catalog list takes no arguments", errUsage)
	}
	s, err := catalog.Load(*dir)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CATALOGUE\tVERSION\tITEMS\tLANGUAGES\tTITLE")
	for _, c := range s.Catalogs() {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", c.ID, c.Version, len(c.Items), langList(c.Languages), c.Title.In("en"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "hash %s\n", s.Hash())
	return nil
}

// langList prints languages in the product's order, marking title-only ones.
func langList(m map[string]string) string {
	out := ""
	for _, l := range catalog.Languages {
		cov, ok := m[l]
		if !ok {
			continue
		}
		if out != "" {
			out += ","
		}
		out += l
		if cov == catalog.CoverTitles {
			out += "(titles)"
		}
	}
	return out
}
