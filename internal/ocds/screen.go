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
	// Digital is true when one of the rules in decide.go holds: a strong
	// keyword, digital item codes that are a substantial share of the
	// release's codes, or a weak word in a title backed by another signal.
	Digital    bool       `json:"digital"`
	Categories []string   `json:"categories"`
	Evidence   []Evidence `json:"evidence,omitempty"`
	Flags      []Flag     `json:"flags"`
	// Explain holds every signal looked at and the rule that decided;
	// `screen --explain` prints it.
	Explain *Explanation `json:"explain,omitempty"`
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
// security-hardware (locks) and audio-visual are buyright's own additions
// for the same reason.
var nonDigital = map[string]bool{"security-services": true, "security-hardware": true, "audio-visual": true, "office-machinery": true}

// Screener decides, for each release, whether it buys digital technology
// and which red flags it raises. It is safe for concurrent use.
type Screener struct {
	codes     map[string]map[string]CodeRule // scheme → prefix → rule
	maxPrefix int
	schemes   []SchemeAlias
	// terms holds keywords, exclusion phrases, flag terms and language
	// words together, so each text is walked once.
	terms *matcher
	// langs are the languages of keywords and language words; index 0
	// stands for "any".
	langs     []string
	langIndex map[string]int
	prefixes  []Prefix
	scratch   sync.Pool
}

