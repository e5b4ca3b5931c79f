package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// An export with the placeholder ocid prefix says so on stderr; a
// registered prefix does not; a malformed one is refused with what is
// wrong, before anything is written; serve refuses one too.
func TestExportFlagsPlaceholderPrefix(t *testing.T) {
	url := "sqlite:" + filepath.Join(t.TempDir(), "x.db")
	if code, _, errs := runCLI(t, "", "migrate", "--db", url); code != 0 {
		t.Fatalf("migrate: %s", errs)
	}
	code, _, errs := runCLI(t, "", "export", "ocds", "--db", url)
	if code != 0 || !strings.Contains(errs, "warning: ocid prefix ocds-000000 is a placeholder") {
		t.Errorf("placeholder export: %d %q", code, errs)
	}
	code, _, errs = runCLI(t, "", "export", "ocds", "--db", url, "--prefix", "ocds-abc123")
	if code != 0 || strings.Contains(errs, "placeholder") {
		t.Errorf("registered prefix: %d %q", code, errs)
	}
	code, out, errs := runCLI(t, "", "export", "ocds", "--db", url, "--prefix", "abc123")
	if code != 2 || out != "" || !strings.Contains(errs, `--prefix: ocid prefix "abc123" must start with "ocds-"`) {
		t.Errorf("malformed prefix: %d %q %q", code, out, errs)
	}
	code, _, errs = runCLI(t, "", "serve", "--db", url, "--ocds-prefix", "ocds-ABC123")
	if code != 2 || !strings.Contains(errs, "--ocds-prefix: ") {
		t.Errorf("serve with a malformed prefix: %d %q", code, errs)
	}
}
