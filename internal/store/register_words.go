package store

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"
)

// longestPrefixIndex is the longest prefix register_fts indexes (migration
// 0014: prefix='2 3 4 5 6 7 8').
const longestPrefixIndex = 8

// maxExpansion bounds how many whole words a long search word becomes.
const maxExpansion = 32

// ftsMatch is the SQLite MATCH expression for a search: every word as a
// prefix. A word up to eight letters is read from FTS5's prefix index. A
// longer one would make FTS5 gather and merge the list of every word it
// begins before it could return the newest page (three times slower at a
// million entries), so it is first expanded, through the index's own
// vocabulary, into the whole words that begin with it (usually one to
// three), each read as an exact term that FTS5 streams newest-first.
func (db *DB) ftsMatch(ctx context.Context, terms []string) (string, error) {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = `"` + t + `"*`
		if utf8.RuneCountInString(t) <= longestPrefixIndex {
			continue
		}
		words, err := db.expandWord(ctx, t)
		if err != nil {
			return "", err
		}
		switch {
		case len(words) == 0:
			parts[i] = `"` + t + `"` // no word begins with it: matches nothing
		case len(words) <= maxExpansion:
			parts[i] = `("` + strings.Join(words, `" OR "`) + `")`
		}
		// More than maxExpansion words: left as a prefix (a slower search
		// rather than a wrong one).
	}
	return strings.Join(parts, " AND "), nil
}

// expandWord lists the indexed words that begin with w, at most
// maxExpansion+1, cached with the facet counts until the register changes.
// register_vocab is FTS5's vocabulary on SQLite and a table kept by
// triggers on PostgreSQL (register_doc.go).
func (db *DB) expandWord(ctx context.Context, w string) ([]string, error) {
	version, err := db.registerVersion(ctx)
	if err != nil {
		return nil, err
	}
	c := &db.facets
	c.mu.Lock()
	c.roll(version) // forgets the words of an older register
	words, ok := c.words[w]
	c.mu.Unlock()
	if ok {
		return words, nil
	}
	// Terms are lower-case letters and digits compared byte by byte; the
	// largest code point bounds every word that begins with w.
	rows, err := db.read.QueryContext(ctx, fmt.Sprintf("SELECT term FROM register_vocab WHERE term >= $1 AND term < $2 LIMIT %d", maxExpansion+1),
		w, w+string(utf8.MaxRune))
	if err != nil {
		return nil, fmt.Errorf("store: register words: %w", err)
	}
	defer rows.Close()
	words = []string{}
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		words = append(words, t)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.version == version && len(c.words) < 4096 {
		c.words[w] = words
	}
	c.mu.Unlock()
	return words, nil
}

// tsConfigs are the PostgreSQL text-search configurations of migration
// 0030: each language's stemmer without stop words. A search asks for each
// word as written or its stem in the reader's language.
var tsConfigs = map[string]string{"en": "buyright_en", "pt": "buyright_pt", "es": "buyright_es", "fr": "buyright_fr"}
