package ocds

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// fold prepares text for keyword matching: lower case, Latin accents
// removed (publishers write "INFORMATICOS" as often as "informáticos"), and
// every character that is not a letter or digit turned into one space, so
// that word starts are simply the positions after a space.
func fold(dst []byte, s string) []byte {
	dst = append(dst[:0], ' ')
	space := true
	for i := 0; i < len(s); {
		c := s[i]
		var r rune
		if c < utf8.RuneSelf {
			r = rune(c)
			i++
		} else {
			var n int
			r, n = utf8.DecodeRuneInString(s[i:])
			i += n
		}
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
		case r >= 'A' && r <= 'Z':
			r += 'a' - 'A'
		case r < utf8.RuneSelf:
			r = ' '
		default:
			if b, ok := baseLetter[unicode.ToLower(r)]; ok {
				r = b
			} else if unicode.IsLetter(r) || unicode.IsDigit(r) {
				r = unicode.ToLower(r)
			} else {
				r = ' '
			}
		}
		if r == ' ' {
			if space {
				continue
			}
			space = true
		} else {
			space = false
		}
		dst = utf8.AppendRune(dst, r)
	}
	if !space {
		dst = append(dst, ' ')
	}
	return dst
}

// foldString folds a keyword the same way as the text it is looked for in.
func foldString(s string) string {
	return strings.TrimSpace(string(fold(nil, s)))
}

// baseLetter maps accented Latin letters, lower case, to their base letter.
var baseLetter = func() map[rune]rune {
	m := map[rune]rune{}
	for _, group := range []string{
		"aáàâäãåāăą", "cçćč", "dď", "eéèêëēėęě", "gğ", "iíìîïīį", "lł", "nñńň",
		"oóòôöõōő", "rř", "sśšşș", "tťţț", "uúùûüūůű", "yýÿ", "zźżž",
	} {
		rs := []rune(group)
		for _, r := range rs[1:] {
			m[r] = rs[0]
		}
	}
	return m
}()

// term is one keyword or phrase to find, already folded.
type term struct {
	text     string
	category string // or the term set's name
	lang     string
	whole    bool // must end at a word end too
}

// matcher finds terms at word starts. Terms are indexed by their first two
// bytes, so each word start costs one map lookup and a few
// prefix comparisons, whatever the number of terms.
type matcher struct {
	byStart map[uint16][]int
	terms   []term
}

// Short terms ("pc", "data", "nube", "sky") are whole words only, since as
// prefixes they would hit "pcs", "database" twice, "nubes"... Longer ones
// are stems: "biometr" finds "biometric" and "biométrica".
const wholeWordMax = 4

func newMatcher(terms []term) *matcher {
	m := &matcher{byStart: map[uint16][]int{}}
	for _, t := range terms {
		t.text = foldString(t.text)
		if len(t.text) < 2 {
			continue
		}
		t.whole = len(t.text) <= wholeWordMax
		m.terms = append(m.terms, t)
		k := start2(t.text)
		m.byStart[k] = append(m.byStart[k], len(m.terms)-1)
	}
	return m
}

func start2(s string) uint16 { return uint16(s[0])<<8 | uint16(s[1]) }

// hit is a term found at byte offset at of a folded text.
type hit struct {
	term int
	at   int
}

// find appends the terms found in folded text f.
func (m *matcher) find(f []byte, out []hit) []hit {
	for i := 1; i+1 < len(f); i++ {
		if f[i-1] != ' ' {
			continue
		}
		cands, ok := m.byStart[uint16(f[i])<<8|uint16(f[i+1])]
		if !ok {
			continue
		}
		for _, ti := range cands {
			t := &m.terms[ti]
			n := len(t.text)
			if len(f)-i < n || string(f[i:i+n]) != t.text {
				continue
			}
			if t.whole && f[i+n] != ' ' {
				continue
			}
			out = append(out, hit{ti, i})
		}
	}
	return out
}
