package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var headRE = regexp.MustCompile(`head (\d+):([0-9a-f]{64})`)

// audit verify prints its head as ROW:HASH; given back with --expect, it
// proves that row still holds, and a log cut back behind it fails even
// though its own chain and head agree.
func TestAuditVerifyExpect(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	url := "sqlite:" + path
	add := func(email string) {
		t.Helper()
		if code, _, errs := runCLI(t, "a long enough password\n", "user", "add", "--db", url, "--org", "city", "--role", "admin", "--email", email); code != 0 {
			t.Fatal(errs)
		}
	}
	add("one@city.example") // rows 1 (organisation) and 2
	code, out, errs := runCLI(t, "", "audit", "verify", "--db", url)
	m := headRE.FindStringSubmatch(out)
	if code != 0 || m == nil || m[1] != "2" {
		t.Fatalf("verify: %d %q %q", code, out, errs)
	}
	early := m[1] + ":" + m[2]
	add("two@city.example") // row 3
	_, out, _ = runCLI(t, "", "audit", "verify", "--db", url)
	late := headRE.FindStringSubmatch(out)[1] + ":" + headRE.FindStringSubmatch(out)[2]

	code, out, errs = runCLI(t, "", "audit", "verify", "--db", url, "--expect", early, "--expect", late)
	if code != 0 || !strings.Contains(out, "2 witnessed hashes") {
		t.Fatalf("verify with witnesses: %d %q %q", code, out, errs)
	}
	for _, bad := range []string{"3", "x:abc", "3:" + strings.Repeat("z", 64)} {
		if code, _, errs := runCLI(t, "", "audit", "verify", "--db", url, "--expect", bad); code != 2 || !strings.Contains(errs, "ROW:HASH") {
			t.Errorf("--expect %q: %d %q", bad, code, errs)
		}
	}
	// Row 3 removed and the head moved back to row 2, past the triggers.
	// The organisation and person rows of two@ are gone with it, so even
	// without a witness the newest person has no row; with the witness the
	// message names it.
	for _, q := range []string{"DROP TRIGGER audit_log_no_delete", "DROP TRIGGER audit_head_forward_only", "DELETE FROM audit_log WHERE id = 3",
		"UPDATE audit_head SET last_id = 2, hash = '" + early[2:] + "'"} {
		sqlExec(t, path, q)
	}
	code, _, errs = runCLI(t, "", "audit", "verify", "--db", url, "--expect", late)
	if code != 1 || !strings.Contains(errs, "NOT intact") || !strings.Contains(errs, "row 3 was witnessed") {
		t.Fatalf("cut-back log with a witness: %d %q", code, errs)
	}
	code, _, errs = runCLI(t, "", "audit", "verify", "--db", url)
	if code != 1 || !strings.Contains(errs, "newest person") {
		t.Fatalf("cut-back log without a witness: %d %q", code, errs)
	}
}
