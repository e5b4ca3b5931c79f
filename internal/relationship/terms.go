// Package relationship holds what a relationship between the State and a
// company needs beyond a purchase's fields: the terms its kind calls for
// (a licence's conditions and the authority's powers under it, a
// partnership's shared data and decision rights, a data-sharing
// agreement's permitted uses, a donation's strings and exit), and the gate
// rule that keeps the screening in step with the kind the record says.
//
// State requests and firewalls have packages of their own (staterequest,
// firewall): a request may be made under law with no relationship at all,
// and a firewall belongs to any relationship, a plain purchase included.
package relationship

import (
	"slices"
	"time"

	"buyright/internal/model"
)

// Terms are the kind-specific terms of one relationship.
type Terms struct {
	PurchaseID      int64
	Conditions      string // licence: the conditions the licensee must meet
	AuthorityPowers string // licence: what the authority may require or do under it
	SharedData      string // partnership, data sharing: which data each side gives the other
	DecisionRights  string // partnership: who decides what, and who may stop the system
	PermittedUses   string // data sharing: the only uses the data may be put to
	Strings         string // donation: what the donor asks or gains in return
	Exit            string // partnership, donation: how it ends and what happens to data and dependence
	Rev             int64
	UpdatedBy       string
	UpdatedAt       time.Time
}

// Fields are the form and storage names of the terms, in the order a form
// shows them.
var Fields = []string{"conditions", "authority_powers", "shared_data", "decision_rights", "permitted_uses", "strings_attached", "exit_terms"}

// needs lists the terms each kind must have written before it is complete.
// A purchase needs none of them: its contract carries its terms.
var needs = map[model.RelationshipKind][]string{
	model.KindLicence:     {"conditions", "authority_powers"},
	model.KindPartnership: {"shared_data", "decision_rights", "exit_terms"},
	model.KindDataSharing: {"shared_data", "permitted_uses"},
	model.KindDonation:    {"strings_attached", "exit_terms"},
}

// Needs returns the terms kind k must have, in form order.
func Needs(k model.RelationshipKind) []string { return needs[k.Or()] }

// Needed reports whether field is one kind k must have.
func Needed(k model.RelationshipKind, field string) bool {
	return slices.Contains(needs[k.Or()], field)
}

// Get returns a term by its field name.
func (t *Terms) Get(field string) string {
	if p := t.ptr(field); p != nil {
		return *p
	}
	return ""
}

// Set stores a term by its field name; unknown names are ignored.
func (t *Terms) Set(field, v string) {
	if p := t.ptr(field); p != nil {
		*p = v
	}
}

func (t *Terms) ptr(field string) *string {
	switch field {
	case "conditions":
		return &t.Conditions
	case "authority_powers":
		return &t.AuthorityPowers
	case "shared_data":
		return &t.SharedData
	case "decision_rights":
		return &t.DecisionRights
	case "permitted_uses":
		return &t.PermittedUses
	case "strings_attached":
		return &t.Strings
	case "exit_terms":
		return &t.Exit
	}
	return nil
}

// MaxTerm is the longest a single term may be, in characters.
const MaxTerm = 20000

// Validate cleans every term and reports those too long. A term the kind
// does not need may still be written: a licence can have an exit too.
func (t *Terms) Validate() model.FieldErrors {
	fe := model.FieldErrors{}
	for _, f := range Fields {
		v := model.CleanText(t.Get(f))
		t.Set(f, v)
		if model.TooLong(v, MaxTerm) {
			fe.Add(f, "invalid.too_long")
		}
	}
	return fe
}

// Missing lists the terms kind k needs that t leaves empty (t may be nil:
// nothing written yet).
func Missing(k model.RelationshipKind, t *Terms) []string {
	var out []string
	for _, f := range Needs(k) {
		if t == nil || t.Get(f) == "" {
			out = append(out, f)
		}
	}
	return out
}
