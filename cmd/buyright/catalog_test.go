package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCatalogLintBuiltinIsClean(t *testing.T) {
	code, out, errs := runCLI(t, "", "catalog", "lint")
	if code != 0 || !strings.HasPrefix(out, "ok: ") {
		t.Fatalf("exit %d, out %q, err %q", code, out, errs)
	}
}

func TestCatalogLintOrganisationDirReportsFileLine(t *testing.T) {
	dir := t.TempDir()
	bad := "catalog: org\nversion: \"1\"\ntitle: Org\nlanguages: {en: full}\nitems:\n" +
		"  - {id: R-X, kind: right, title: x, text: x, refs: [NOPE 1]}\n" +
		"  - {id: R-X, kind: right, title: y, text: y, refs: [UDHR 1]}\n"
	p := filepath.Join(dir, "org.yaml")
	if err := os.WriteFile(p, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "", "catalog", "lint", dir)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	for _, want := range []string{p + `:6: R-X: unknown instrument "NOPE"`, p + `:7: duplicate id "R-X"`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errs, "not activated") {
		t.Errorf("stderr %q", errs)
	}
}

// An organisation's instrument that nothing cites fails the lint, named by
// file and line; citing it from one of its items makes the lint pass.
func TestCatalogLintReportsUncitedInstrument(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "instruments.yaml")
	inst := "catalog: instruments\nversion: \"org-1\"\nlanguages: {en: full}\nkind: instrument\nitems:\n" +
		"  - {id: NATLAW, title: National AI law, text: Our law, citation: Act 12 of 2026}\n"
	if err := os.WriteFile(p, []byte(inst), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "", "catalog", "lint", dir)
	if code != 1 || !strings.Contains(out, p+":6: NATLAW: no item cites this instrument") || !strings.Contains(errs, "cited by no item") {
		t.Fatalf("exit %d, out %q, err %q", code, out, errs)
	}
	use := "catalog: org\nversion: \"1\"\ntitle: Org\nlanguages: {en: full}\nitems:\n" +
		"  - {id: ORG-AI-REGISTER, kind: requirement, title: Register, text: Register the system, refs: [NATLAW 7], stage: implementation}\n"
	if err := os.WriteFile(filepath.Join(dir, "org.yaml"), []byte(use), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := runCLI(t, "", "catalog", "lint", dir); code != 0 {
		t.Fatalf("exit %d, out %q, err %q", code, out, errs)
	}
}

func TestCatalogListShowsVersionsAndCounts(t *testing.T) {
	code, out, _ := runCLI(t, "", "catalog", "list")
	if code != 0 {
		t.Fatal(code)
	}
	for _, want := range []string{"rights", "screening", "ai-act", "pt-principles", "1.0.0", "hash "} {
		if !strings.Contains(out, want) {
			t.Errorf("list lacks %q", want)
		}
	}
}

func TestCatalogUsage(t *testing.T) {
	if code, _, _ := runCLI(t, "", "catalog"); code != 2 {
		t.Errorf("no subcommand: exit %d", code)
	}
	if code, _, _ := runCLI(t, "", "catalog", "frob"); code != 2 {
		t.Errorf("unknown subcommand: exit %d", code)
	}
	if code, _, _ := runCLI(t, "", "catalog", "lint", "a", "b"); code != 2 {
		t.Errorf("two dirs: exit %d", code)
	}
}
