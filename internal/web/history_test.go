package web

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"buyright/internal/i18n"
)

// builtActions are the actions the store builds from a prefix and a value:
// a sub-processor declared added, changed or ended; an invitation accepted
// or declined.
var builtActions = map[string][]string{
	"subcontractor_": {"added", "changed", "ended"},
	"invitation_":    {"accepted", "declined"},
}

// emittedActions reads the store's source for every action name it writes
// to the audit log: the literal in each appendAudit call and in the
// importer's audit writer, and those built from a prefix (builtActions).
func emittedActions(t *testing.T) map[string]string {
	t.Helper()
	call := regexp.MustCompile(`appendAudit\(ctx, tx, [^,]+, [^,]+, (?:"[a-z_]+"|\w+), [^,]+, "([a-z_]+)"(\+\w+)?`)
	imp := regexp.MustCompile(`aw\.add\([^,]+, [^,]+, [^,]+, "([a-z_]+)"`)
	files, _ := filepath.Glob("../store/*.go")
	out := map[string]string{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range call.FindAllStringSubmatch(string(src), -1) {
			if m[2] != "" {
				ends, ok := builtActions[m[1]]
				if !ok {
					t.Errorf("%s: action %q is built from %s; list its endings in builtActions", f, m[1], m[2])
				}
				for _, end := range ends {
					out[m[1]+end] = f
				}
				continue
			}
			out[m[1]] = f
		}
		for _, m := range imp.FindAllStringSubmatch(string(src), -1) {
			out[m[1]] = f
		}
	}
	if n := strings.Count(strings.Join(storeSources(t, files), ""), "appendAudit("); n < 100 {
		t.Fatalf("found only %d appendAudit calls; the store's layout changed", n)
	}
	return out
}

// storeSources returns the text of the store's non-test files.
func storeSources(t *testing.T, files []string) []string {
	var out []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, _ := os.ReadFile(f)
		out = append(out, string(b))
	}
	return out
}

// Every action the store writes to the audit log reads as a sentence of
// its own in each language: the history on a purchase never shows a key
// or an English word in a Portuguese page.
func TestEveryAuditActionIsASentenceInEveryLanguage(t *testing.T) {
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	actions := emittedActions(t)
	t.Logf("%d actions", len(actions))
	if len(actions) < 80 {
		t.Fatalf("found only %d actions: %v", len(actions), actions)
	}
	for _, lang := range b.Langs() {
		cat := b.Catalog(lang)
		for a, where := range actions {
			if !cat.Has("history." + a) {
				t.Errorf("%s: action %q (written in %s) has no history.%s sentence", lang, a, where, a)
				continue
			}
			s := historySentence(cat, a)
			if !strings.HasSuffix(s, ".") || strings.Contains(s, a) && strings.Contains(a, "_") {
				t.Errorf("%s: history.%s = %q is not a sentence", lang, a, s)
			}
			if lang != "en" && s == historySentence(b.Catalog("en"), a) {
				t.Errorf("%s: history.%s is the English sentence", lang, a)
			}
		}
	}
	if got := historySentence(b.Catalog("pt"), "made_up_later"); !strings.Contains(got, "made_up_later") || strings.HasPrefix(got, "history.") {
		t.Errorf("an unknown action reads %q", got)
	}
}

// Entries no person made name their maker in the reader's language.
func TestHistoryActorsTranslated(t *testing.T) {
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	pt := b.Catalog("pt")
	for label, want := range map[string]string{"public": "uma pessoa do público", "organisation": "uma organização, em seu nome", "system": "buyright (automático)", "ana@portavera.example": "ana@portavera.example"} {
		if got := historyActor(pt, label); got != want {
			t.Errorf("%q reads %q in pt, want %q", label, got, want)
		}
	}
}
