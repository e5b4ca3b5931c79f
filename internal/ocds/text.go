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
func fold(dst []byte, s string) []byte { return foldCount(dst, s, nil) }

// scripts counts the letters of the scripts language detection tells
// apart by their alphabet rather than by words.
type scripts struct {
	armenian, cyrillic int
	// ukrainian and russian count letters only one of the two uses
	// (і ї є ґ against ы э ъ ё).
	ukrainian, russian int
}

// foldCount is fold keeping Cyrillic and Armenian letters (lower-cased)
// and counting them into count. fold, with a nil count, turns them into
// placeholders like any other non-Latin script.
func foldCount(dst []byte, s string, count *scripts) []byte {
	dst = append(dst[:0], ' ')
	last := byte(' ')
	for i := 0; i < len(s); {
		c := s[i]
		var r rune
		if c < utf8.RuneSelf {
			// ASCII, by far the most common: one table lookup.
			i++
			f := asciiFold[c]
			if f == ' ' && last == ' ' {
				continue
			}
			dst = append(dst, f)
			last = f
			continue
		}
		var n int
		if c < 0xe0 && i+1 < len(s) && s[i+1]&0xc0 == 0x80 && c >= 0xc2 {
			// Two-byte sequences (Latin accents, Cyrillic, Armenian) are
			// most of the non-ASCII text: decoded here without a call.
			r, n = rune(c&0x1f)<<6|rune(s[i+1]&0x3f), 2
		} else {
			r, n = utf8.DecodeRuneInString(s[i:])
		}
		i += n
		switch {
		case r < latinEnd:
			r = latin[r]
		case r >= 0x2000 && r <= 0x206f || r >= 0x3000 && r <= 0x303f:
			// General punctuation (dashes, curly quotes) and CJK
			// punctuation separate words.
			r = ' '
		case count != nil && r >= 0x400 && r <= 0x4ff:
			// Cyrillic: Russian and Ukrainian keywords exist, so letters
			// are kept, lower-cased. (Flag terms are all Latin: fold,
			// without a count, skips this work.)
			r = cyrillicLower(r, count)
		case count != nil && r >= 0x531 && r <= 0x58f:
			r = armenianLower(r, count)
		default:
			// Other scripts (Chinese...) hold no keyword: a whole run of
			// their letters becomes one placeholder, which keeps word
			// boundaries right without case-mapping every rune.
			if last == otherLetter {
				continue
			}
			r = otherLetter
		}
		if r == ' ' && last == ' ' {
			continue
		}
		if r >= 0x80 && r < 0x800 {
			dst = append(dst, byte(0xc0|r>>6), byte(0x80|r&0x3f))
		} else {
			dst = utf8.AppendRune(dst, r)
		}
		last = dst[len(dst)-1]
	}
	if last != ' ' {
		dst = append(dst, ' ')
	}
	return dst
}

// asciiFold lowercases ASCII letters, keeps digits and turns everything
// else into a space.
var asciiFold = func() (t [utf8.RuneSelf]byte) {
	for c := range byte(utf8.RuneSelf) {
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			t[c] = c
		case c >= 'A' && c <= 'Z':
			t[c] = c + 'a' - 'A'
		default:
			t[c] = ' '
		}
	}
	return t
}()

// foldString folds a keyword the same way as the text it is looked for in.
func foldString(s string) string {
	return strings.TrimSpace(string(foldCount(nil, s, &scripts{})))
}

const (
	latinEnd    = 0x250 // end of Latin Extended-B
	otherLetter = 0x01  // stands for any letter of a non-Latin script
)

