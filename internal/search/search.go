// Package search turns text and queries into the one form both databases
// index: lower-case words of letters and digits, without diacritics,
// separated by single spaces. Doing this in Go, not in each engine, is what
// makes SQLite FTS5 and PostgreSQL full-text search return the same results.
package search

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// MaxTerms bounds a query, so a pasted page cannot become a huge search.
const MaxTerms = 12

// Words returns the normalised words of s, in order, duplicates kept.
func Words(s string) []string {
	// Decompose, then drop the combining marks: "prestações" → "prestacoes".
	// (norm.NFD is safe for concurrent use; a transform.Chain is not.)
	folded := strings.ToLower(strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Mn, r) {
			return -1
		}
		return r
	}, norm.NFD.String(s)))
	return strings.FieldsFunc(folded, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// Text is the searchable form of several pieces of text.
func Text(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		for _, w := range Words(p) {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(w)
		}
	}
	return b.String()
}

// Terms returns the distinct words of a query, at most MaxTerms, each safe
// to place inside either engine's query syntax (letters and digits only).
func Terms(q string) []string {
	seen := map[string]bool{}
	var out []string
	for _, w := range Words(q) {
		if len(w) > 64 {
			w = w[:64]
		}
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
		if len(out) == MaxTerms {
			break
		}
	}
	return out
}

// FTS5 is the MATCH expression for SQLite: every term as a prefix.
func FTS5(terms []string) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = `"` + t + `"*`
	}
	return strings.Join(parts, " AND ")
}

// TSQuery is the to_tsquery('simple', ...) text for PostgreSQL: every term
// as a prefix.
func TSQuery(terms []string) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = "'" + t + "':*"
	}
	return strings.Join(parts, " & ")
}
