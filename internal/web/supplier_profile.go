package web

import (
	"fmt"
	"net/http"

	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/supplierdd"
)

// A supplier's company-wide answers, from its own account: its own due
// diligence (policy, impact assessment, supply chain, data, incidents,
// sub-processors, remedy, requests from authorities), answered once and
// carried into every open purchase it has answered. The page lists where
// an update goes and what each purchase carries now.

type profilePage struct {
	Questions []*ddQuestion
	Profile   *store.SupplierProfile
	Uses      []store.ProfileUse
	CanAnswer bool
	Errors    model.FieldErrors
	Asked     string
	Updated   int // purchases that got the last update, after a save
}

// supplierOrgUser is the signed-in person when their organisation is a
// supplier; anyone else may not see a supplier's company answers.
func supplierOrgUser(r *http.Request) (*model.User, error) {
	u := currentUser(r)
	if u == nil || u.Org == nil || u.Org.Kind != model.OrgSupplier || u.Disabled {
		return nil, model.Forbidden()
	}
	return u, nil
}

func (s *Server) profileState(r *http.Request, u *model.User) (*profilePage, error) {
	ctx := r.Context()
	q := s.supplierQuestions()
	d := &profilePage{CanAnswer: u.Role != model.RoleViewer, Asked: q.Version}
	var err error
	if d.Profile, err = s.db.SupplierProfile(ctx, u.OrgID); err != nil {
		return nil, err
	}
	if d.Uses, err = s.db.ProfileUses(ctx, u.OrgID); err != nil {
		return nil, err
	}
	lang := langOf(r, s)
	for _, x := range q.InPart(supplierdd.PartSupplier) {
		dq := &ddQuestion{Question: x, Title: x.Title.In(lang), Help: x.Help.In(lang), Shared: true}
		if d.Profile != nil {
			dq.Answer = d.Profile.Answers[x.ID]
		}
		d.Questions = append(d.Questions, dq)
	}
	return d, nil
}

func (s *Server) supplierProfileView(w http.ResponseWriter, r *http.Request) error {
	u, err := supplierOrgUser(r)
	if err != nil {
		return err
	}
	d, err := s.profileState(r, u)
	if err != nil {
		return err
	}
	fmt.Sscan(r.URL.Query().Get("updated"), &d.Updated)
	return s.render(w, r, http.StatusOK, "supplier_profile", "afteraward.profile.title", d)
}

func (s *Server) supplierProfileSave(w http.ResponseWriter, r *http.Request) error {
	u, err := supplierOrgUser(r)
	if err != nil {
		return err
	}
	if u.Role == model.RoleViewer {
		return model.Forbidden()
	}
	q := s.supplierQuestions()
	in := map[string]string{}
	for _, x := range q.InPart(supplierdd.PartSupplier) {
		in[x.ID] = r.PostFormValue("q_" + x.ID)
	}
	_, updated, err := s.db.SaveSupplierProfile(r.Context(), store.ActorOf(u), u.OrgID, q, in)
	if fe := fieldErrs(err); fe != nil {
		d, err := s.profileState(r, u)
		if err != nil {
			return err
		}
		d.Errors = fe
		for _, x := range d.Questions {
			x.Answer, x.Error = in[x.ID], fe["q_"+x.ID]
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "supplier_profile", "afteraward.profile.title", d)
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/supplier/due-diligence?done=saved&updated=%d", len(updated)), http.StatusSeeOther)
	return nil
}
