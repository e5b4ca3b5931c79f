package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"buyright/internal/model"
	"buyright/internal/ocds"
	"buyright/internal/ocdsio"
	"buyright/internal/store"
)

func init() {
	register(command{name: "import", summary: "import OCDS releases as purchases of a public body, screened", run: runImport})
}

const importUsage = `--org SLUG [--db URL] [--only-digital] [--rejects FILE] [--batch N] FILE|- ...

Reads OCDS releases (every shape 'buyright screen' reads) and brings them
into the register as purchases of the public body SLUG (created when
missing), at the stage each release shows, keyed by ocid: importing again
updates in place and never duplicates. Each purchase keeps the red flags the
screener raised, and a new one the sector its item codes point to (when
they do). --only-digital leaves out the releases not judged digital.
Batches are committed whole, so an import stopped midway
and run again ends in the same state as one run to the end.`

// importBatch is how many releases go into one transaction: large enough
// that commits cost little, small enough that a killed import loses little.
const importBatch = 2000

func runImport(ctx context.Context, e *env, args []string) error {
	fs := newFlags("import", importUsage, e.stderr)
	dbURL := dbFlag(fs, e)
	orgSlug := fs.String("org", "", "short name of the public body whose purchases these are (created if missing)")
	orgName := fs.String("org-name", "", "full name when the body is created (default: the short name)")
	rejects := fs.String("rejects", "", "write every reject and warning to this JSON Lines file (default: the first ones on stderr)")
	batch := fs.Int("batch", importBatch, "releases per transaction")
	workers := fs.Int("workers", 0, "decoding goroutines (default: all cores)")
	noProgress := fs.Bool("no-progress", false, "no progress bar even on a terminal")
	onlyDigital := fs.Bool("only-digital", false, "import only the releases judged digital")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *orgSlug == "" || fs.NArg() == 0 {
		return fmt.Errorf("%w: buyright import %s", errUsage, strings.SplitN(importUsage, "\n", 2)[0])
	}
	if *batch < 1 || *workers < 0 {
		return fmt.Errorf("%w: import --batch and --workers must be positive", errUsage)
	}
	if e.getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
	lists, err := ocds.DefaultLists()
	if err != nil {
		return err
	}
	scr := ocds.NewScreener(lists)
	db, err := openDB(ctx, *dbURL, true)
	if err != nil {
		return err
	}
	defer db.Close()
	org, err := db.OrgBySlug(ctx, *orgSlug)
	if model.ErrorCode(err) == model.ENotFound {
		// Another import may be creating it at this moment: EnsureOrg
		// then returns that one.
		org = &model.Organisation{Slug: *orgSlug, Name: *orgName, Kind: model.OrgPublicBody}
		if org.Name == "" {
			org.Name = *orgSlug
		}
		created, err := db.EnsureOrg(ctx, store.Actor{Label: "cli"}, org)
		if err != nil {
			return describe(err)
		}
		if created {
			fmt.Fprintf(e.stderr, "created organisation %s (%s)\n", org.Slug, org.Kind)
		}
	} else if err != nil {
		return err
	}
	if org.Kind != model.OrgPublicBody {
		return fmt.Errorf("%s is a %s; purchases belong to public bodies", org.Slug, org.Kind)
	}

	var rej *rejectLog
	if *rejects != "" {
		f, err := os.Create(*rejects)
		if err != nil {
			return fmt.Errorf("cannot create the rejects file: %w", err)
		}
		defer f.Close()
		rej = &rejectLog{w: bufio.NewWriter(f), path: *rejects}
	} else {
		rej = &rejectLog{stderr: e.stderr, tty: !*noProgress && isTerminal(e.stderr)}
	}
	im := &importer{db: db, orgID: org.ID, rej: rej, batch: *batch, started: time.Now(), onlyDigital: *onlyDigital}
	opts := ocds.Options{OnWarning: func(err *ocds.Error) { rej.warning(err); im.warnings++ }}

	var failed []string
	for _, name := range fs.Args() {
		if err := ctx.Err(); err != nil {
			return err
		}
		before := im.read + im.rejected
		warned := im.warnings
		empty, err := im.one(ctx, e, name, opts, *workers, scr, !*noProgress)
		if err == nil && im.read+im.rejected == before {
			// No release at all: say so, rather than count the reader's
			// notice as a warning about a value.
			im.warnings = warned
			if empty {
				err = fmt.Errorf("%s: empty file: no releases", name)
			} else {
				err = fmt.Errorf("%s: no releases in it", name)
			}
		}
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				err = fmt.Errorf("%s: cannot read: %w", name, pe.Err)
			}
			fmt.Fprintln(e.stderr, "buyright:", err)
			failed = append(failed, name)
			if errors.Is(err, context.Canceled) || errors.Is(err, errImportStore) {
				break
			}
		}
	}
	if err := rej.close(); err != nil {
		return fmt.Errorf("writing the rejects file: %w", err)
	}
	im.print(e.stderr, org)
	if len(failed) > 0 {
		return fmt.Errorf("%d of %d inputs could not be imported completely: %s", len(failed), fs.NArg(), strings.Join(failed, ", "))
	}
	if st := im.stats; st.New+st.Updated+st.Unchanged+st.Older == 0 && im.rejected+im.storeRejected > 0 {
		return fmt.Errorf("nothing was imported: every release was rejected (%d)", im.rejected+im.storeRejected)
	}
	return nil
}

// errImportStore marks a database failure: there is no point reading on.
var errImportStore = errors.New("database write failed")

