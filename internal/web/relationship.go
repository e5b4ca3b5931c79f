package web

import (
	"context"
	"net/http"
	"strconv"

	"buyright/internal/access"
	"buyright/internal/model"
	"buyright/internal/relationship"
	"buyright/internal/store"
)

// A relationship that is not a plain purchase (a licence, a partnership, a
// data-sharing agreement, a donation) has terms its kind needs, written on
// this page by the body and read by everyone who may see the purchase,
// the company that is party to it included. The terms the kind needs are a
// requirement computed from this record (catalogue nexus.yaml).

// termView is one term as a page or the register shows it.
type termView struct {
	Field  string
	Value  string
	Needed bool // the relationship's kind needs it
}

type relationshipPage struct {
	P       *model.Purchase
	Terms   []termView
	Missing []string
	Saved   *relationship.Terms
	CanEdit bool
	Errors  model.FieldErrors
}

// termViews lists the terms of p that the register shows: for any kind but
// a purchase, every term the kind needs (empty ones included, so a gap is
// visible) and any other term written.
func (s *Server) termViews(ctx context.Context, p *model.Purchase) ([]termView, error) {
	if p.Kind.Or() == model.KindPurchase {
		return nil, nil
	}
	t, err := s.db.RelationshipTerms(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	var out []termView
	for _, f := range relationship.Fields {
		v := ""
		if t != nil {
			v = t.Get(f)
		}
		if need := relationship.Needed(p.Kind, f); need || v != "" {
			out = append(out, termView{Field: f, Value: v, Needed: need})
		}
	}
	return out, nil
}

// recordRelationship is the terms in the per-entry register record, by
// field name; a needed term not written is an empty string.
type recordRelationship map[string]string

func relationshipRecord(terms []termView) *recordRelationship {
	if len(terms) == 0 {
		return nil
	}
	out := recordRelationship{}
	for _, t := range terms {
		out[t.Field] = t.Value
	}
	return &out
}

func (s *Server) relationshipState(r *http.Request, p *model.Purchase, rel access.Relation) (*relationshipPage, error) {
	d := &relationshipPage{P: p, CanEdit: access.Can(currentUser(r), rel, access.Edit) && p.Stage.Open()}
	t, err := s.db.RelationshipTerms(r.Context(), p.ID)
	if err != nil {
		return nil, err
	}
	d.Saved = t
	if t == nil {
		t = &relationship.Terms{}
	}
	for _, f := range relationship.Fields {
		d.Terms = append(d.Terms, termView{Field: f, Value: t.Get(f), Needed: relationship.Needed(p.Kind, f)})
	}
	d.Missing = relationship.Missing(p.Kind, d.Saved)
	return d, nil
}

func (s *Server) relationshipView(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.View)
	if err != nil {
		return err
	}
	d, err := s.relationshipState(r, p, rel)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "relationship", "relationship.title", d)
}

func (s *Server) relationshipSave(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.Edit)
	if err != nil {
		return err
	}
	t := &relationship.Terms{}
	for _, f := range relationship.Fields {
		t.Set(f, r.PostFormValue(f))
	}
	rev, _ := strconv.ParseInt(r.PostFormValue("rev"), 10, 64)
	err = s.db.SaveRelationshipTerms(r.Context(), store.ActorOf(currentUser(r)), p, t, rev)
	if fe := fieldErrs(err); fe != nil {
		d, derr := s.relationshipState(r, p, rel)
		if derr != nil {
			return derr
		}
		for i := range d.Terms {
			d.Terms[i].Value = r.PostFormValue(d.Terms[i].Field)
		}
		d.Errors = fe
		return s.render(w, r, http.StatusUnprocessableEntity, "relationship", "relationship.title", d)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/purchases/"+strconv.FormatInt(p.ID, 10)+"/relationship?done=saved", http.StatusSeeOther)
	return nil
}
