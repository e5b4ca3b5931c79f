package i18n

import (
	"regexp"
	"strings"
	"testing"
)

var verbs = regexp.MustCompile(`%[-+# 0]*[0-9]*[a-z%]`)

// Every language has every English key, with the same placeholders in the
// same order: a missing or broken translation fails here, not in front of
// a person.
func TestEveryLanguageComplete(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	en := b.Catalog(Default)
	for _, lang := range b.Langs() {
		c := b.Catalog(lang)
		if c.Name == "" {
			t.Errorf("%s: no language.name", lang)
		}
		for _, k := range en.Keys() {
			if !c.Has(k) {
				t.Errorf("%s: missing key %q", lang, k)
				continue
			}
			want, got := verbs.FindAllString(en.T(k), -1), verbs.FindAllString(c.messages[k], -1)
			if len(want) != len(got) {
				t.Errorf("%s: key %q has placeholders %v, English has %v", lang, k, got, want)
				continue
			}
			for i := range want {
				if want[i] != got[i] {
					t.Errorf("%s: key %q has placeholders %v, English has %v", lang, k, got, want)
					break
				}
			}
		}
		for _, k := range c.Keys() {
			if !en.Has(k) {
				t.Errorf("%s: key %q is not in English", lang, k)
			}
		}
	}
}

func TestFallbackAndArgs(t *testing.T) {
	c := &Catalog{Lang: "xx", messages: map[string]string{"a": "%d items"}, fallback: &Catalog{messages: map[string]string{"b": "English only"}}}
	if c.T("a", 3) != "3 items" || c.T("b") != "English only" || c.T("missing.key") != "missing.key" {
		t.Fatal("lookup")
	}
}

func TestPluralForms(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		lang string
		n    int
		want string
	}{
		{"en", 0, "0 days"}, {"en", 1, "1 day"}, {"en", 2, "2 days"},
		{"fr", 0, "0 jour"}, {"fr", 1, "1 jour"}, {"fr", 2, "2 jours"},
		{"pt", 1, "1 dia"}, {"pt", 5, "5 dias"},
		{"es", 1, "1 día"}, {"es", 0, "0 días"},
	}
	for _, c := range cases {
		if got := b.Catalog(c.lang).N("unit.days", c.n); got != c.want {
			t.Errorf("%s %d: %q, want %q", c.lang, c.n, got, c.want)
		}
	}
}

// Every counted message has both forms in every language.
func TestCountedMessagesHaveBothForms(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range b.Langs() {
		c := b.Catalog(lang)
		for _, k := range c.Keys() {
			// (Only this way round: "sector.other" is a sector, not a form.)
			if base, ok := strings.CutSuffix(k, ".one"); ok && !c.Has(base+".other") {
				t.Errorf("%s: %s has no .other form", lang, k)
			}
		}
	}
}
