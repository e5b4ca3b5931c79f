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
	codes     map[string]map[string]CodeRule // scheme → prefix → rule
	maxPrefix int
	schemes   []SchemeAlias
	// terms holds keywords, exclusion phrases and flag terms together, so
	// each text is walked once.
	terms   *matcher
	scratch sync.Pool
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
	var ts []term
	for kind, list := range [][]Keyword{kindKeyword: l.Keywords, kindExclusion: l.Exclusions, kindFlagTerm: l.FlagTerms} {
		for _, k := range list {
			ts = append(ts, term{text: k.Text, category: k.Category, lang: k.Lang, kind: kind})
		}
	}
	s.terms = newMatcher(ts)
	s.scratch.New = func() any { return &scratch{schemes: map[string]string{}, seen: map[string]struct{}{}} }
	return s
}

// scratch is per-call working memory, pooled so screening allocates little.
type scratch struct {
	folded  []byte
	hits    []hit
	texts   []text
	cats    []string
	sets    []setHit
	schemes map[string]string
	seen    map[string]struct{}
	// lastScheme is the scheme text seen last and what it maps to: items
	// of one release nearly always share it.
	lastScheme, lastCanon string
}

// scheme maps a publisher's scheme text onto a code-list scheme. A file
// uses a handful of scheme texts over and over, so answers are cached per
// goroutine.
func (s *Screener) scheme(sc *scratch, text string) string {
	if text == sc.lastScheme {
		return sc.lastCanon
	}
	v, ok := sc.schemes[text]
	if !ok {
		v = s.schemeOf(text)
		if len(sc.schemes) > 256 {
			clear(sc.schemes)
		}
		sc.schemes[text] = v
	}
	sc.lastScheme, sc.lastCanon = text, v
	return v
}

