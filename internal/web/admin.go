package web

import (
	"net/http"
	"strconv"

	"buyright/internal/access"
	"buyright/internal/auth"
	"buyright/internal/model"
	"buyright/internal/store"
)

type usersData struct {
	Org      *model.Organisation
	Orgs     []*model.Organisation // site admins may add people to any organisation
	Users    []*model.User
	Roles    []model.Role
	Values   map[string]string
	Errors   map[string]string
	Created  *model.User // shown once with its first password
	Password string
	// Editable marks the accounts the signed-in person may open: not a
	// site administrator's, for an organisation's administrator.
	Editable map[int64]bool
}

// adminOrg is the organisation whose people the page manages: the person's
// own, or for a site admin any chosen with ?org=.
func (s *Server) adminOrg(r *http.Request) (*model.Organisation, error) {
	u := currentUser(r)
	orgID := u.OrgID
	if v := r.FormValue("org"); v != "" && u.SiteAdmin {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, model.NotFound("organisation")
		}
		orgID = id
	}
	if !access.CanAdminOrg(u, orgID) {
		return nil, model.Forbidden()
	}
	return s.db.Org(r.Context(), orgID)
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request, status int, org *model.Organisation, d *usersData) error {
	var err error
	d.Org, d.Roles = org, model.RolesFor(org.Kind)
	if d.Users, err = s.db.Users(r.Context(), org.ID); err != nil {
		return err
	}
	d.Editable = map[int64]bool{}
	for _, x := range d.Users {
		d.Editable[x.ID] = access.CanAdminUser(currentUser(r), x)
	}
	if currentUser(r).SiteAdmin {
		if d.Orgs, err = s.db.Orgs(r.Context()); err != nil {
			return err
		}
	}
	return s.render(w, r, status, "users", "users.title", d)
}

func (s *Server) userList(w http.ResponseWriter, r *http.Request) error {
	org, err := s.adminOrg(r)
	if err != nil {
		return err
	}
	return s.usersPage(w, r, http.StatusOK, org, &usersData{Values: map[string]string{}})
}

// userCreate adds a person with a random first password, shown once to the
// admin to pass on; the person changes it after signing in.
func (s *Server) userCreate(w http.ResponseWriter, r *http.Request) error {
	org, err := s.adminOrg(r)
	if err != nil {
		return err
	}
	d := &usersData{Values: map[string]string{"email": r.PostFormValue("email"), "name": r.PostFormValue("name"), "role": r.PostFormValue("role")}}
	nu := &model.User{OrgID: org.ID, Email: d.Values["email"], Name: d.Values["name"], Role: model.Role(d.Values["role"])}
	pw := auth.NewPassword()
	hash, err := s.hasher.Hash(pw)
	if err != nil {
		return err
	}
	if err := s.db.CreateUser(r.Context(), store.ActorOf(currentUser(r)), nu, hash); err != nil {
		fe := model.FieldErrors{}
		if !mergeErrors(fe, err) {
			return err
		}
		d.Errors = fe
		return s.usersPage(w, r, http.StatusUnprocessableEntity, org, d)
	}
	d.Created, d.Password, d.Values = nu, pw, map[string]string{}
	return s.usersPage(w, r, http.StatusCreated, org, d)
}

type userEditData struct {
	Edit   *model.User
	Roles  []model.Role
	Errors map[string]string
}

// editableUser loads {id} if the signed-in person may manage that account
// (see access.CanAdminUser); otherwise it does not exist for them.
func (s *Server) editableUser(r *http.Request) (*model.User, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, model.NotFound("user")
	}
	target, err := s.db.User(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if !access.CanAdminUser(currentUser(r), target) {
		return nil, model.NotFound("user")
	}
	return target, nil
}

func (s *Server) userEditForm(w http.ResponseWriter, r *http.Request) error {
	target, err := s.editableUser(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "user_edit", "users.edit_title", userEditData{Edit: target, Roles: model.RolesFor(target.Org.Kind)})
}

