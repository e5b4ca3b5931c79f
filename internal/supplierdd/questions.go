// Package supplierdd is the due-diligence questionnaire a supplier invited
// to a purchase answers: about its own respect for human rights (the
// responsibility the UN Guiding Principles give every business) and about
// the State as its client, since a supplier must also ask whether the use
// it is selling into could itself harm people.
//
// The questions are catalogue data (items of kind dd_question, see
// internal/catalog/data/supplier-dd.yaml), so an administrator edits and
// translates them like any other catalogue. A questionnaire taken from a
// catalogue has a hash of its questions: a purchase keeps the hash of the
// questions its answers were given to, and the snapshot with it, so later
// edits never change what a reviewed answer was an answer to.
package supplierdd

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"buyright/internal/catalog"
	"buyright/internal/model"
)

// Parts of the questionnaire.
const (
	// PartSupplier is the supplier's own due diligence: answered once for
	// the company and reused by every purchase it is invited to.
	PartSupplier = "supplier"
	// PartState is the supplier's due diligence on the State as the client
	// of one purchase: answered per purchase.
	PartState = "state"
)

// Parts lists the parts in the order they are asked.
var Parts = []string{PartSupplier, PartState}

// Question is one question, in every language the catalogue gives.
type Question struct {
	ID    string       `json:"id"` // the answer's key: the catalogue id without catalog.DDPrefix
	Part  string       `json:"part"`
	Title catalog.Text `json:"title"`
	Help  catalog.Text `json:"help"`
	Refs  string       `json:"refs"` // where the expectation comes from, for the reader
}

// Questionnaire is one version of the questions.
type Questionnaire struct {
	Version   string     `json:"version"` // the catalogue's version
	Questions []Question `json:"questions"`
	hash      string
}

// FromCatalog takes the questionnaire from a catalogue set: its items of
// kind dd_question in catalogue order.
func FromCatalog(set *catalog.Set) *Questionnaire {
	q := &Questionnaire{}
	if c, ok := set.Catalog("supplier_dd"); ok {
		q.Version = c.Version
	}
	for _, it := range set.OfKind("dd_question") {
		var refs []string
		for _, r := range it.Refs {
			refs = append(refs, r.String())
		}
		q.Questions = append(q.Questions, Question{ID: strings.TrimPrefix(it.ID, catalog.DDPrefix), Part: it.Part,
			Title: it.Title, Help: it.Help, Refs: strings.Join(refs, "; ")})
	}
	q.hash = hashOf(q.Snapshot())
	return q
}

// Snapshot is the questionnaire as stored with the answers given to it.
func (q *Questionnaire) Snapshot() []byte {
	b, _ := json.Marshal(q) // maps marshal with sorted keys: the same questions give the same bytes
	return b
}

// Parse reads a stored snapshot back.
func Parse(data []byte) (*Questionnaire, error) {
	q := &Questionnaire{}
	if err := json.Unmarshal(data, q); err != nil {
		return nil, fmt.Errorf("supplier questionnaire: %w", err)
	}
	q.hash = hashOf(data)
	return q, nil
}

func hashOf(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

// Hash identifies exactly these questions.
func (q *Questionnaire) Hash() string { return q.hash }

// Question returns the question with id.
func (q *Questionnaire) Question(id string) (Question, bool) {
	for _, x := range q.Questions {
		if x.ID == id {
			return x, true
		}
	}
	return Question{}, false
}

// Known reports whether id is a question.
func (q *Questionnaire) Known(id string) bool { _, ok := q.Question(id); return ok }

// InPart lists the questions of one part in order.
func (q *Questionnaire) InPart(part string) []Question {
	var out []Question
	for _, x := range q.Questions {
		if x.Part == part {
			out = append(out, x)
		}
	}
	return out
}

// Scores a body may give an answer.
var Scores = []string{"inadequate", "partial", "adequate"}

// MaxAnswer is the longest answer kept, in characters.
const MaxAnswer = 8000

// Answers maps question ids to what the supplier wrote.
type Answers map[string]string

// Clean keeps only known questions, tidied, and returns problems by form
// field (q_<id>). Nothing answered at all is a problem too.
func (q *Questionnaire) Clean(in map[string]string) (Answers, model.FieldErrors) {
	out := Answers{}
	fe := model.FieldErrors{}
	for _, x := range q.Questions {
		v := model.CleanText(in[x.ID])
		if model.TooLong(v, MaxAnswer) {
			fe.Add("q_"+x.ID, "invalid.too_long")
		}
		if v != "" {
			out[x.ID] = v
		}
	}
	if len(out) == 0 && len(fe) == 0 {
		first := "answers"
		if len(q.Questions) > 0 {
			first = "q_" + q.Questions[0].ID
		}
		fe.Add(first, "supplierdd.err.empty")
	}
	return out, fe
}

// Shared is the part of a that belongs to the company as a whole.
func (q *Questionnaire) Shared(a Answers) Answers {
	out := Answers{}
	for _, x := range q.InPart(PartSupplier) {
		if v := a[x.ID]; v != "" {
			out[x.ID] = v
		}
	}
	return out
}

// WithShared is a purchase's answers with the company-wide part replaced
// by shared: its answers about the State stay, answers to questions the
// questionnaire no longer asks are dropped.
func (q *Questionnaire) WithShared(a, shared Answers) Answers {
	out := Answers{}
	for _, x := range q.InPart(PartState) {
		if v := a[x.ID]; v != "" {
			out[x.ID] = v
		}
	}
	for k, v := range q.Shared(shared) {
		out[k] = v
	}
	return out
}

// Equal reports whether two sets of answers say the same.
func Equal(a, b Answers) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
