package auth

import (
	_ "embed"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Password policy, after NIST SP 800-63B: a minimum length and no
// composition rules, but refuse what attackers try first: the common
// choices (weak-passwords.txt, with the variants people make of them),
// runs and repetitions of characters, and words from the person's own
// account (their e-mail address, their organisation's name).

//go:embed weak-passwords.txt
var weakList string

var weak = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(weakList, "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			m[strings.ToLower(line)] = true
		}
	}
	return m
}()

// MinPasswordRunes is the shortest password accepted.
const MinPasswordRunes = 12

// Personal is what a password must not be made of.
type Personal struct {
	Email   string
	OrgName string
	OrgSlug string
}

// PasswordProblem returns the translation key of what is wrong with a new
// password, or "" when it is acceptable.
func PasswordProblem(pw string, who Personal) string {
	switch {
	case utf8.RuneCountInString(pw) < MinPasswordRunes:
		return "invalid.password_short"
	case len(pw) > 1024:
		return "invalid.too_long"
	}
	plain := letters(fold(pw))
	if madeOf(plain, emailWords(who.Email)) {
		return "password.personal_email"
	}
	if madeOf(plain, orgWords(who.OrgName, who.OrgSlug)) {
		return "password.personal_org"
	}
	if commonCore(pw) {
		return "password.common"
	}
	if repetitive(plain) {
		return "password.repeats"
	}
	return ""
}

// fold lower-cases and drops accents ("Contraseña" → "contrasena"), so a
// listed word matches however it is written.
func fold(s string) string {
	return strings.ToLower(strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Mn, r) {
			return -1
		}
		return r
	}, norm.NFD.String(s)))
}

// letters keeps letters and digits, dropping spaces and punctuation.
func letters(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, s)
}

// unleet undoes the usual swaps of letters for look-alike digits and signs.
var unleet = strings.NewReplacer("0", "o", "1", "i", "3", "e", "4", "a", "5", "s", "7", "t", "8", "b", "@", "a", "$", "s", "!", "i", "|", "l")

// commonCore reports whether the password is a listed one, once lower-cased,
// cut of the digits and signs people add at either end, with look-alikes
// undone, and with spaces and punctuation inside removed.
func commonCore(pw string) bool {
	s := fold(pw)
	trimmed := strings.TrimFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
	for _, c := range []string{
		letters(trimmed),
		letters(unleet.Replace(trimmed)),
		letters(unleet.Replace(s)),
		strings.TrimFunc(letters(unleet.Replace(s)), func(r rune) bool { return r == 'i' || r == 'o' }), // "!!password11" → iipasswordii
	} {
		if c != "" && weak[c] {
			return true
		}
	}
	return false
}

// emailWords are the parts of an address a password might be built from.
func emailWords(email string) []string {
	email = fold(strings.TrimSpace(email))
	local, domain, _ := strings.Cut(email, "@")
	words := []string{letters(email), letters(local), letters(domain)}
	for _, part := range strings.FieldsFunc(local+"."+domain, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		words = append(words, part)
	}
	return words
}

// orgWords are the organisation's name, its words and its short name.
func orgWords(name, slug string) []string {
	name, slug = fold(name), fold(slug)
	words := []string{letters(name), letters(slug)}
	for _, part := range strings.FieldsFunc(name+" "+slug, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		words = append(words, part)
	}
	return words
}

// madeOf reports whether plain is built from the given words: once every
// word of three letters or more is cut out, what is left (digits aside)
// is shorter than eight letters or is itself a common password.
func madeOf(plain string, words []string) bool {
	rest := plain
	for _, w := range longestFirst(words) {
		if utf8.RuneCountInString(w) >= 3 {
			rest = strings.ReplaceAll(rest, w, "")
		}
	}
	if rest == plain {
		return false
	}
	core := strings.TrimFunc(rest, unicode.IsDigit)
	core = strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) {
			return -1
		}
		return r
	}, core)
	return utf8.RuneCountInString(core) < 8 || weak[core]
}

func longestFirst(words []string) []string {
	out := append([]string(nil), words...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && len(out[j]) > len(out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// runs are sequences people type: the alphabet, digits, keyboard rows
// (QWERTY and AZERTY) and columns; each is also read backwards.
var runs = []string{
	"abcdefghijklmnopqrstuvwxyz", "01234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm",
	"azertyuiop", "qsdfghjklm", "wxcvbn", "qwertzuiop", "yxcvbnm", "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
}

// repetitive reports a password that is mostly the same few characters, a
// unit repeated, or runs of the sequences above.
func repetitive(plain string) bool {
	rs := []rune(plain)
	if len(rs) == 0 {
		return true
	}
	distinct := map[rune]bool{}
	for _, r := range rs {
		distinct[r] = true
	}
	if len(distinct) <= 3 {
		return true
	}
	for unit := 1; unit <= len(rs)/2; unit++ {
		repeated := true
		for i := unit; i < len(rs) && repeated; i++ {
			repeated = rs[i] == rs[i%unit]
		}
		if repeated {
			return true
		}
	}
	// Cover the password greedily with pieces (three or more characters)
	// of the runs: three quarters covered is a run, not a password.
	covered := 0
	for i := 0; i < len(rs); {
		best := 0
		for n := min(len(rs)-i, 37); n >= 3 && best == 0; n-- { // no run is longer than 37
			if inRun(string(rs[i : i+n])) {
				best = n
			}
		}
		if best == 0 {
			i++
			continue
		}
		covered += best
		i += best
	}
	return covered*4 >= len(rs)*3
}

func inRun(s string) bool {
	for _, r := range runs {
		if strings.Contains(r, s) || strings.Contains(reverse(r), s) {
			return true
		}
	}
	return false
}

func reverse(s string) string {
	rs := []rune(s)
	for i, j := 0, len(rs)-1; i < j; i, j = i+1, j-1 {
		rs[i], rs[j] = rs[j], rs[i]
	}
	return string(rs)
}