func (s *Screener) schemeOf(text string) string {
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
func (s *Screener) code(sc *scratch, c Classification) (CodeRule, bool) {
	if c.ID == "" {
		return CodeRule{}, false
	}
	rules := s.codes[s.scheme(sc, c.Scheme)]
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

// text is one title or description of a release. Its JSON path is only
// spelled out when something is found in it, since most texts hold nothing.
type text struct {
	s     string
	field string // "title", "description", "classification.description"
	outer string // "tender", "awards", "contracts", "planning.budget"
	i     int    // index in awards or contracts
	item  int    // index in items, -1 when the text is not an item's
}

func (t text) path() string {
	var b strings.Builder
	b.WriteString(t.outer)
	if t.outer == "awards" || t.outer == "contracts" {
		b.WriteString("[" + strconv.Itoa(t.i) + "]")
	}
	if t.item >= 0 {
		b.WriteString(".items[" + strconv.Itoa(t.item) + "]")
	}
	b.WriteString(".")
	b.WriteString(t.field)
	return b.String()
}

// texts lists the titles and descriptions screening reads.
func texts(r *Release, out []text) []text {
	add := func(outer string, i, item int, field, s string) {
		if s != "" {
			out = append(out, text{s: s, field: field, outer: outer, i: i, item: item})
		}
	}
	items := func(outer string, i int, its []LineItem) {
		for _, it := range its {
			add(outer, i, it.Index, "description", it.Description)
			add(outer, i, it.Index, "classification.description", it.Classification.Description)
		}
	}
	if t := r.Tender; t != nil {
		add("tender", 0, -1, "title", t.Title)
		add("tender", 0, -1, "description", t.Description)
		items("tender", 0, t.Items)
	}
	add("planning.budget", 0, -1, "description", r.Planning.BudgetDescription)
	for _, a := range r.Awards {
		add("awards", a.Index, -1, "title", a.Title)
		add("awards", a.Index, -1, "description", a.Description)
		items("awards", a.Index, a.Items)
	}
	for _, c := range r.Contracts {
		add("contracts", c.Index, -1, "title", c.Title)
		add("contracts", c.Index, -1, "description", c.Description)
		items("contracts", c.Index, c.Items)
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
	sc.cats = sc.cats[:0]
	sc.sets = sc.sets[:0]

	s.screenCodes(sc, r, &res)
	sc.texts = texts(r, sc.texts[:0])
	clear(sc.seen)
	for k, t := range sc.texts {
		// The same title often stands in tender, award and contract; the
		// first place it appears is the path reported, so repeats add
		// nothing.
		if sc.repeated(k) {
			continue
		}
		sc.folded = fold(sc.folded, t.s)
		s.screenText(sc, t, &res)
	}
	for _, c := range sc.cats {
		res.Categories = append(res.Categories, c)
		if !nonDigital[c] {
			res.Digital = true
		}
	}
	slices.Sort(res.Categories)
	s.flag(sc, r, &res)
	return res
}

// repeated reports whether text k was already seen in this release. Most
// releases have few texts, compared directly; long item lists use a set.
func (sc *scratch) repeated(k int) bool {
	t := sc.texts[k].s
	if len(sc.texts) <= 32 {
		for _, o := range sc.texts[:k] {
			if len(o.s) == len(t) && o.s == t {
				return true
			}
		}
		return false
	}
	if _, dup := sc.seen[t]; dup {
		return true
	}
	sc.seen[t] = struct{}{}
	return false
}

// addCategory notes a category once; a release has only a handful, so a
// slice beats a map.
func (sc *scratch) addCategory(c string) {
	if !slices.Contains(sc.cats, c) {
		sc.cats = append(sc.cats, c)
	}
}

func (s *Screener) screenCodes(sc *scratch, r *Release, res *Result) {
	check := func(outer string, i int, its []LineItem) {
		for _, it := range its {
			for k := -1; k < len(it.Additional); k++ {
				c := it.Classification
				if k >= 0 {
					c = it.Additional[k]
				}
				rule, ok := s.code(sc, c)
				if !ok {
					continue
				}
				field := "classification.id"
				if k >= 0 {
					field = "additionalClassifications[" + strconv.Itoa(c.Index) + "].id"
				}
				sc.addCategory(rule.Category)
				addEvidence(res, Evidence{Path: text{outer: outer, i: i, item: it.Index, field: field}.path(), Kind: "code", Match: rule.Scheme + " " + rule.Prefix, Category: rule.Category})
			}
		}
	}
	if r.Tender != nil {
		check("tender", 0, r.Tender.Items)
	}
	for _, a := range r.Awards {
		check("awards", a.Index, a.Items)
	}
	for _, c := range r.Contracts {
		check("contracts", c.Index, c.Items)
	}
}

// screenText finds keywords, exclusions and flag terms in one pass over a
// folded text. A keyword inside an exclusion phrase does not count
// ("servicio de vigilancia" is guards, not cameras).
func (s *Screener) screenText(sc *scratch, t text, res *Result) {
	sc.hits = s.terms.find(sc.folded, sc.hits[:0])
	if len(sc.hits) == 0 {
		return
	}
	var path string
hits:
	for _, h := range sc.hits {
		tm := &s.terms.terms[h.term]
		if tm.kind == kindExclusion {
			continue
		}
		for _, e := range sc.hits {
			if x := &s.terms.terms[e.term]; x.kind == kindExclusion && h.at >= e.at && h.at < e.at+len(x.text) {
				continue hits
			}
		}
		switch tm.kind {
		case kindKeyword:
			sc.addCategory(tm.category)
			if path == "" {
				path = t.path()
			}
			addEvidence(res, Evidence{Path: path, Kind: "keyword", Match: tm.text, Category: tm.category})
		case kindFlagTerm:
			if !slices.ContainsFunc(sc.sets, func(f setHit) bool { return f.set == tm.category }) {
				if path == "" {
					path = t.path()
				}
				sc.sets = append(sc.sets, setHit{set: tm.category, path: path, term: tm.text})
			}
		}
	}
}

// setHit is the first place a flag-term set (emergency, personal-data...)
// was found.
type setHit struct{ set, path, term string }

func (sc *scratch) set(name string) (setHit, bool) {
	for _, h := range sc.sets {
		if h.set == name {
			return h, true
		}
	}
	return setHit{}, false
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
