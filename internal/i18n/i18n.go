// Package i18n translates the words of the interface. Every user-facing
// string goes through a key looked up in a JSON catalogue per language,
// embedded in the binary; English is the reference and the fallback, so a
// missing translation shows English, never a blank.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"sort"
	"strings"

	"golang.org/x/text/language"
)

// Each language's messages are locales/<lang>.json plus any
// locales/<lang>/*.json, so each feature keeps its words in a file of its
// own. A key defined twice for one language is an error.
//
//go:embed locales
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
	b := &Bundle{byLang: map[string]*Catalog{}}
	err := fs.WalkDir(files, "locales", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".json" {
			return err
		}
		rel := strings.TrimPrefix(p, "locales/")
		lang, _, nested := strings.Cut(rel, "/")
		if !nested {
			lang = strings.TrimSuffix(rel, ".json")
		}
		data, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		m := map[string]string{}
		if err := json.Unmarshal(data, &m); err != nil {
			return fmt.Errorf("i18n: %s: %w", p, err)
		}
		c := b.byLang[lang]
		if c == nil {
			c = &Catalog{Lang: lang, messages: map[string]string{}}
			b.byLang[lang] = c
		}
		for k, v := range m {
			if _, dup := c.messages[k]; dup {
				return fmt.Errorf("i18n: %s: key %q is defined twice for %s", p, k, lang)
			}
			c.messages[k] = v
		}
		if n := m["language.name"]; n != "" {
			c.Name = n
		}
		return nil
	})
	if err != nil {
		return nil, err
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

// N translates a message that depends on a count n: it uses key+".one" or
// key+".other" by the language's plural rule, with n as the first verb.
// Every language has both forms, so "1 entries" never shows.
func (c *Catalog) N(key string, n int, args ...any) string {
	return c.T(key+"."+PluralForm(c.Lang, n), append([]any{n}, args...)...)
}

// PluralForm is the CLDR cardinal category of n in lang, for the two
// categories our languages need: French and Portuguese count 0 and 1 as
// one; English and Spanish only 1.
func PluralForm(lang string, n int) string {
	switch lang {
	case "fr", "pt":
		if n == 0 || n == 1 {
			return "one"
		}
	default:
		if n == 1 {
			return "one"
		}
	}
	return "other"
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
