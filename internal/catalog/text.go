package catalog

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// Languages the product speaks. English is the source language: every text
// must have it; the others are declared per file.
var Languages = []string{"en", "pt", "es", "fr"}

func knownLanguage(l string) bool {
	for _, x := range Languages {
		if x == l {
			return true
		}
	}
	return false
}

// Text is one piece of catalogue prose in several languages, keyed by
// language code. In a file it is either a mapping (en: ..., pt: ...) or a
// plain string, which is then the English text.
type Text map[string]string

// In returns the text in lang, falling back to English so a page never shows
// a blank where a translation is missing.
func (t Text) In(lang string) string {
	if s := t[lang]; s != "" {
		return s
	}
	return t["en"]
}

// UnmarshalYAML accepts a plain string as English.
func (t *Text) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*t = Text{"en": strings.TrimSpace(n.Value)}
		return nil
	}
	m := map[string]string{}
	if err := n.Decode(&m); err != nil {
		return err
	}
	for k, v := range m {
		m[k] = strings.TrimSpace(v)
	}
	*t = m
	return nil
}

// Ref is the reference an item rests on: an instrument (the id of an item of
// kind instrument, such as UDHR or AIA) and the place in it (an article,
// paragraph or principle). In a file it is written "UDHR 12" or
// "AIA 27(1)(c)": the instrument id, a space, the place.
type Ref struct {
	Instrument string `json:"instrument"`
	At         string `json:"at"`
}

func (r Ref) String() string { return r.Instrument + " " + r.At }

// ParseRef splits "AIA 27(1)(c)" into instrument and place.
func ParseRef(s string) (Ref, error) {
	s = strings.TrimSpace(s)
	inst, at, ok := strings.Cut(s, " ")
	at = strings.TrimSpace(at)
	if !ok || inst == "" || at == "" {
		return Ref{}, fmt.Errorf("reference %q must be an instrument id, a space and an article or principle, e.g. \"UDHR 12\"", s)
	}
	return Ref{Instrument: inst, At: at}, nil
}

func (r *Ref) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: a reference is a string such as \"UDHR 12\"", n.Line)
	}
	p, err := ParseRef(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %v", n.Line, err)
	}
	*r = p
	return nil
}

func (r Ref) MarshalYAML() (any, error) { return r.String(), nil }