func (s *Server) userUpdate(w http.ResponseWriter, r *http.Request) error {
	target, err := s.editableUser(r)
	if err != nil {
		return err
	}
	me := currentUser(r)
	target.Name = r.PostFormValue("name")
	target.Role = model.Role(r.PostFormValue("role"))
	target.Disabled = r.PostFormValue("disabled") == "on"
	fe := model.FieldErrors{}
	if target.ID == me.ID && (target.Disabled || target.Role != me.Role) {
		// Nobody locks themselves out of administering their organisation.
		fe.Add("role", "users.self_change")
	} else if err := s.db.UpdateUser(r.Context(), store.ActorOf(me), target); err != nil && !mergeErrors(fe, err) {
		return err
	}
	if len(fe) > 0 {
		return s.render(w, r, http.StatusUnprocessableEntity, "user_edit", "users.edit_title", userEditData{Edit: target, Roles: model.RolesFor(target.Org.Kind), Errors: fe})
	}
	http.Redirect(w, r, "/admin/users?org="+strconv.FormatInt(target.OrgID, 10)+"&done=user_saved", http.StatusSeeOther)
	return nil
}

type orgsData struct {
	Orgs   []*model.Organisation
	Kinds  []model.OrgKind
	Values map[string]string
	Errors map[string]string
}

func (s *Server) orgList(w http.ResponseWriter, r *http.Request) error {
	if !access.CanAdminSite(currentUser(r)) {
		return model.Forbidden()
	}
	orgs, err := s.db.Orgs(r.Context())
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "orgs", "orgs.title", orgsData{Orgs: orgs, Kinds: model.OrgKinds, Values: map[string]string{}})
}

func (s *Server) orgCreate(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	if !access.CanAdminSite(u) {
		return model.Forbidden()
	}
	v := map[string]string{"slug": r.PostFormValue("slug"), "name": r.PostFormValue("name"), "kind": r.PostFormValue("kind"), "jurisdiction": r.PostFormValue("jurisdiction")}
	o := &model.Organisation{Slug: v["slug"], Name: v["name"], Kind: model.OrgKind(v["kind"]), Jurisdiction: v["jurisdiction"]}
	if err := s.db.CreateOrg(r.Context(), store.ActorOf(u), o); err != nil {
		fe := model.FieldErrors{}
		if !mergeErrors(fe, err) {
			return err
		}
		orgs, oerr := s.db.Orgs(r.Context())
		if oerr != nil {
			return oerr
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "orgs", "orgs.title", orgsData{Orgs: orgs, Kinds: model.OrgKinds, Values: v, Errors: fe})
	}
	http.Redirect(w, r, "/admin/orgs/"+strconv.FormatInt(o.ID, 10)+"?done=org_created", http.StatusSeeOther)
	return nil
}

type orgData struct {
	Org    *model.Organisation
	Bodies []*model.Organisation // public bodies, for the remit
	Remit  map[int64]bool
}

func (s *Server) orgView(w http.ResponseWriter, r *http.Request) error {
	if !access.CanAdminSite(currentUser(r)) {
		return model.Forbidden()
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return model.NotFound("organisation")
	}
	org, err := s.db.Org(r.Context(), id)
	if err != nil {
		return err
	}
	d := orgData{Org: org, Remit: map[int64]bool{}}
	if org.Kind == model.OrgOversight {
		orgs, err := s.db.Orgs(r.Context())
		if err != nil {
			return err
		}
		for _, o := range orgs {
			if o.Kind == model.OrgPublicBody {
				d.Bodies = append(d.Bodies, o)
			}
		}
		ids, err := s.db.Remit(r.Context(), org.ID)
		if err != nil {
			return err
		}
		for _, id := range ids {
			d.Remit[id] = true
		}
	}
	return s.render(w, r, http.StatusOK, "org", "orgs.view_title", d)
}

func (s *Server) orgRemit(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	if !access.CanAdminSite(u) {
		return model.Forbidden()
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return model.NotFound("organisation")
	}
	if err := r.ParseForm(); err != nil {
		return model.FieldErrors{"remit": "invalid.choice"}.Err()
	}
	var ids []int64
	for _, v := range r.PostForm["remit"] {
		x, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return model.FieldErrors{"remit": "invalid.choice"}.Err()
		}
		ids = append(ids, x)
	}
	if err := s.db.SetRemit(r.Context(), store.ActorOf(u), id, ids); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/orgs/"+strconv.FormatInt(id, 10)+"?done=remit_saved", http.StatusSeeOther)
	return nil
}