type importer struct {
	db      *store.DB
	orgID   int64
	rej     *rejectLog
	batch   int
	started time.Time
	// onlyDigital leaves out releases the screener did not judge
	// digital; notDigital counts them.
	onlyDigital bool
	notDigital  int

	read, rejected, warnings int
	// storeRejected counts releases read but refused by the store (the
	// writer goroutine's own counter; rejects are not kept).
	storeRejected int
	bytes         int64
	stats         store.ImportStats
}

// pending is a batch on its way to the database, with where each row came
// from, to name it if the store refuses it.
type pending struct {
	rows  []store.ImportRow
	where []ocds.Error
}

// one imports one input and reports whether it held nothing but white
// space. Decoding and screening run on every core; the rows are written in
// input order by one goroutine, a batch per transaction, while the next
// batch is being read.
func (im *importer) one(ctx context.Context, e *env, name string, opts ocds.Options, workers int, scr *ocds.Screener, progress bool) (empty bool, err error) {
	r, size, closeInput, err := openInput(e, name)
	if err != nil {
		return false, err
	}
	defer closeInput()
	blank := &blankReader{r: r, blank: true}
	defer func() { empty = blank.blank }()
	cr := &countingReader{r: blank}
	if bar := newProgress(e.stderr, name, size, &cr.n, progress); bar != nil {
		defer bar.stop()
	}
	defer func() { im.bytes += cr.n.Load() }()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	work := make(chan pending, 1)
	done := make(chan error, 1)
	go func() {
		var werr error
		for p := range work {
			if werr != nil {
				continue
			}
			st, err := im.db.ImportPurchases(ctx, store.Actor{Label: "cli"}, im.orgID, p.rows)
			if err != nil {
				werr = fmt.Errorf("%w: %v", errImportStore, err)
				cancel()
				continue
			}
			for _, rj := range st.Rejected {
				w := p.where[rj.Index]
				w.Reason = "not imported: " + firstLineOf(rj.Err.Error())
				im.rej.reject(&w)
			}
			// Rejects are logged above and counted; keeping them would
			// grow memory with the input.
			im.storeRejected += len(st.Rejected)
			st.Rejected = nil
			im.stats.Add(st)
		}
		done <- werr
	}()
	cur := pending{}
	flush := func() {
		if len(cur.rows) > 0 {
			work <- cur
			cur = pending{}
		}
	}
	perr := ocds.Process(ctx, cr, name, opts, workers,
		func(it *ocds.Item) store.ImportRow {
			if it.Err != nil {
				return store.ImportRow{}
			}
			res := scr.Screen(it.Release)
			if im.onlyDigital && !res.Digital {
				return store.ImportRow{} // no Purchase: left out
			}
			return ocdsio.Row(it.Release, &res)
		},
		func(it *ocds.Item, row store.ImportRow) error {
			if it.Err != nil {
				im.rejected++
				im.rej.reject(it.Err)
				return nil
			}
			for i := range it.Warnings {
				im.warnings++
				im.rej.warning(&it.Warnings[i])
			}
			im.read++
			if row.Purchase == nil {
				im.notDigital++
				return nil
			}
			cur.rows = append(cur.rows, row)
			cur.where = append(cur.where, ocds.Error{File: it.File, Line: it.Line, Column: it.Column, Path: it.Path})
			if len(cur.rows) >= im.batch {
				flush()
			}
			return nil
		})
	if perr == nil {
		flush()
	}
	close(work)
	werr := <-done
	if werr != nil {
		return false, werr
	}
	return false, perr
}

// blankReader notes whether everything read through it was white space.
type blankReader struct {
	r     io.Reader
	blank bool
}

func (b *blankReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if b.blank && len(bytes.TrimSpace(p[:n])) > 0 {
		b.blank = false
	}
	return n, err
}

func firstLineOf(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func (im *importer) print(w io.Writer, org *model.Organisation) {
	secs := time.Since(im.started).Seconds()
	st := im.stats
	rejected := im.rejected + im.storeRejected
	fmt.Fprintf(w, "\nRead %d releases into %s: %d new, %d updated, %d unchanged", im.read, org.Slug, st.New, st.Updated, st.Unchanged)
	if st.Older > 0 {
		fmt.Fprintf(w, ", %d older than the release already imported", st.Older)
	}
	fmt.Fprintf(w, "; %d rejected.\n", rejected)
	if st.StageKept > 0 {
		fmt.Fprintf(w, "%d releases report a stage other than the purchase's in buyright, which moves only through its gates: the stage was kept, and the reported one noted in the audit log.\n", st.StageKept)
	}
	if im.onlyDigital {
		fmt.Fprintf(w, "%d releases were not judged digital and were left out (--only-digital).\n", im.notDigital)
	}
	if rejected > 0 && im.rej.w != nil {
		fmt.Fprintf(w, "Rejects are listed in %s.\n", im.rej.path)
	} else if rejected > rejectsShown && im.rej.w == nil {
		fmt.Fprintf(w, "The first %d rejects are shown above; use --rejects FILE to keep them all.\n", rejectsShown)
	}
	if im.warnings > 0 {
		fmt.Fprintf(w, "%d warnings about values of the wrong type that were coerced or ignored.\n", im.warnings)
	}
	fmt.Fprintf(w, "Took %.2fs: %.0f releases/s (%.1f MB).\n", secs, float64(im.read+im.rejected)/max(secs, 1e-9), float64(im.bytes)/1e6)
}
