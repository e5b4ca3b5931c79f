package main

import (
	"bufio"
	"context"
	"fmt"
	"time"

	"buyright/internal/ocdsio"
)

func init() {
	register(command{name: "export", summary: "write the published register as OCDS releases (JSON Lines)", run: runExport})
}

const exportUsage = `ocds [--db URL] [--base-url URL] [--prefix ocds-xxxxxx] > releases.jsonl

Writes every published purchase as one OCDS 1.1 release a line, with
buyright's human-rights due-diligence extension (ocds/extension/).`

func runExport(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "ocds" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(e.stderr, "Usage: buyright export "+exportUsage)
			return flagHelp
		}
		return fmt.Errorf("%w: buyright export ocds [--db URL] > releases.jsonl", errUsage)
	}
	fs := newFlags("export ocds", exportUsage, e.stderr)
	dbURL := dbFlag(fs, e)
	base := fs.String("base-url", "http://127.0.0.1:8080", "public address of this buyright, for links in releases")
	prefix := fs.String("prefix", e.getenv("BUYRIGHT_OCDS_PREFIX"), "ocid prefix for purchases without an ocid (default "+ocdsio.DefaultPrefix+"; register your own)")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if err := ocdsio.CheckPrefix(*prefix); err != nil {
		return fmt.Errorf("%w: --prefix: %v", errUsage, err)
	}
	db, err := openDB(ctx, *dbURL, false)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	x := &ocdsio.Exporter{BaseURL: *base, Prefix: *prefix}
	out := bufio.NewWriterSize(e.stdout, 256<<10)
	var after int64
	var line []byte
	n, size := 0, 0
	for {
		pps, err := db.PublishedPurchases(ctx, after, 0, 500)
		if err != nil {
			return err
		}
		for _, pp := range pps {
			if line, err = ocdsio.AppendJSON(line[:0], x.Release(pp)); err != nil {
				return err
			}
			if _, err := out.Write(line); err != nil {
				return fmt.Errorf("writing the output: %w", err)
			}
			n, size, after = n+1, size+len(line), pp.Purchase.ID
		}
		if len(pps) < 500 {
			break
		}
	}
	if err := out.Flush(); err != nil {
		return fmt.Errorf("writing the output: %w", err)
	}
	secs := time.Since(start).Seconds()
	if ocdsio.IsPlaceholder(*prefix) {
		fmt.Fprintln(e.stderr, "warning:", ocdsio.PlaceholderWarning)
	}
	fmt.Fprintf(e.stderr, "Exported %d releases (%.1f MB) in %.2fs (%.0f releases/s).\n", n, float64(size)/1e6, secs, float64(n)/max(secs, 1e-9))
	return nil
}