// latin maps each rune below latinEnd to what fold makes of it: lower case
// with accents removed for letters, a space for anything else.
var latin = func() (t [latinEnd]rune) {
	base := map[rune]rune{}
	for _, group := range []string{
		"aáàâäãåāăą", "cçćč", "dď", "eéèêëēėęě", "gğ", "iíìîïīį", "lł", "nñńň",
		"oóòôöõōőø", "rř", "sśšşș", "tťţț", "uúùûüūůű", "yýÿ", "zźżž",
	} {
		rs := []rune(group)
		for _, r := range rs[1:] {
			base[r] = rs[0]
		}
	}
	for r := range rune(latinEnd) {
		lr := unicode.ToLower(r)
		switch b, ok := base[lr]; {
		case ok:
			t[r] = b
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			t[r] = lr
		default:
			t[r] = ' '
		}
	}
	return t
}()

// term is one keyword or phrase to find, already folded.
type term struct {
	text     string
	category string // or the term set's name
	lang     string
	kind     int  // kindKeyword, kindExclusion, kindFlagTerm or kindLangWord
	whole    bool // must end at a word end too
	weak     bool // a keyword that decides only in a title, with another signal
	langID   int  // index of lang in Screener.langs (keywords and language words)
	// head is the term's bytes 2 to 5 (as far as it has them) and mask
	// the bytes head holds: one comparison rules out most candidates
	// before the whole term is compared.
	head, mask uint32
}

const (
	kindKeyword = iota
	kindExclusion
	kindFlagTerm
	kindLangWord
)

// matcher finds terms at word starts. Terms are indexed by their first two
// bytes, so each word start costs one table lookup and a few
// prefix comparisons, whatever the number of terms.
type matcher struct {
	// slot maps the first two bytes of a word to 1 + its group in
	// groups, or 0 when no term starts that way.
	slot   [1 << 16]uint16
	groups [][]int
	terms  []term
}

// Short terms ("pc", "data", "nube", "sky") are whole words only, since as
// prefixes they would hit "pcs", "database" twice, "nubes"... Longer ones
// are stems: "biometr" finds "biometric" and "biométrica".
const wholeWordMax = 4

func newMatcher(terms []term) *matcher {
	m := &matcher{}
	for _, t := range terms {
		t.text = foldString(t.text)
		if len(t.text) < 2 {
			continue
		}
		t.whole = len(t.text) <= wholeWordMax || t.kind == kindLangWord
		for j := 2; j < min(len(t.text), 6); j++ {
			t.head |= uint32(t.text[j]) << (8 * (j - 2))
			t.mask |= 0xff << (8 * (j - 2))
		}
		m.terms = append(m.terms, t)
		k := start2(t.text)
		if m.slot[k] == 0 {
			m.groups = append(m.groups, nil)
			m.slot[k] = uint16(len(m.groups))
		}
		g := m.slot[k] - 1
		m.groups[g] = append(m.groups[g], len(m.terms)-1)
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
		g := m.slot[uint16(f[i])<<8|uint16(f[i+1])]
		if g == 0 {
			continue
		}
		// The folded text ends with a space, so up to 4 bytes after the
		// first two can be read when the text is long enough.
		var next uint32
		for j := 2; j < 6 && i+j < len(f); j++ {
			next |= uint32(f[i+j]) << (8 * (j - 2))
		}
		for _, ti := range m.groups[g-1] {
			t := &m.terms[ti]
			n := len(t.text)
			if next&t.mask != t.head || len(f)-i < n || string(f[i:i+n]) != t.text {
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

// cyrillicLower lower-cases a Cyrillic letter and counts it.
func cyrillicLower(r rune, n *scripts) rune {
	if !unicode.IsLetter(r) {
		return ' '
	}
	r = unicode.ToLower(r)
	n.cyrillic++
	switch r {
	case 'і', 'ї', 'є', 'ґ':
		n.ukrainian++
	case 'ы', 'э', 'ъ', 'ё':
		n.russian++
	}
	return r
}

// armenianLower lower-cases an Armenian letter and counts it; Armenian
// punctuation separates words.
func armenianLower(r rune, n *scripts) rune {
	switch {
	case r >= 0x531 && r <= 0x556:
		r += 0x30
	case r >= 0x561 && r <= 0x587:
	default:
		return ' '
	}
	n.armenian++
	return r
}
