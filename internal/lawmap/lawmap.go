// Package lawmap is the Learning Lab's law mapping: a questionnaire (a
// catalogue in the usual YAML format, linted by the usual linter) about what
// the law of a jurisdiction says on human rights in public procurement, and
// the answers experts give to it, each with citations and the date it
// describes. The starting answers ship embedded as seed data.
package lawmap

import (
	"embed"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"buyright/internal/catalog"
)

//go:embed catalog/*.yaml
var catalogFS embed.FS

//go:embed seed/*.yaml
var seedFS embed.FS

// CatalogSources are the questionnaire's catalogue files.
func CatalogSources() []catalog.Source {
	return sources(catalogFS, "catalog")
}

func sources(fsys embed.FS, dir string) []catalog.Source {
	entries, _ := fsys.ReadDir(dir)
	var out []catalog.Source
	for _, e := range entries {
		b, _ := fsys.ReadFile(dir + "/" + e.Name())
		out = append(out, catalog.Source{Name: "lawmap/" + dir + "/" + e.Name(), Data: b})
	}
	return out
}

// Questionnaire is the law-mapping questionnaire: groups and questions in
// catalogue order.
type Questionnaire struct {
	Set       *catalog.Set
	Groups    []*catalog.Item
	Questions []*catalog.Item
	byID      map[string]*catalog.Item
}

// Load builds the questionnaire over the built-in catalogues (so its refs
// resolve against the instruments) and lints it. A problem is an error.
func Load() (*Questionnaire, error) {
	set, probs := catalog.Build(catalog.Embedded(), CatalogSources())
	if len(probs) > 0 {
		return nil, probs
	}
	cat, ok := set.Catalog("lawmap")
	if !ok {
		return nil, fmt.Errorf("lawmap: catalogue missing")
	}
	q := &Questionnaire{Set: set, byID: map[string]*catalog.Item{}}
	for _, it := range cat.Items {
		switch it.Kind {
		case "principle":
			q.Groups = append(q.Groups, it)
		case "question":
			q.Questions = append(q.Questions, it)
			q.byID[it.ID] = it
		}
	}
	return q, nil
}

// Items are all the law-mapping catalogue's items, groups and questions,
// for checks across catalogues such as which instruments anything cites.
func (q *Questionnaire) Items() []*catalog.Item {
	c, _ := q.Set.Catalog("lawmap")
	return c.Items
}

// Question returns a question by id.
func (q *Questionnaire) Question(id string) (*catalog.Item, bool) {
	it, ok := q.byID[id]
	return it, ok
}

// InGroup lists the questions of a group ("" for all).
func (q *Questionnaire) InGroup(group string) []*catalog.Item {
	if group == "" {
		return q.Questions
	}
	var out []*catalog.Item
	for _, it := range q.Questions {
		if it.Parent == group {
			out = append(out, it)
		}
	}
	return out
}

// Jurisdiction is a country or a regional bloc.
type Jurisdiction struct {
	Code string `yaml:"code" json:"code"`
	Name string `yaml:"name" json:"name"`
	Kind string `yaml:"kind" json:"kind"` // country or bloc
}

// Citation points at the law an answer rests on.
type Citation struct {
	Instrument string `yaml:"instrument" json:"instrument"`
	Article    string `yaml:"article" json:"article,omitempty"`
	URL        string `yaml:"url" json:"url,omitempty"`
}

// Answer is one expert answer to one question for one jurisdiction, as the
// law stood on AsOf.
type Answer struct {
	Jurisdiction string     `yaml:"jurisdiction" json:"jurisdiction"`
	Question     string     `yaml:"question" json:"question"`
	Answer       string     `yaml:"answer" json:"answer"`
	Explanation  string     `yaml:"explanation" json:"explanation"`
	Citations    []Citation `yaml:"citations" json:"citations"`
	Judgement    bool       `yaml:"judgement" json:"judgement"` // the respondent's judgement, not (only) the letter of the law
	AsOf         string     `yaml:"as_of" json:"as_of"`         // YYYY-MM-DD
	Note         string     `yaml:"note" json:"note,omitempty"` // for reviewers
}

