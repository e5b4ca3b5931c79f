package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// childArgsEnv carries the arguments of `buyright import` to the test
// binary started again as a separate process, so it can be killed.
const childArgsEnv = "BUYRIGHT_TEST_IMPORT_CHILD_ARGS"

// TestImportChildProcess is not a test: it is the import run by
// TestImportKill9OnPostgres in a process of its own.
func TestImportChildProcess(t *testing.T) {
	args := os.Getenv(childArgsEnv)
	if args == "" {
		t.Skip("runs only as the child of TestImportKill9OnPostgres")
	}
	code, _, errs := runCLI(t, "", strings.Split(args, "\x1f")...)
	if code != 0 {
		fmt.Fprint(os.Stderr, errs)
	}
	os.Exit(code)
}

// An import into PostgreSQL killed with SIGKILL in the middle leaves whole
// batches only: no ocid twice, no purchase without its source and its
// audit row, an intact audit chain; run again, it ends exactly where an
// import that was never killed ends.
func TestImportKill9OnPostgres(t *testing.T) {
	if os.Getenv(storetest.EnvPostgres) == "" {
		t.Skip("PostgreSQL not configured: set " + storetest.EnvPostgres)
	}
	dbURL := storetest.URL(t, store.Postgres)
	if code, _, errs := runCLI(t, "", "migrate", "--db", dbURL); code != 0 {
		t.Fatal(errs)
	}
	// Eight copies of the sample with ocids made unique per copy: about
	// 1,900 releases in batches of 25, so the kill lands between commits.
	sample, err := os.ReadFile("../../testdata/ocds/releases.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var in bytes.Buffer
	for c := 0; c < 8; c++ {
		in.Write(bytes.ReplaceAll(sample, []byte(`"ocid":"`), []byte(fmt.Sprintf(`"ocid":"k%d-`, c))))
	}
	file := filepath.Join(t.TempDir(), "in.jsonl")
	if err := os.WriteFile(file, in.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	importArgs := func(org string) []string {
		return []string{"import", "--db", dbURL, "--org", org, "--no-progress", "--batch", "25", file}
	}

	db, err := store.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	count := func(q string) int {
		var n int
		if err := db.QueryRowForTest(q, &n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	child := exec.Command(os.Args[0], "-test.run=^TestImportChildProcess$")
	child.Env = append(os.Environ(), childArgsEnv+"="+strings.Join(importArgs("killed"), "\x1f"))
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	killedAt := -1
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if n := count("SELECT COUNT(*) FROM purchases"); n > 0 {
			child.Process.Kill() // SIGKILL: no deferred function runs
			killedAt = n
			break
		}
	}
	child.Wait()
	if killedAt < 0 {
		t.Fatal("the import wrote nothing within a minute")
	}
	n := count("SELECT COUNT(*) FROM purchases")
	total := count("SELECT COUNT(*) FROM purchases p JOIN organisations o ON o.id = p.org_id WHERE o.slug = 'killed'")
	if n == 0 || n != total {
		t.Fatalf("after the kill: %d purchases, %d of the body", n, total)
	}
	if d := count("SELECT COUNT(*) - COUNT(DISTINCT ocid) FROM purchases"); d != 0 {
		t.Fatalf("after the kill: %d ocids twice", d)
	}
	if h := count(`SELECT COUNT(*) FROM purchases p WHERE NOT EXISTS (SELECT 1 FROM ocds_sources s WHERE s.purchase_id = p.id)
		OR NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.object_type = 'purchase' AND a.object_id = p.id AND a.action = 'import')`); h != 0 {
		t.Fatalf("after the kill: %d purchases half-written (no source or no audit row)", h)
	}
	if _, _, err := db.VerifyAudit(context.Background()); err != nil {
		t.Fatalf("after the kill: %v", err)
	}
	t.Logf("killed with %d purchases written (last seen %d)", n, killedAt)

	if code, _, errs := runCLI(t, "", importArgs("killed")...); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := runCLI(t, "", importArgs("clean")...); code != 0 {
		t.Fatal(errs)
	}
	state := func(org string) string {
		var s string
		if err := db.QueryRowForTest(`SELECT COALESCE(string_agg(p.ocid || '|' || p.title || '|' || p.stage || '|' || p.version || '|' ||
			p.value_minor || '|' || p.technologies || '|' || s.release_id || '|' || s.flag_ids, E'\n' ORDER BY p.ocid), '')
			FROM purchases p JOIN organisations o ON o.id = p.org_id JOIN ocds_sources s ON s.purchase_id = p.id WHERE o.slug = '`+org+`'`, &s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	killed, clean := state("killed"), state("clean")
	if killed == "" || killed != clean {
		t.Fatalf("killed and run again differs from a clean import (%d against %d bytes)", len(killed), len(clean))
	}
	if _, _, err := db.VerifyAudit(context.Background()); err != nil {
		t.Fatal(err)
	}
}
