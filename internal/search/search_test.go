package search

import (
	"strings"
	"testing"
	"unicode"
)

func TestWords(t *testing.T) {
	if got := Text("Prestações SOCIAIS", "e-mail: ana@x.pt", "  Ünïcödé  "); got != "prestacoes sociais e mail ana x pt unicode" {
		t.Fatalf("Text = %q", got)
	}
	if got := Terms(`NEAR(a b) OR "unterminated AND -x*`); strings.Join(got, ",") != "near,a,b,or,unterminated,and,x" {
		t.Fatalf("Terms = %v", got)
	}
	if FTS5([]string{"a", "b"}) != `"a"* AND "b"*` || TSQuery([]string{"a", "b"}) != "'a':* & 'b':*" {
		t.Fatal("query syntax")
	}
}

// Whatever a person types, the terms contain only letters and digits, so
// they cannot break out of either engine's query syntax.
func FuzzTerms(f *testing.F) {
	for _, s := range []string{`"x" OR y*`, "'; DROP TABLE x; --", "NEAR(a b)", "\x00\xff", "e-mail"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		terms := Terms(q)
		if len(terms) > MaxTerms {
			t.Fatalf("%d terms", len(terms))
		}
		for _, term := range terms {
			if term == "" {
				t.Fatal("empty term")
			}
			for _, r := range term {
				if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
					t.Fatalf("term %q has %q", term, r)
				}
			}
		}
	})
}

func TestWordsConcurrently(t *testing.T) {
	done := make(chan bool)
	for i := 0; i < 8; i++ {
		go func() {
			for j := 0; j < 2000; j++ {
				if got := Text("Saúde pública"); got != "saude publica" {
					t.Errorf("Text = %q", got)
				}
			}
			done <- true
		}()
	}
	for i := 0; i < 8; i++ {
		<-done
	}
}
