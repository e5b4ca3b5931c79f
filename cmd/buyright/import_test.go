package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

const sampleOCDS = "../../internal/ocds/testdata/sample.jsonl"

// The summary and the exit code say whether anything came in: an input
// whose every release is rejected fails the command, and an empty file is
// called empty (it used to be counted as a warning about a wrong type).
func TestImportReportsNothingImported(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "x.db")
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte("{\"ocid\": 5}\n{\"ocid\": [1]}\nnot json\n"), 0o600)
	empty := filepath.Join(dir, "empty.json")
	os.WriteFile(empty, nil, 0o600)
	blank := filepath.Join(dir, "blank.jsonl")
	os.WriteFile(blank, []byte("\n  \n"), 0o600)

	code, _, errs := runCLI(t, "", "import", "--db", db, "--org", "body", "--no-progress", bad)
	if code == 0 || !strings.Contains(errs, "nothing was imported") || !strings.Contains(errs, "3 rejected") {
		t.Errorf("all rejected: exit %d\n%s", code, errs)
	}
	for _, f := range []string{empty, blank} {
		code, _, errs = runCLI(t, "", "import", "--db", db, "--org", "body", "--no-progress", f)
		if code == 0 || !strings.Contains(errs, filepath.Base(f)+": empty file") || strings.Contains(errs, "wrong type") {
			t.Errorf("%s: exit %d\n%s", filepath.Base(f), code, errs)
		}
	}
	// Some good and some bad: the good ones are in, so the run succeeds.
	mixed := filepath.Join(dir, "mixed.jsonl")
	good, _ := os.ReadFile(sampleOCDS)
	os.WriteFile(mixed, append(good, []byte("{\"ocid\": 5}\n")...), 0o600)
	if code, _, errs = runCLI(t, "", "import", "--db", db, "--org", "body", "--no-progress", mixed); code != 0 || !strings.Contains(errs, "1 rejected") {
		t.Errorf("mixed: exit %d\n%s", code, errs)
	}
	// The same again: nothing new, nothing rejected but the bad line; the
	// releases were read and found unchanged, so that is not a failure.
	if code, _, errs = runCLI(t, "", "import", "--db", db, "--org", "body", "--no-progress", mixed); code != 0 || !strings.Contains(errs, "unchanged") {
		t.Errorf("mixed again: exit %d\n%s", code, errs)
	}
}

// Two imports started at once into an organisation that does not exist
// yet both succeed, on both databases, and leave each ocid once.
func TestConcurrentImportsIntoNewOrganisation(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			dbURL := storetest.URL(t, d)
			if code, _, errs := runCLI(t, "", "migrate", "--db", dbURL); code != 0 {
				t.Fatal(errs)
			}
			for round := 0; round < 3; round++ {
				org := "newbody" + string(rune('a'+round))
				var wg sync.WaitGroup
				codes, logs := make([]int, 2), make([]string, 2)
				for i := range codes {
					wg.Add(1)
					go func() {
						defer wg.Done()
						codes[i], _, logs[i] = runCLI(t, "", "import", "--db", dbURL, "--org", org, "--no-progress", "--batch", "2", sampleOCDS)
					}()
				}
				wg.Wait()
				for i := range codes {
					if codes[i] != 0 {
						t.Fatalf("round %d, import %d: exit %d\n%s", round, i, codes[i], logs[i])
					}
				}
				db, err := store.Open(context.Background(), dbURL)
				if err != nil {
					t.Fatal(err)
				}
				o, err := db.OrgBySlug(context.Background(), org)
				if err != nil || o.Kind != model.OrgPublicBody {
					t.Fatalf("organisation: %+v %v", o, err)
				}
				var n, distinct int
				if err := db.QueryRowForTest("SELECT COUNT(*), COUNT(DISTINCT ocid) FROM purchases WHERE org_id = "+strconv.FormatInt(o.ID, 10), &n, &distinct); err != nil || n != distinct || n == 0 {
					t.Fatalf("purchases: %d for %d ocids (%v)", n, distinct, err)
				}
				if _, _, err := db.VerifyAudit(context.Background()); err != nil {
					t.Fatal(err)
				}
				db.Close()
			}
		})
	}
}
