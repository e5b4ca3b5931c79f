package web

import (
	"net/http"

	"buyright/internal/access"
	"buyright/internal/model"
	"buyright/internal/store"
)

// The Learning Lab's network roles: who reviews, publishes and leads
// hubs, given by a site administrator or a network lead on /lab/roles.
// Anyone signed in reads the list (the public law map names reviewers
// anyway); only those who may appoint get the forms.

func (s *Server) labRoleRoutes(member func(string, handlerFunc)) {
	member("GET /lab/roles", s.labRolesPage)
	member("POST /lab/roles", s.labRoleAppoint)
	member("POST /lab/roles/{id}/remove", s.labRoleRemove)
}

// labGrants returns the roles the signed-in person holds now.
func (s *Server) labGrants(r *http.Request) ([]access.LabGrant, error) {
	u := currentUser(r)
	if u == nil {
		return nil, nil
	}
	return s.db.LabGrants(r.Context(), u.ID)
}

// labCan reports whether the signed-in person may do act (for a practice
// of hub). The store checks again when it makes the change.
func (s *Server) labCan(r *http.Request, act access.LabAction, hub string) (bool, error) {
	g, err := s.labGrants(r)
	if err != nil {
		return false, err
	}
	return access.LabCan(currentUser(r), g, act, hub), nil
}

// labCanAny reports whether the person may do any of acts, for any hub
// they lead: the first check of a request, before the object is read.
func (s *Server) labCanAny(r *http.Request, acts ...access.LabAction) (bool, error) {
	g, err := s.labGrants(r)
	if err != nil {
		return false, err
	}
	u := currentUser(r)
	hubs := []string{""}
	for _, x := range g {
		if x.Hub != "" {
			hubs = append(hubs, x.Hub)
		}
	}
	for _, act := range acts {
		for _, h := range hubs {
			if access.LabCan(u, g, act, h) {
				return true, nil
			}
		}
	}
	return false, nil
}

type labRolesData struct {
	Current, Ended []*store.LabRoleRecord
	CanAppoint     bool
	Roles          []access.LabRole // the roles this person may give
	Hubs           []string
	Values         map[string]string
	Errors         model.FieldErrors
}

func (s *Server) labRolesData(r *http.Request) (*labRolesData, error) {
	recs, err := s.db.LabRoleRecords(r.Context())
	if err != nil {
		return nil, err
	}
	d := &labRolesData{Hubs: store.Hubs, Values: map[string]string{"lab_role": string(access.LabReviewer)}}
	for _, x := range recs {
		if x.RemovedAt == nil {
			d.Current = append(d.Current, x)
		} else {
			d.Ended = append(d.Ended, x)
		}
	}
	g, err := s.labGrants(r)
	if err != nil {
		return nil, err
	}
	u := currentUser(r)
	d.CanAppoint = access.LabCan(u, g, access.LabAppoint, "")
	for _, role := range access.LabRoles {
		if role != access.LabLead || access.LabCan(u, g, access.LabAppointLead, "") {
			d.Roles = append(d.Roles, role)
		}
	}
	return d, nil
}

func (s *Server) labRolesPage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.labRolesData(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "lab_roles", "lab.roles.title", d)
}

func (s *Server) labRoleAppoint(w http.ResponseWriter, r *http.Request) error {
	if ok, err := s.labCan(r, access.LabAppoint, ""); err != nil {
		return err
	} else if !ok {
		return model.Errorf(model.EForbidden, "lab.roles.not_appointer", "only a site administrator or a network lead appoints Lab roles")
	}
	email, role, hub := model.CleanLine(r.PostFormValue("email")), model.CleanLine(r.PostFormValue("lab_role")), model.CleanLine(r.PostFormValue("lab_hub"))
	_, err := s.db.AppointLabRole(r.Context(), store.ActorOf(currentUser(r)), email, access.LabRole(role), hub)
	if fe := fieldErrs(err); fe != nil {
		d, derr := s.labRolesData(r)
		if derr != nil {
			return derr
		}
		d.Values = map[string]string{"email": email, "lab_role": role, "lab_hub": hub}
		d.Errors = fe
		return s.render(w, r, http.StatusUnprocessableEntity, "lab_roles", "lab.roles.title", d)
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/lab/roles?done=saved", http.StatusSeeOther)
	return nil
}

func (s *Server) labRoleRemove(w http.ResponseWriter, r *http.Request) error {
	if ok, err := s.labCan(r, access.LabAppoint, ""); err != nil {
		return err
	} else if !ok {
		return model.Errorf(model.EForbidden, "lab.roles.not_appointer", "only a site administrator or a network lead appoints Lab roles")
	}
	id, err := pathID(r, "lab role")
	if err != nil {
		return err
	}
	if err := s.db.RemoveLabRole(r.Context(), store.ActorOf(currentUser(r)), id); err != nil {
		return err
	}
	http.Redirect(w, r, "/lab/roles?done=saved", http.StatusSeeOther)
	return nil
}
