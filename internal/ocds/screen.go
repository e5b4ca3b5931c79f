package ocds

import (
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Result is what screening says about one release.
type Result struct {
	OCID  string `json:"ocid"`
	ID    string `json:"id,omitempty"`
	Title string `json:"title"`
	// Digital is true when an item code or a keyword in a title or
	// description points at digital technology.
	Digital    bool       `json:"digital"`
	Categories []string   `json:"categories"`
	Evidence   []Evidence `json:"evidence,omitempty"`
	Flags      []Flag     `json:"flags"`
}

// Evidence is one reason a release counts as digital (or was looked at).
type Evidence struct {
	Path     string `json:"path"`
	Kind     string `json:"kind"`  // "code" or "keyword"
	Match    string `json:"match"` // "CPV 302" or the keyword
	Category string `json:"category"`
}

// Flag is a due-diligence red flag, with the JSON path it came from.
type Flag struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
	Path   string `json:"path"`
}

// nonDigital lists code categories kept in the code list on purpose but
// which are not digital technology: CPV 7971/79713 security services are
// mostly guards, a known trap for surveillance screening.
// security-hardware (locks) is buyright's own addition for the same reason.
var nonDigital = map[string]bool{"security-services": true, "security-hardware": true}

// Screener decides, for each release, whether it buys digital technology
// and which red flags it raises. It is safe for concurrent use.
type Screener struct {
	codes      map[string]map[string]CodeRule // scheme → prefix → rule
	maxPrefix  int
	schemes    []SchemeAlias
	keywords   *matcher
	exclusions *matcher
	flagTerms  *matcher
	scratch    sync.Pool
}

// NewScreener builds a screener from lists (DefaultLists, possibly with
// some replaced).
func NewScreener(l *Lists) *Screener {
	s := &Screener{codes: map[string]map[string]CodeRule{}, schemes: l.Schemes}
	for _, c := range l.Codes {
		if s.codes[c.Scheme] == nil {
			s.codes[c.Scheme] = map[string]CodeRule{}
		}
		s.codes[c.Scheme][c.Prefix] = c
		s.maxPrefix = max(s.maxPrefix, len(c.Prefix))
	}
	toTerms := func(ks []Keyword) []term {
		var ts []term
		for _, k := range ks {
			ts = append(ts, term{text: k.Text, category: k.Category, lang: k.Lang})
		}
		return ts
	}
	s.keywords = newMatcher(toTerms(l.Keywords))
	s.exclusions = newMatcher(toTerms(l.Exclusions))
	s.flagTerms = newMatcher(toTerms(l.FlagTerms))
	s.scratch.New = func() any { return &scratch{} }
	return s
}

// scratch is per-call working memory, pooled so screening allocates little.
type scratch struct {
	folded []byte
	hits   []hit
	excl   []hit
}

// scheme maps a publisher's scheme text onto a code-list scheme.
func (s *Screener) scheme(text string) string {
	up := strings.ToUpper(strings.TrimSpace(text))
	if _, ok := s.codes[up]; ok {
		return up
	}
	low := strings.ToLower(text)
	for _, a := range s.schemes {
		if strings.Contains(low, a.Contains) {
			return a.Scheme
		}
	}
	return up
}

// code finds the longest prefix rule matching a classification, so CPV
// 32323500 is "surveillance" (323235) rather than "telecom-equipment" (32).
func (s *Screener) code(c Classification) (CodeRule, bool) {
	rules := s.codes[s.scheme(c.Scheme)]
	if rules == nil {
		return CodeRule{}, false
	}
	id := strings.TrimSpace(c.ID)
	for n := min(len(id), s.maxPrefix); n > 0; n-- {
		if r, ok := rules[id[:n]]; ok {
			return r, true
		}
	}
	return CodeRule{}, false
}

// text is one title or description of a release, with its JSON path.
type text struct {
	path string
	s    string
}

// texts lists the titles and descriptions screening reads.
func texts(r *Release) []text {
	var out []text
	add := func(path, s string) {
		if s != "" {
			out = append(out, text{path, s})
		}
	}
	items := func(prefix string, its []LineItem) {
		for _, it := range its {
			p := prefix + ".items[" + strconv.Itoa(it.Index) + "]"
			add(p+".description", it.Description)
			add(p+".classification.description", it.Classification.Description)
		}
	}
	if t := r.Tender; t != nil {
		add("tender.title", t.Title)
		add("tender.description", t.Description)
		items("tender", t.Items)
	}
	add("planning.budget.description", r.Planning.BudgetDescription)
	for _, a := range r.Awards {
		p := "awards[" + strconv.Itoa(a.Index) + "]"
		add(p+".title", a.Title)
		add(p+".description", a.Description)
		items(p, a.Items)
	}
	for _, c := range r.Contracts {
		p := "contracts[" + strconv.Itoa(c.Index) + "]"
		add(p+".title", c.Title)
		add(p+".description", c.Description)
		items(p, c.Items)
	}
	return out
}

