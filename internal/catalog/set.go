package catalog

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
)

// Source is one catalogue file's bytes and the name problems are reported
// under (a path for files on disk, data/x.yaml for built-in ones).
type Source struct {
	Name string
	Data []byte
}

// Catalog is one catalogue after all layers are applied.
type Catalog struct {
	ID        string            `json:"id"`
	Version   string            `json:"version"`
	Title     Text              `json:"title"`
	Text      Text              `json:"text,omitempty"`
	Languages map[string]string `json:"languages"`
	Files     []string          `json:"files"`
	Items     []*Item           `json:"items"`
	kind      string            // default kind of items, from the defining file
}

// Set is a complete, checked collection of catalogues. It is immutable once
// built, so it can be shared by every request.
type Set struct {
	catalogs []*Catalog
	byID     map[string]*Catalog
	items    map[string]*Item
	langs    map[*Item]map[string]string // languages declared by each item's file
	hash     string
	layers   [][]Source
}

// Build parses the layers in order (the first is the base, usually
// Embedded(); each later one overrides and extends what came before) and
// checks the result. It returns a set only when there are no problems: a
// catalogue with errors is never activated.
func Build(layers ...[]Source) (*Set, Problems) {
	s := &Set{byID: map[string]*Catalog{}, items: map[string]*Item{}, langs: map[*Item]map[string]string{}}
	c := &collector{}
	h := sha256.New()
	for li, layer := range layers {
		seen := map[string]*Item{} // ids defined in this layer, for duplicates
		for _, src := range layer {
			fmt.Fprintf(h, "%d\x00%s\x00%d\x00", li, src.Name, len(src.Data))
			h.Write(src.Data)
			f := parseFile(src.Name, src.Data, c)
			if f == nil {
				continue
			}
			s.apply(f, li, seen, c)
		}
		s.layers = append(s.layers, append([]Source(nil), layer...))
	}
	s.hash = hex.EncodeToString(h.Sum(nil))
	s.lint(c)
	c.list.sort()
	if len(c.list) > 0 {
		return nil, c.list
	}
	return s, nil
}

// apply merges one file into the set: same id replaces, new id extends,
// retire removes.
func (s *Set) apply(f *File, layer int, seen map[string]*Item, c *collector) {
	cat := s.checkHeader(f, layer, c)
	if cat == nil {
		return
	}
	for _, it := range f.Items {
		if it.ID == "" {
			c.add(f.Name, it.Line, "item has no id")
			continue
		}
		if prev, dup := seen[it.ID]; dup {
			c.add(f.Name, it.Line, "duplicate id %q (first at %s:%d)", it.ID, prev.File, prev.Line)
			continue
		}
		seen[it.ID] = it
		it.Catalog = cat.ID
		s.langs[it] = f.Languages
		old, exists := s.items[it.ID]
		// An override need not repeat the kind: it is that of the item it
		// replaces, or the catalogue's default.
		if it.Kind == "" && exists {
			it.Kind = old.Kind
		}
		if it.Kind == "" {
			it.Kind = cat.kind
		}
		switch {
		case exists && old.Catalog != cat.ID:
			c.add(f.Name, it.Line, "id %q belongs to catalogue %q (%s:%d); override it in a file with catalog: %s",
				it.ID, old.Catalog, old.File, old.Line, old.Catalog)
		case it.Retire && !exists:
			c.add(f.Name, it.Line, "retire: no item %q to remove", it.ID)
		case it.Retire:
			delete(s.items, it.ID)
			cat.Items = removeItem(cat.Items, old)
		case exists:
			s.items[it.ID] = it
			cat.Items[indexOf(cat.Items, old)] = it
		default:
			s.items[it.ID] = it
			cat.Items = append(cat.Items, it)
		}
	}
}

