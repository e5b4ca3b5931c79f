package ocds

import (
	"strconv"
	"strings"
)

// Explanation is everything the digital decision looked at, for
// `screen --explain`: the language keywords were matched in, each signal
// and what became of it, and the rule that decided.
type Explanation struct {
	Language     string `json:"language"`      // "" when unknown: keywords of every language applied
	LanguageFrom string `json:"language_from"` // text, release.language, ocid prefix or unknown
	// Rule says which rule made the release digital, or why none did.
	Rule string `json:"rule"`
	// Codes counts the distinct well-formed item codes in schemes of the
	// code list, and how many of them are digital.
	Codes        int      `json:"codes"`
	DigitalCodes int      `json:"digital_codes"`
	Signals      []Signal `json:"signals"`
	// Omitted counts signals left out past the first maxSignals.
	Omitted int `json:"omitted,omitempty"`
}

// Signal is one keyword or code found in a release.
type Signal struct {
	Kind     string `json:"kind"`  // "keyword" or "code"
	Match    string `json:"match"` // the keyword, or "CPV 72" (the list entry matched)
	Value    string `json:"value,omitempty"`
	Path     string `json:"path"`
	Lang     string `json:"lang,omitempty"` // a keyword's language ("*" for any)
	Strength string `json:"strength"`       // strong, weak, division (a top-level code), or none
	Category string `json:"category,omitempty"`
	// Use is "decided" (the rule that made the release digital rests on
	// it), "supporting" (counted, but not what decided) or "discarded".
	Use string `json:"use"`
	Why string `json:"why,omitempty"`
	// evidence marks signals that go into Result.Evidence.
	evidence bool
}

const (
	useDecided    = "decided"
	useSupporting = "supporting"
	useDiscarded  = "discarded"
	maxSignals    = 40
)

// The rules, in the order they are tried.
const (
	ruleStrong   = "strong keyword"
	ruleCodes    = "digital codes"
	ruleWeak     = "weak word in a title with another signal"
	ruleNoSignal = "no signal"
)

// codeShareMin is the share of a release's distinct item codes that must be
// digital for codes to decide: one digital code among a works contract's
// dozens is a detail of the works, not what is bought.
const codeShareMin = 1.0 / 3

// itemShareMin is the share of a release's distinct item descriptions that
// must hold a strong keyword for item text alone to decide: "cable for
// telephony" among thirty electrical supplies does not make them digital.
const itemShareMin = 1.0 / 4

// decide applies the rules to the signals collected from release r.
//
// With full unset, only the signals that become evidence get a path: most
// runs do not print the explanation, and building every signal's path
// costs more than the decision itself.
func (s *Screener) decide(sc *scratch, r *Release, res *Result, full bool) {
	lang, from := s.language(sc, r)
	ex := &Explanation{Language: lang, LanguageFrom: from}
	res.Explain = ex
	if lang == "" {
		ex.Language = ""
	}

	// Codes: distinct well-formed codes, and those the list calls digital.
	distinct, digital := 0, 0
	precise := false // a digital code that is not a whole division
	for i := range sc.codes {
		c := &sc.codes[i]
		if c.key == "" || sc.codeSeen(i) {
			continue
		}
		distinct++
		if c.matched && !nonDigital[c.rule.Category] {
			digital++
			precise = precise || !isDivisionHead(c.scheme, c.key)
		}
	}
	ex.Codes, ex.DigitalCodes = distinct, digital

	// Keywords: in the release's language, outside exclusion phrases.
	items, itemsHit := 0, 0
	lastItem := -1
	for k, t := range sc.texts {
		if t.part() && !sc.rep[k] {
			items++
		}
	}
	strongText, weakTitle, others := false, false, 0
	var seenTerms []int
	for _, h := range sc.kws {
		tm := &s.terms.terms[h.term]
		if h.excluded >= 0 || !(tm.lang == "*" || lang == "" || tm.lang == lang) {
			continue
		}
		t := &sc.texts[h.text]
		switch {
		case !tm.weak && t.part():
			if h.text != lastItem {
				itemsHit++
				lastItem = h.text
			}
		case !tm.weak:
			strongText = true
		case t.title:
			weakTitle = true
		}
		if !containsInt(seenTerms, h.term) {
			seenTerms = append(seenTerms, h.term)
			others++
		}
	}
	itemsDecide := itemsHit > 0 && float64(itemsHit) >= itemShareMin*float64(items)
	codesShare := digital > 0 && float64(digital) >= codeShareMin*float64(distinct)
	backing := strongText || itemsHit > 0 || weakTitle
	codesDecide := codesShare && (precise || backing || digital >= 2)
	// A weak word in a title needs another signal: another keyword, or a
	// digital code.
	weakDecides := weakTitle && (others >= 2 || digital > 0)

	switch {
	case strongText || itemsDecide:
		ex.Rule = ruleStrong
	case codesDecide:
		ex.Rule = ruleCodes
	case weakDecides:
		ex.Rule = ruleWeak
	default:
		ex.Rule = s.whyNot(sc, lang, distinct, digital, codesShare, items, itemsHit)
	}
	res.Digital = ex.Rule == ruleStrong || ex.Rule == ruleCodes || ex.Rule == ruleWeak

	sc.sigs = sc.sigs[:0]
	s.explainKeywords(sc, ex, res, lang, items, itemsHit, itemsDecide, full)
	s.explainCodes(sc, ex, res, codesDecide, distinct, digital, backing, full)
	// Evidence lists what decided first, then supporting codes, then
	// supporting keywords; flags point at the first of their category.
	for pass := 0; pass < 3; pass++ {
		for i := range sc.sigs {
			g := &sc.sigs[i]
			if !g.evidence || pass == 0 && g.Use != useDecided || pass > 0 && g.Use == useDecided ||
				pass == 1 && g.Kind != "code" || pass == 2 && g.Kind != "keyword" {
				continue
			}
			addEvidence(res, Evidence{Path: g.Path, Kind: g.Kind, Match: g.Match, Category: g.Category})
		}
	}
	if full && len(sc.sigs) > 0 {
		n := min(len(sc.sigs), maxSignals)
		ex.Signals = append([]Signal(nil), sc.sigs[:n]...)
		ex.Omitted = len(sc.sigs) - n
	}
	for _, c := range sc.cats {
		if res.Digital || nonDigital[c] {
			res.Categories = append(res.Categories, c)
		}
	}
}

