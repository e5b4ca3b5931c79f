package ocds

import "strings"

// normLang turns a language tag as publishers write it ("en-GB", "EN",
// "nb", Moldova's "md") into the two-letter code the lists use.
func normLang(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "-_"); i > 0 {
		s = s[:i]
	}
	switch s {
	case "nb", "nn", "nob", "nno", "nor":
		return "no"
	case "md", "mo", "ron", "rum":
		return "ro"
	case "eng":
		return "en"
	case "spa":
		return "es"
	case "por":
		return "pt"
	case "fra", "fre":
		return "fr"
	case "ukr":
		return "uk"
	case "rus":
		return "ru"
	case "hye", "arm":
		return "hy"
	}
	return s
}

// Where a release's language was found, strongest first. The text wins:
// keywords are matched against it, and publishers label whole portals with
// one language (Doffin notices in English say "no", Moldovan texts in
// Russian say "md") or leave the field out (most of Paraguay). The
// release's own field comes next, then the publisher's usual language
// from the ocid prefix. With none of them, keywords of every language
// apply.
const (
	langFromText    = "text"
	langFromRelease = "release.language"
	langFromPrefix  = "ocid prefix"
	langUnknown     = "unknown"
)

// detect votes on the language of a release's texts: each frequent word
// of a language found is a vote, and about four letters of an alphabet
// only one listed language uses (Armenian) or two tell apart (Ukrainian
// and Russian) are another. It answers only when one language has at
// least two votes and twice as many as the next.
func (s *Screener) detect(sc *scratch) (string, bool) {
	n := sc.scripts
	votes := sc.votes
	if n.armenian > 0 {
		votes[s.langIndex["hy"]] += n.armenian / 4
	}
	if n.cyrillic > 0 {
		l := "ru"
		if n.ukrainian > n.russian {
			l = "uk"
		}
		votes[s.langIndex[l]] += n.cyrillic / 4
	}
	best, second := 0, 0
	for i := 1; i < len(votes); i++ {
		switch v := votes[i]; {
		case v > votes[best]:
			second, best = votes[best], i
		case v > second:
			second = v
		}
	}
	if best == 0 || votes[best] < 2 || votes[best] < 2*second {
		return "", false
	}
	return s.langs[best], true
}

// language decides which language's keywords apply to a release.
func (s *Screener) language(sc *scratch, r *Release) (lang, from string) {
	if l, ok := s.detect(sc); ok {
		return l, langFromText
	}
	if l := normLang(r.Language); l != "" {
		return l, langFromRelease
	}
	low := strings.ToLower(r.OCID)
	for _, p := range s.prefixes {
		if strings.HasPrefix(low, p.Prefix) {
			return p.Lang, langFromPrefix
		}
	}
	return "", langUnknown
}