// Title picks the most telling title of a release.
func Title(r *Release) string {
	if r.Tender != nil && r.Tender.Title != "" {
		return r.Tender.Title
	}
	for _, c := range r.Contracts {
		if c.Title != "" {
			return c.Title
		}
	}
	for _, a := range r.Awards {
		if a.Title != "" {
			return a.Title
		}
	}
	if r.Tender != nil && r.Tender.Description != "" {
		return r.Tender.Description
	}
	return r.Planning.BudgetDescription
}

// Screen screens one release.
func (s *Screener) Screen(r *Release) Result {
	res := Result{OCID: r.OCID, ID: r.ID, Title: Title(r), Categories: []string{}, Flags: []Flag{}}
	sc := s.scratch.Get().(*scratch)
	defer s.scratch.Put(sc)

	cats := map[string]bool{}
	s.screenCodes(r, &res, cats)
	ts := texts(r)
	termHits := map[string]text{} // flag-term set → first text it was seen in
	for _, t := range ts {
		sc.folded = fold(sc.folded, t.s)
		s.screenKeywords(sc, t, &res, cats)
		sc.hits = s.flagTerms.find(sc.folded, sc.hits[:0])
		for _, h := range sc.hits {
			set := s.flagTerms.terms[h.term].category
			if _, seen := termHits[set]; !seen {
				termHits[set] = text{t.path, s.flagTerms.terms[h.term].text}
			}
		}
	}
	for c := range cats {
		res.Categories = append(res.Categories, c)
		if !nonDigital[c] {
			res.Digital = true
		}
	}
	slices.Sort(res.Categories)
	s.flag(sc, r, &res, cats, termHits)
	return res
}

func (s *Screener) screenCodes(r *Release, res *Result, cats map[string]bool) {
	check := func(prefix string, its []LineItem) {
		for _, it := range its {
			p := prefix + ".items[" + strconv.Itoa(it.Index) + "]"
			cls := append([]Classification{it.Classification}, it.Additional...)
			for k, c := range cls {
				rule, ok := s.code(c)
				if !ok {
					continue
				}
				path := p + ".classification.id"
				if k > 0 {
					path = p + ".additionalClassifications[" + strconv.Itoa(c.Index) + "].id"
				}
				cats[rule.Category] = true
				addEvidence(res, Evidence{Path: path, Kind: "code", Match: rule.Scheme + " " + rule.Prefix, Category: rule.Category})
			}
		}
	}
	if r.Tender != nil {
		check("tender", r.Tender.Items)
	}
	for _, a := range r.Awards {
		check("awards["+strconv.Itoa(a.Index)+"]", a.Items)
	}
	for _, c := range r.Contracts {
		check("contracts["+strconv.Itoa(c.Index)+"]", c.Items)
	}
}

// screenKeywords looks for keywords in one folded text, dropping hits that
// fall inside an exclusion phrase ("servicio de vigilancia" is guards).
func (s *Screener) screenKeywords(sc *scratch, t text, res *Result, cats map[string]bool) {
	sc.hits = s.keywords.find(sc.folded, sc.hits[:0])
	if len(sc.hits) == 0 {
		return
	}
	sc.excl = s.exclusions.find(sc.folded, sc.excl[:0])
	seen := map[string]bool{}
hits:
	for _, h := range sc.hits {
		kw := &s.keywords.terms[h.term]
		for _, e := range sc.excl {
			if h.at >= e.at && h.at < e.at+len(s.exclusions.terms[e.term].text) {
				continue hits
			}
		}
		if seen[kw.text] {
			continue
		}
		seen[kw.text] = true
		cats[kw.category] = true
		addEvidence(res, Evidence{Path: t.path, Kind: "keyword", Match: kw.text, Category: kw.category})
	}
}

// addEvidence keeps the first place each code or keyword was seen: the same
// title repeated in tender, award and contract says nothing new.
func addEvidence(res *Result, e Evidence) {
	if len(res.Evidence) >= 10 {
		return
	}
	for _, o := range res.Evidence {
		if o.Kind == e.Kind && o.Match == e.Match {
			return
		}
	}
	res.Evidence = append(res.Evidence, e)
}