// codeSeen reports whether code i repeats an earlier well-formed code of
// the release (same scheme and 8 digits).
func (sc *scratch) codeSeen(i int) bool {
	c := &sc.codes[i]
	for j := range sc.codes[:i] {
		if o := &sc.codes[j]; o.key == c.key && o.scheme == c.scheme {
			return true
		}
	}
	return false
}

// whyNot says why no rule held.
func (s *Screener) whyNot(sc *scratch, lang string, distinct, digital int, codesShare bool, items, itemsHit int) string {
	switch {
	case digital > 0 && !codesShare:
		return "not digital: " + strconv.Itoa(digital) + " of " + strconv.Itoa(distinct) + " distinct item codes are digital, under a third"
	case digital > 0:
		return "not digital: the only digital codes are top-level divisions, with no keyword or second code to back them"
	case itemsHit > 0:
		return "not digital: keywords in " + strconv.Itoa(itemsHit) + " of " + strconv.Itoa(items) + " item or lot texts, under a quarter"
	case len(sc.kws) > 0:
		return "not digital: only weak, excluded or other-language words"
	}
	return ruleNoSignal
}

// explainKeywords turns keyword hits into signals and evidence.
func (s *Screener) explainKeywords(sc *scratch, ex *Explanation, res *Result, lang string, items, itemsHit int, itemsDecide, full bool) {
	var seen []int
	for _, h := range sc.kws {
		tm := &s.terms.terms[h.term]
		t := &sc.texts[h.text]
		sig := Signal{Kind: "keyword", Match: tm.text, Lang: tm.lang, Strength: "strong", Category: tm.category}
		if tm.weak {
			sig.Strength = "weak"
		}
		switch {
		case h.excluded >= 0:
			sig.Use, sig.Why = useDiscarded, "inside \""+s.terms.terms[h.excluded].text+"\", which names something else"
		case !(tm.lang == "*" || lang == "" || tm.lang == lang):
			if s.sameWordApplies(sc, h, lang) {
				continue // listed in several languages: the one that applies speaks
			}
			sig.Use, sig.Why = useDiscarded, "a keyword in "+langName(tm.lang)+"; the text is "+langName(lang)
		case res.Digital && ex.Rule == ruleStrong && !tm.weak && (!t.part() || itemsDecide):
			sig.Use = useDecided
		case res.Digital && ex.Rule == ruleWeak && tm.weak && t.title:
			sig.Use = useDecided
		case tm.weak && !t.title:
			sig.Use, sig.Why = useSupporting, "weak word outside a title"
		case tm.weak:
			sig.Use, sig.Why = useSupporting, "weak word"
			if !res.Digital {
				sig.Why = "weak word in a title, with no other signal"
			}
		case t.part() && !itemsDecide:
			sig.Use, sig.Why = useSupporting, "in "+strconv.Itoa(itemsHit)+" of "+strconv.Itoa(items)+" item or lot texts, under a quarter"
		default:
			sig.Use = useSupporting
		}
		if !full && sig.Use == useDiscarded {
			continue
		}
		// One signal per keyword and use: the first place it was found.
		key := h.term*4 + useRank(sig.Use)
		if containsInt(seen, key) {
			continue
		}
		seen = append(seen, key)
		// Weak words count as evidence (and so can raise a flag) only in
		// the title of a release that is digital: "cameras" in "facial
		// recognition cameras" says what kind, "monitoring" in a
		// description says nothing. Elsewhere they are in the explanation
		// only.
		if sig.Use == useDecided || sig.Use == useSupporting && (!tm.weak || t.title && res.Digital) {
			sc.addCategory(tm.category)
			sig.evidence = true
		}
		if full || sig.evidence {
			sig.Path = t.path()
		}
		sc.sigs = append(sc.sigs, sig)
	}
}

