package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"sync"
)

// Drawing a register page's results (cards, pager, refine links) was half
// of the server's CPU for a search whose page the store had kept: the
// templates print a few hundred values, each escaped through a call by
// reflection. A kept page never changes, so its results are drawn once
// per language and kept beside it, keyed on everything else the drawing
// reads (the search as typed, the bodies' names, the entries past their
// sunset today, the translated summaries), which the handler still reads
// from the database on every request. Anything new the results template
// reads must go into resultsKey.

// resultsHTMLBytes bounds the kept drawings; past it they start again.
const resultsHTMLBytes = 8 << 20

type resultsHTML struct {
	mu    sync.Mutex
	bytes int
	m     map[string]template.HTML
}

// registerResults draws the results of d in r's language, or returns the
// drawing kept for the same inputs.
func (s *Server) registerResults(r *http.Request, d *registerData, names map[int64]string) (template.HTML, error) {
	cat := s.catalog(r)
	key := ""
	if d.Result.Kept != 0 {
		var err error
		if key, err = resultsKey(cat.Lang, d, names); err != nil {
			return "", err
		}
		s.results.mu.Lock()
		h, ok := s.results.m[key]
		s.results.mu.Unlock()
		if ok {
			return h, nil
		}
	}
	d.Facets = registerFacets(cat, d.Query, d.LevelParam, d.Result, names)
	t, err := s.pages.get(cat.Lang, "register")
	if err != nil {
		return "", err
	}
	if t == nil {
		return "", fmt.Errorf("web: no register template in %q", cat.Lang)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "register_results", view{Lang: cat.Lang, Data: d}); err != nil {
		return "", fmt.Errorf("web: rendering register results: %w", err)
	}
	h := template.HTML(buf.String())
	if key != "" {
		s.results.mu.Lock()
		if s.results.m == nil || s.results.bytes+len(h)+len(key) > resultsHTMLBytes {
			s.results.m, s.results.bytes = map[string]template.HTML{}, 0
		}
		s.results.m[key] = h
		s.results.bytes += len(h) + len(key)
		s.results.mu.Unlock()
	}
	return h, nil
}

// resultsKey names the drawing of a kept page: the page's number, the
// language, and a digest of the other inputs (JSON writes maps in key
// order, and quotes every string, so two different inputs cannot meet).
func resultsKey(lang string, d *registerData, names map[int64]string) (string, error) {
	h := sha256.New()
	if err := json.NewEncoder(h).Encode([]any{d.Query, d.Active, d.LevelParam, names, d.PastSunset, d.Translated}); err != nil {
		return "", err
	}
	return strconv.FormatUint(d.Result.Kept, 10) + "|" + lang + "|" + hex.EncodeToString(h.Sum(nil)), nil
}
