package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// How PostgreSQL finds a register search (migration 0035). Every search
// word is a prefix, as on SQLite: "alloc" finds "allocation". GIN answers
// a prefix by building a bitmap of every entry holding any word that
// begins with it, and each facet added a B-tree bitmap of its own, ANDed
// afterwards: at a million entries a word with two facets cost 130 ms for
// the word's bitmap and 40 ms for each facet's before a row was read.
// GIN intersects whole words quickly, so instead:
//
//   - each word becomes the whole words it begins, read from the
//     register's vocabulary (register_vocab, kept by triggers), and so
//     does its stem in the reader's language ("benefits" → "benefit" →
//     benefit, benefits, benefited…); a word that begins more than
//     maxExpansion words stays a prefix (a slower search, never a wrong
//     one), and one that begins none matches nothing;
//   - the facets are tokens in the same vector (and so the same index),
//     as in SQLite's word index, ANDed to the words.
//
// Expansions are cached with the facet counts until the register changes.

// pgSearchQuery is the tsquery text for terms and the facets of q, read
// in q.Lang.
func (db *DB) pgSearchQuery(ctx context.Context, terms []string, q RegisterQuery) (string, error) {
	words, err := db.pgWordsQuery(ctx, terms, q.Lang)
	if err != nil {
		return "", err
	}
	for _, tok := range facetQueryTokens(q) {
		words += " & " + tsLexeme(tok)
	}
	return words, nil
}

// pgWordsQuery is the tsquery text for terms read in lang.
func (db *DB) pgWordsQuery(ctx context.Context, terms []string, lang string) (string, error) {
	var parts []string
	for _, t := range terms {
		forms := []string{t}
		if cfg, ok := tsConfigs[lang]; ok {
			stem, err := db.stemOf(ctx, cfg, t)
			if err != nil {
				return "", err
			}
			if stem != "" && stem != t {
				forms = append(forms, stem)
			}
		}
		var alts []string
		for _, f := range forms {
			words, err := db.expandWord(ctx, f)
			if err != nil {
				return "", err
			}
			switch {
			case len(words) == 0:
				alts = append(alts, tsLexeme(f)) // begins no word: matches nothing
			case len(words) <= maxExpansion:
				for _, w := range words {
					alts = append(alts, tsLexeme(w))
				}
			default:
				alts = append(alts, tsLexeme(f)+":*")
			}
		}
		parts = append(parts, "("+strings.Join(alts, " | ")+")")
	}
	return strings.Join(parts, " & "), nil
}

// tsLexeme quotes s as one lexeme of tsquery text.
func tsLexeme(s string) string {
	return "'" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "'", "''") + "'"
}

// stemOf is w stemmed by the text-search configuration cfg, cached like
// the expansions (a stem is one word: search words are letters and digits).
func (db *DB) stemOf(ctx context.Context, cfg, w string) (string, error) {
	key := "\x00" + cfg + "\x00" + w
	c := &db.facets
	c.mu.Lock()
	cached, ok := c.words[key]
	c.mu.Unlock()
	if ok {
		return cached[0], nil
	}
	var stem string
	if err := db.read.QueryRowContext(ctx, "SELECT COALESCE((SELECT MIN(u.lexeme) FROM unnest(to_tsvector(CAST($1 AS regconfig), $2)) u), '')", cfg, w).Scan(&stem); err != nil {
		return "", fmt.Errorf("store: stem of a search word: %w", err)
	}
	c.mu.Lock()
	if c.words != nil && len(c.words) < 4096 {
		c.words[key] = []string{stem}
	}
	c.mu.Unlock()
	return stem, nil
}

// planEach asks PostgreSQL to plan a register search for its own words
// (an unnamed statement, planned with its values) instead of reusing a
// plan made for any words: the reused plan guessed every search rare and
// collected all 150,000 entries holding a common word to sort them, 2 s,
// where walking the register newest-first stops after 1,000. Searches
// run only when no kept page answers, so planning each is cheap.
func (db *DB) planEach(args []any) []any {
	if db.dialect != Postgres {
		return args
	}
	return append([]any{pgx.QueryExecModeExec}, args...)
}