// explainCodes turns code hits into signals and evidence.
func (s *Screener) explainCodes(sc *scratch, ex *Explanation, res *Result, codesDecide bool, distinct, digital int, backing, full bool) {
	for i := range sc.codes {
		c := &sc.codes[i]
		if !c.matched && c.bad == "" {
			continue // a well-formed code that is not in the list: only counted
		}
		sig := Signal{Kind: "code", Value: c.id, Strength: "strong"}
		switch {
		case c.bad != "":
			sig.Match, sig.Strength, sig.Use, sig.Why = c.scheme, "none", useDiscarded, c.bad
		default:
			sig.Match, sig.Category = c.rule.Scheme+" "+c.rule.Prefix, c.rule.Category
			if isDivisionHead(c.scheme, c.key) {
				sig.Strength = "division"
			}
			switch {
			case nonDigital[c.rule.Category]:
				sig.Use, sig.Why = useSupporting, "category "+c.rule.Category+" is not digital technology"
			case codesDecide && res.Digital && ex.Rule == ruleCodes:
				sig.Use = useDecided
			case codesDecide:
				sig.Use = useSupporting
			case float64(digital) < codeShareMin*float64(distinct):
				sig.Use, sig.Why = useSupporting, strconv.Itoa(digital)+" of "+strconv.Itoa(distinct)+" distinct item codes are digital, under a third"
			case !backing:
				sig.Use, sig.Why = useSupporting, "a top-level division: needs a keyword or a second, more precise code"
			default:
				sig.Use = useSupporting
			}
		}
		c.use = sig.Use
		if !full && sig.Use == useDiscarded || sc.codeUseSeen(i) {
			continue
		}
		if sig.Use != useDiscarded {
			sc.addCategory(c.rule.Category)
			sig.evidence = true
		}
		if full || sig.evidence && !hasEvidence(res, "code", sig.Match) && !sc.sigMatch("code", sig.Match) {
			sig.Path = c.path()
		}
		sc.sigs = append(sc.sigs, sig)
	}
}

// codeUseSeen reports whether an earlier code hit has the same id and
// came to the same use: the explanation names each once.
func (sc *scratch) codeUseSeen(i int) bool {
	c := &sc.codes[i]
	for j := range sc.codes[:i] {
		if o := &sc.codes[j]; o.id == c.id && o.use == c.use {
			return true
		}
	}
	return false
}

// sigMatch reports whether a signal of that kind and match is already
// listed (evidence keeps only the first place of each).
func (sc *scratch) sigMatch(kind, match string) bool {
	for i := range sc.sigs {
		if sc.sigs[i].Kind == kind && sc.sigs[i].Match == match {
			return true
		}
	}
	return false
}

func hasEvidence(res *Result, kind, match string) bool {
	for _, e := range res.Evidence {
		if e.Kind == kind && e.Match == match {
			return true
		}
	}
	return false
}

// sameWordApplies reports whether the keyword of hit h is also listed, at
// the same place, in a language that applies to the text.
func (s *Screener) sameWordApplies(sc *scratch, h kwHit, lang string) bool {
	word := s.terms.terms[h.term].text
	for _, o := range sc.kws {
		if o.text == h.text && o.at == h.at && o.excluded < 0 {
			if t := &s.terms.terms[o.term]; t.text == word && (t.lang == "*" || t.lang == lang) {
				return true
			}
		}
	}
	return false
}

func useRank(u string) int {
	switch u {
	case useDecided:
		return 0
	case useSupporting:
		return 1
	}
	return 2
}

func containsInt(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func containsString(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// langName names a language code for reasons shown to people.
func langName(l string) string {
	switch l {
	case "":
		return "an unknown language"
	case "*":
		return "any language"
	}
	if n, ok := langNames[l]; ok {
		return n
	}
	return strings.ToUpper(l)
}

var langNames = map[string]string{
	"en": "English", "es": "Spanish", "pt": "Portuguese", "fr": "French", "no": "Norwegian",
	"ro": "Romanian", "ru": "Russian", "uk": "Ukrainian", "hy": "Armenian", "zh": "Chinese",
}