// NewScreener builds a screener from lists (DefaultLists, possibly with
// some replaced).
func NewScreener(l *Lists) *Screener {
	s := &Screener{codes: map[string]map[string]CodeRule{}, schemes: l.Schemes, prefixes: l.Prefixes,
		langs: []string{"*"}, langIndex: map[string]int{"*": 0, "": 0}}
	for _, c := range l.Codes {
		if s.codes[c.Scheme] == nil {
			s.codes[c.Scheme] = map[string]CodeRule{}
		}
		s.codes[c.Scheme][c.Prefix] = c
		s.maxPrefix = max(s.maxPrefix, len(c.Prefix))
	}
	lang := func(l string) int {
		l = normLang(l)
		i, ok := s.langIndex[l]
		if !ok {
			i = len(s.langs)
			s.langs = append(s.langs, l)
			s.langIndex[l] = i
		}
		return i
	}
	for _, l := range []string{"hy", "ru", "uk"} { // told apart by alphabet
		lang(l)
	}
	var ts []term
	for kind, list := range [][]Keyword{kindKeyword: l.Keywords, kindExclusion: l.Exclusions, kindFlagTerm: l.FlagTerms, kindLangWord: l.LangWords} {
		for _, k := range list {
			t := term{text: k.Text, category: k.Category, lang: normLang(k.Lang), kind: kind}
			if t.lang == "" {
				t.lang = "*"
			}
			if kind == kindKeyword || kind == kindLangWord {
				t.langID = lang(t.lang)
			}
			if kind == kindKeyword {
				f := foldString(k.Text)
				t.weak = k.Weak || l.Weak[WeakKey{t.lang, f}] || l.Weak[WeakKey{"*", f}]
			}
			ts = append(ts, t)
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
	kws     []kwHit
	codes   []codeHit
	votes   []int
	sigs    []Signal
	rep     []bool // rep[k]: text k repeats an earlier one
	scripts scripts
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

// rule finds the longest prefix rule matching a code, so CPV 32323500 is
// "surveillance" (323235) rather than "telecom-equipment" (32).
func (s *Screener) rule(rules map[string]CodeRule, id string) (CodeRule, bool) {
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
	field string // "title", "description"
	outer string // "tender", "awards", "contracts", "planning.budget"
	i     int    // index in awards or contracts
	item  int    // index in items, -1 when the text is not an item's
	lot   int    // index in tender.lots, -1 when not a lot's
	title bool   // a title: weak words count here
}

// part reports whether the text describes one part of the purchase (an
// item or a lot) rather than the whole.
func (t *text) part() bool { return t.item >= 0 || t.lot >= 0 }

func (t text) path() string {
	var b strings.Builder
	b.WriteString(t.outer)
	if t.outer == "awards" || t.outer == "contracts" {
		b.WriteString("[" + strconv.Itoa(t.i) + "]")
	}
	if t.item >= 0 {
		b.WriteString(".items[" + strconv.Itoa(t.item) + "]")
	}
	if t.lot >= 0 {
		b.WriteString(".lots[" + strconv.Itoa(t.lot) + "]")
	}
	b.WriteString(".")
	b.WriteString(t.field)
	return b.String()
}

// texts lists the titles and descriptions screening reads. The official
// labels that come with item codes (classification.description) are not
// among them: they are the code list's words, not the buyer's.
func texts(r *Release, out []text) []text {
	add := func(outer string, i, item, lot int, field, s string, title bool) {
		if s != "" {
			out = append(out, text{s: s, field: field, outer: outer, i: i, item: item, lot: lot, title: title})
		}
	}
	items := func(outer string, i int, its []LineItem) {
		for _, it := range its {
			add(outer, i, it.Index, -1, "description", it.Description, false)
		}
	}
	titled := false
	if t := r.Tender; t != nil {
		add("tender", 0, -1, -1, "title", t.Title, true)
		add("tender", 0, -1, -1, "description", t.Description, false)
		for _, l := range t.Lots {
			add("tender", 0, -1, l.Index, "title", l.Title, true)
			add("tender", 0, -1, l.Index, "description", l.Description, false)
		}
		items("tender", 0, t.Items)
		titled = t.Title != ""
	}
	for _, a := range r.Awards {
		add("awards", a.Index, -1, -1, "title", a.Title, true)
		add("awards", a.Index, -1, -1, "description", a.Description, false)
		items("awards", a.Index, a.Items)
		titled = titled || a.Title != ""
	}
	for _, c := range r.Contracts {
		add("contracts", c.Index, -1, -1, "title", c.Title, true)
		add("contracts", c.Index, -1, -1, "description", c.Description, false)
		items("contracts", c.Index, c.Items)
		titled = titled || c.Title != ""
	}
	// A planning release's budget line is its only name (Armenia,
	// Paraguay): it stands as the title when there is no other.
	add("planning.budget", 0, -1, -1, "description", r.Planning.BudgetDescription, !titled)
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

// Screen screens one release. Result.Explain says which rule decided, in
// which language, over how many codes; ScreenExplain adds every signal.
func (s *Screener) Screen(r *Release) Result { return s.screen(r, false) }

// ScreenExplain is Screen with Result.Explain.Signals filled: every
// keyword and code found, where, and what became of it.
func (s *Screener) ScreenExplain(r *Release) Result { return s.screen(r, true) }

func (s *Screener) screen(r *Release, full bool) Result {
	res := Result{OCID: r.OCID, ID: r.ID, Title: Title(r), Categories: []string{}, Flags: []Flag{}}
	sc := s.scratch.Get().(*scratch)
	defer s.scratch.Put(sc)
	sc.cats = sc.cats[:0]
	sc.sets = sc.sets[:0]
	sc.kws = sc.kws[:0]
	sc.codes = sc.codes[:0]
	sc.scripts = scripts{}
	if cap(sc.votes) < len(s.langs) {
		sc.votes = make([]int, len(s.langs))
	}
	sc.votes = sc.votes[:len(s.langs)]
	clear(sc.votes)

	s.collectCodes(sc, r)
	sc.texts = texts(r, sc.texts[:0])
	clear(sc.seen)
	sc.rep = sc.rep[:0]
	for k := range sc.texts {
		// The same title often stands in tender, award and contract; the
		// first place it appears is the path reported, so repeats add
		// nothing.
		rep := sc.repeated(k)
		sc.rep = append(sc.rep, rep)
		if rep {
			continue
		}
		sc.folded = foldCount(sc.folded, sc.texts[k].s, &sc.scripts)
		s.screenText(sc, k)
	}
	s.decide(sc, r, &res, full)
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

// codeHit is one classification of an item, in a scheme of the code list.
type codeHit struct {
	scheme, id string // scheme of the code list; id as published
	key        string // the 8-digit code, "" when the id is malformed
	bad        string // why the id is not a code of its scheme
	rule       CodeRule
	matched    bool
	outer      string
	i, item    int
	add        int    // index in additionalClassifications, -1 for the main one
	use        string // what the decision made of it
}

func (c *codeHit) path() string {
	field := "classification.id"
	if c.add >= 0 {
		field = "additionalClassifications[" + strconv.Itoa(c.add) + "].id"
	}
	return text{outer: c.outer, i: c.i, item: c.item, lot: -1, field: field}.path()
}

// collectCodes reads the item classifications of tender, awards and
// contracts whose scheme is one of the code list's (CPV, UNSPSC and their
// aliases); codes of other schemes cannot be judged and are not counted.
func (s *Screener) collectCodes(sc *scratch, r *Release) {
	check := func(outer string, i int, its []LineItem) {
		for _, it := range its {
			for k := -1; k < len(it.Additional); k++ {
				c := it.Classification
				add := -1
				if k >= 0 {
					c = it.Additional[k]
					add = c.Index
				}
				if c.ID == "" {
					continue
				}
				scheme := s.scheme(sc, c.Scheme)
				rules := s.codes[scheme]
				if rules == nil {
					continue
				}
				h := codeHit{scheme: scheme, id: c.ID, outer: outer, i: i, item: it.Index, add: add}
				h.key, h.bad = codeKey(scheme, c.ID)
				if h.bad == "" {
					h.rule, h.matched = s.rule(rules, h.key)
				}
				sc.codes = append(sc.codes, h)
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

// kwHit is a keyword found in text k, or cancelled there by an exclusion.
type kwHit struct {
	text, term, at int
	excluded       int // term index of the exclusion phrase, -1 when none
}

// screenText finds keywords, exclusions, flag terms and language words in
// one pass over the folded text k. A keyword inside an exclusion phrase
// does not count ("servicio de vigilancia" is guards, not cameras).
func (s *Screener) screenText(sc *scratch, k int) {
	sc.hits = s.terms.find(sc.folded, sc.hits[:0])
	if len(sc.hits) == 0 {
		return
	}
	var path string
hits:
	for _, h := range sc.hits {
		tm := &s.terms.terms[h.term]
		switch tm.kind {
		case kindExclusion:
			continue
		case kindLangWord:
			sc.votes[tm.langID]++
			continue
		}
		for _, e := range sc.hits {
			if x := &s.terms.terms[e.term]; x.kind == kindExclusion && h.at >= e.at && h.at < e.at+len(x.text) {
				if tm.kind == kindKeyword {
					sc.kws = append(sc.kws, kwHit{text: k, term: h.term, at: h.at, excluded: e.term})
				}
				continue hits
			}
		}
		switch tm.kind {
		case kindKeyword:
			sc.kws = append(sc.kws, kwHit{text: k, term: h.term, at: h.at, excluded: -1})
		case kindFlagTerm:
			if !slices.ContainsFunc(sc.sets, func(f setHit) bool { return f.set == tm.category }) {
				if path == "" {
					path = sc.texts[k].path()
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