// Seed is the embedded starting content.
type Seed struct {
	Jurisdictions []Jurisdiction `yaml:"jurisdictions"`
	Answers       []Answer       `yaml:"answers"`
}

// LoadSeed reads every seed file and checks each answer against the
// questionnaire with Check, as if a person had typed it today.
func LoadSeed(q *Questionnaire, today time.Time) (*Seed, error) {
	s := &Seed{}
	entries, _ := seedFS.ReadDir("seed")
	for _, e := range entries {
		b, _ := seedFS.ReadFile("seed/" + e.Name())
		var part Seed
		dec := yaml.NewDecoder(strings.NewReader(string(b)))
		dec.KnownFields(true)
		if err := dec.Decode(&part); err != nil {
			return nil, fmt.Errorf("lawmap seed %s: %w", e.Name(), err)
		}
		s.Jurisdictions = append(s.Jurisdictions, part.Jurisdictions...)
		s.Answers = append(s.Answers, part.Answers...)
	}
	codes := map[string]bool{}
	for _, j := range s.Jurisdictions {
		if !ValidCode(j.Code) || j.Name == "" || codes[j.Code] {
			return nil, fmt.Errorf("lawmap seed: jurisdiction %q is invalid or repeated", j.Code)
		}
		codes[j.Code] = true
	}
	for i, a := range s.Answers {
		if !codes[a.Jurisdiction] {
			return nil, fmt.Errorf("lawmap seed: answer %d: unknown jurisdiction %q", i+1, a.Jurisdiction)
		}
		if f := Check(q, &s.Answers[i], today); len(f) > 0 {
			return nil, fmt.Errorf("lawmap seed: answer %d (%s %s): %v", i+1, a.Jurisdiction, a.Question, f)
		}
	}
	sort.SliceStable(s.Answers, func(i, j int) bool { return s.Answers[i].AsOf < s.Answers[j].AsOf })
	return s, nil
}

// ValidCode accepts jurisdiction codes of two to eight capital letters or
// digits and hyphens (ISO 3166 codes, "EU", "UK").
func ValidCode(c string) bool {
	if len(c) < 2 || len(c) > 8 {
		return false
	}
	for _, r := range c {
		if !(r >= 'A' && r <= 'Z') && !(r >= '0' && r <= '9') && r != '-' {
			return false
		}
	}
	return true
}

// Check validates an answer and returns the problems per field, keyed by
// form field name with a translation key as value. The rules: the question
// exists and the answer is one of its options; an explanation is given; at
// least one citation with an instrument unless the answer is marked as the
// respondent's judgement; every citation URL is http(s); the as-of date is
// a real date, not after today.
func Check(q *Questionnaire, a *Answer, today time.Time) map[string]string {
	f := map[string]string{}
	add := func(k, v string) {
		if _, ok := f[k]; !ok {
			f[k] = v
		}
	}
	it, ok := q.Question(a.Question)
	if !ok {
		add("lab_question", "lab.invalid.question")
	} else if _, ok := it.Option(a.Answer); !ok {
		add("lab_answer", "lab.invalid.answer")
	}
	if strings.TrimSpace(a.Explanation) == "" {
		add("lab_explanation", "invalid.required")
	}
	cited := 0
	for _, c := range a.Citations {
		if strings.TrimSpace(c.Instrument) != "" {
			cited++
		}
		if c.URL != "" {
			u, err := url.Parse(c.URL)
			if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				add("lab_cite_url", "lab.invalid.url")
			}
		}
		if strings.TrimSpace(c.Instrument) == "" && (c.Article != "" || c.URL != "") {
			add("lab_cite_instrument", "lab.invalid.instrument")
		}
	}
	if cited == 0 && !a.Judgement {
		add("lab_cite_instrument", "lab.invalid.citation")
	}
	d, err := time.Parse("2006-01-02", a.AsOf)
	switch {
	case err != nil:
		add("lab_as_of", "lab.invalid.date")
	case d.After(today):
		add("lab_as_of", "lab.invalid.future")
	}
	return f
}
