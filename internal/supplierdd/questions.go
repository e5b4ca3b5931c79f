// Package supplierdd is the due-diligence questionnaire a supplier invited
// to a purchase answers: about its own respect for human rights (the
// responsibility the UN Guiding Principles give every business) and about
// the State as its client, since a supplier must also ask whether the use
// it is selling into could itself harm people.
package supplierdd

import "buyright/internal/model"

// Parts of the questionnaire.
const (
	PartSupplier = "supplier" // the supplier's own due diligence
	PartState    = "state"    // the supplier's due diligence on the State as client
)

// Question is one question; its words are in the i18n catalogue under
// supplierdd.q.<ID> and supplierdd.h.<ID>.
type Question struct {
	ID   string
	Part string
	Refs string // where the expectation comes from
}

// Questions in the order asked.
var Questions = []Question{
	{"policy", PartSupplier, "UNGP 15, 16"},
	{"impact", PartSupplier, "UNGP 17, 18"},
	{"supply_chain", PartSupplier, "UNGP 17; ILO C29, C87, C98, C100, C105, C111, C138, C155, C182, C187"},
	{"data", PartSupplier, "GDPR Art. 28, 32"},
	{"incidents", PartSupplier, "UNGP 21, 22"},
	{"subprocessors", PartSupplier, "GDPR Art. 28(2), 28(4)"},
	{"remedy", PartSupplier, "UNGP 22, 29"},
	{"legal_basis", PartState, "UNGP 23; ICCPR Art. 17"},
	{"oversight", PartState, "UNGP 4, 5"},
	{"misuse", PartState, "UNGP 7, 17"},
	{"transparency", PartState, "UNGP 21"},
	{"breaching_request", PartState, "UNGP 19, 23"},
}

// Scores a body may give an answer.
var Scores = []string{"inadequate", "partial", "adequate"}

// Answers maps question ids to what the supplier wrote.
type Answers map[string]string

// Clean keeps only known questions, tidied, and returns problems by field.
func Clean(in map[string]string) (Answers, model.FieldErrors) {
	out := Answers{}
	fe := model.FieldErrors{}
	for _, q := range Questions {
		v := model.CleanText(in[q.ID])
		if model.TooLong(v, 8000) {
			fe.Add("q_"+q.ID, "invalid.too_long")
		}
		if v != "" {
			out[q.ID] = v
		}
	}
	if len(out) == 0 && len(fe) == 0 {
		fe.Add("q_policy", "supplierdd.err.empty")
	}
	return out, fe
}

// Known reports whether id is a question.
func Known(id string) bool {
	for _, q := range Questions {
		if q.ID == id {
			return true
		}
	}
	return false
}