// checkHeader validates a file's header and returns the catalogue the file
// contributes to, creating it when the file is its first.
func (s *Set) checkHeader(f *File, layer int, c *collector) *Catalog {
	line := func(k string) int {
		if l, ok := f.line[k]; ok {
			return l
		}
		return 1
	}
	if f.Catalog == "" {
		c.add(f.Name, 1, "catalog: the id of the catalogue is missing")
		return nil
	}
	if !validID(f.Catalog) {
		c.add(f.Name, line("catalog"), "catalog id %q must start with a letter and use only letters, digits, - _ .", f.Catalog)
	}
	if f.Version == "" {
		c.add(f.Name, line("version"), "version is missing")
	}
	checkLanguages(f, line("languages"), c)
	if f.Kind != "" && !contains(Kinds, f.Kind) {
		c.add(f.Name, line("kind"), "unknown kind %q (known: %s)", f.Kind, strings.Join(Kinds, ", "))
	}
	cat, exists := s.byID[f.Catalog]
	if !exists {
		if len(f.Title) == 0 {
			c.add(f.Name, line("catalog"), "a new catalogue needs a title")
		}
		cat = &Catalog{ID: f.Catalog, Version: f.Version, Title: f.Title, Text: f.Text, Languages: f.Languages, kind: f.Kind}
		s.byID[f.Catalog] = cat
		s.catalogs = append(s.catalogs, cat)
	} else {
		// A later layer marks the version as changed by the organisation.
		if layer > 0 {
			cat.Version += "+" + f.Version
		} else if f.Version != cat.Version {
			cat.Version += "+" + f.Version
		}
		if len(f.Title) > 0 {
			cat.Title = f.Title
		}
		if len(f.Text) > 0 {
			cat.Text = f.Text
		}
	}
	cat.Files = append(cat.Files, f.Name)
	return cat
}

func checkLanguages(f *File, line int, c *collector) {
	if len(f.Languages) == 0 {
		c.add(f.Name, line, "languages: declare the languages the file provides, at least en: full")
		return
	}
	if f.Languages["en"] != CoverFull {
		c.add(f.Name, line, "languages: English must be complete (en: full)")
	}
	for l, cov := range f.Languages {
		if !knownLanguage(l) {
			c.add(f.Name, line, "languages: unknown language %q (known: %s)", l, strings.Join(Languages, ", "))
		}
		if cov != CoverFull && cov != CoverTitles {
			c.add(f.Name, line, "languages: %s must be %q or %q, not %q", l, CoverFull, CoverTitles, cov)
		}
	}
}

func validID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for i, r := range id {
		letter := (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
		if i == 0 && !letter {
			return false
		}
		if !letter && !(r >= '0' && r <= '9') && r != '-' && r != '_' && r != '.' {
			return false
		}
	}
	return true
}

func indexOf(items []*Item, it *Item) int {
	for i, x := range items {
		if x == it {
			return i
		}
	}
	return -1
}

func removeItem(items []*Item, it *Item) []*Item {
	if i := indexOf(items, it); i >= 0 {
		return append(items[:i:i], items[i+1:]...)
	}
	return items
}

// Hash identifies the exact content of the set (every file of every layer).
// A signed-off assessment stores it with the sources, so the catalogue it
// was scored against can be rebuilt even after the catalogue has changed.
func (s *Set) Hash() string { return s.hash }

// Layers returns the sources the set was built from, to store with a
// signed-off assessment and rebuild it later with Build(layers...).
func (s *Set) Layers() [][]Source { return s.layers }

// Catalogs returns the catalogues in the order they were first defined.
func (s *Set) Catalogs() []*Catalog { return s.catalogs }

// Catalog returns one catalogue by id.
func (s *Set) Catalog(id string) (*Catalog, bool) { c, ok := s.byID[id]; return c, ok }

// Item returns one item by id, across all catalogues.
func (s *Set) Item(id string) (*Item, bool) { it, ok := s.items[id]; return it, ok }

// OfKind returns the items of one kind in catalogue order.
func (s *Set) OfKind(kind string) []*Item {
	var out []*Item
	for _, c := range s.catalogs {
		for _, it := range c.Items {
			if it.Kind == kind {
				out = append(out, it)
			}
		}
	}
	return out
}

// Versions maps each catalogue id to its version, for pinning.
func (s *Set) Versions() map[string]string {
	m := make(map[string]string, len(s.catalogs))
	for _, c := range s.catalogs {
		m[c.ID] = c.Version
	}
	return m
}

// Unconfirmed lists the ids of items whose facts still need checking.
func (s *Set) Unconfirmed() []string {
	var out []string
	for id, it := range s.items {
		if it.Status == "unconfirmed" {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}
