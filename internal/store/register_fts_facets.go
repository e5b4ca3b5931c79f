package store

import (
	"strconv"
	"strings"
)

// On SQLite, a search with words and facets ("cameras" in health, at the
// contract stage) used to walk the entries with the words newest-first and
// test each for the facets: with two facets that hold one entry in ten,
// about 2,000 rows for a page of twenty (2.3 s at a million entries). FTS5
// cannot join its index with the facets' B-trees, but it intersects its
// own lists quickly. So each entry's facet values are indexed beside its
// words as tokens no one types (a "qq" prefix, a letter for the facet, the
// value without separators), and a search ANDs them to its words. Only
// register_fts holds them; register_entries.search_text keeps the words.
// Migration 0033 writes the same tokens for existing entries in SQL:
// facetTokens and that statement must agree.

// facetTokens are the tokens indexed for an entry's facets; techs is the
// comma-framed list register_entries stores (",a,b,").
func facetTokens(sector, techs, stage string, level int, org int64, year int) string {
	var b strings.Builder
	b.WriteString(" qqs" + squash(sector))
	b.WriteString(" qqg" + squash(stage))
	b.WriteString(" qql" + strconv.Itoa(level))
	b.WriteString(" qqo" + strconv.FormatInt(org, 10))
	b.WriteString(" qqy" + strconv.Itoa(year))
	b.WriteString(strings.ReplaceAll(squash(techs), ",", " qqt"))
	return b.String()
}

// squash drops the separators the catalogues' values use, which FTS5's
// tokenizer would otherwise split on.
func squash(v string) string { return strings.NewReplacer("_", "", "-", "").Replace(v) }

// facetQueryTokens are the tokens an entry must hold to have the query's
// facets. (Red flags belong to the purchase, not the entry, and stay a SQL
// condition.)
func facetQueryTokens(q RegisterQuery) []string {
	var toks []string
	if q.Sector != "" {
		toks = append(toks, "qqs"+squash(q.Sector))
	}
	if q.Technology != "" {
		toks = append(toks, "qqt"+squash(q.Technology))
	}
	if q.Stage != "" {
		toks = append(toks, "qqg"+squash(q.Stage))
	}
	if q.Level != 0 {
		toks = append(toks, "qql"+strconv.Itoa(q.Level))
	} else if q.Unscreened {
		toks = append(toks, "qql0")
	}
	if q.OrgID != 0 {
		toks = append(toks, "qqo"+strconv.FormatInt(q.OrgID, 10))
	}
	if q.Year != 0 {
		toks = append(toks, "qqy"+strconv.Itoa(q.Year))
	}
	return toks
}

// facetMatch is the part of an FTS5 MATCH expression that keeps the
// entries with the query's facets, or "" when it names none. A value from
// the address bar may hold anything: quotes are doubled, as FTS5 strings
// escape them, and a value no entry has matches none.
func facetMatch(q RegisterQuery) string {
	var parts []string
	for _, t := range facetQueryTokens(q) {
		parts = append(parts, `"`+strings.ReplaceAll(t, `"`, `""`)+`"`)
	}
	return strings.Join(parts, " AND ")
}
