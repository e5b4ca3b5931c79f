// Package i18n translates the words of the interface. Every user-facing
// string goes through a key looked up in a JSON catalogue per language,
// embedded in the binary; English is the reference and the fallback, so a
// missing translation shows English, never a blank.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"golang.org/x/text/language"
)

//go:embed locales/*.json
var files embed.FS

// Default is the reference language: complete by definition.
const Default = "en"

// Catalog is one language's messages.
type Catalog struct {
	Lang     string
	Name     string // the language's own name, for the chooser
	messages map[string]string
	fallback *Catalog
}

// Bundle holds every language.
type Bundle struct {
	byLang  map[string]*Catalog
	langs   []string // Default first, then by code
	matcher language.Matcher
}

// Load reads the embedded catalogues.
func Load() (*Bundle, error) {
	entries, err := files.ReadDir("locales")
	if err != nil {
		return nil, err
	}
	b := &Bundle{byLang: map[string]*Catalog{}}
	for _, e := range entries {
		lang := strings.TrimSuffix(e.Name(), ".json")
		data, err := files.ReadFile("locales/" + e.Name())
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("i18n: locales/%s: %w", e.Name(), err)
		}
		b.byLang[lang] = &Catalog{Lang: lang, Name: m["language.name"], messages: m}
	}
	def, ok := b.byLang[Default]
	if !ok {
		return nil, fmt.Errorf("i18n: no %s catalogue", Default)
	}
	for lang, c := range b.byLang {
		if lang != Default {
			c.fallback = def
			b.langs = append(b.langs, lang)
		}
	}
	sort.Strings(b.langs)
	b.langs = append([]string{Default}, b.langs...)
	tags := make([]language.Tag, len(b.langs))
	for i, l := range b.langs {
		tags[i] = language.Make(l)
	}
	b.matcher = language.NewMatcher(tags)
	return b, nil
}

// Langs lists the available language codes, the default first.
func (b *Bundle) Langs() []string { return b.langs }

// Catalog returns a language's catalogue, or the default's.
func (b *Bundle) Catalog(lang string) *Catalog {
	if c, ok := b.byLang[lang]; ok {
		return c
	}
	return b.byLang[Default]
}

// Match picks the best language for a request: an explicit choice (from the
// chooser's cookie) if available, else the Accept-Language header.
func (b *Bundle) Match(r *http.Request, chosen string) string {
	if _, ok := b.byLang[chosen]; ok {
		return chosen
	}
	tags, _, err := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if err != nil || len(tags) == 0 {
		return Default
	}
	_, i, conf := b.matcher.Match(tags...)
	if conf == language.No {
		return Default
	}
	return b.langs[i]
}

// T translates key, filling fmt-style verbs with args. An unknown key falls
// back to English and then to the key itself, which a test forbids.
func (c *Catalog) T(key string, args ...any) string {
	msg, ok := c.messages[key]
	if !ok && c.fallback != nil {
		msg, ok = c.fallback.messages[key]
	}
	if !ok {
		return key
	}
	if len(args) == 0 {
		return msg
	}
	return fmt.Sprintf(msg, args...)
}

// Has reports whether the catalogue itself (not its fallback) has key.
func (c *Catalog) Has(key string) bool {
	_, ok := c.messages[key]
	return ok
}

// Keys lists the catalogue's own keys, sorted.
func (c *Catalog) Keys() []string {
	keys := make([]string, 0, len(c.messages))
	for k := range c.messages {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
