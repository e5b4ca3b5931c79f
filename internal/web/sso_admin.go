package web

import (
	"net/http"
	"strconv"
	"strings"

	"buyright/internal/model"
	"buyright/internal/sso"
	"buyright/internal/store"
)

// ssoAdminData is the single sign-on settings page of one organisation.
// The stored client secret is never put on it: HasSecret says one exists.
type ssoAdminData struct {
	Org         *model.Organisation
	HasSecret   bool
	Unreadable  bool // a secret is stored but this server's key does not open it
	Values      map[string]string
	Errors      map[string]string
	Roles       []model.Role
	RedirectURL string
}

// ssoRoles are the roles sign-on may give new accounts: any of the
// organisation's but administrator.
func ssoRoles(k model.OrgKind) []model.Role {
	var out []model.Role
	for _, r := range model.RolesFor(k) {
		if r != model.RoleAdmin {
			out = append(out, r)
		}
	}
	return out
}

func ssoValues(p *sso.Provider) map[string]string {
	v := map[string]string{"sso_label": p.Label, "issuer": p.Issuer, "client_id": p.ClientID, "email_domains": strings.Join(p.Domains, " "),
		"claim_name": p.ClaimName, "claim_value": p.ClaimValue, "role": string(p.Role)}
	if p.PasswordsOff {
		v["passwords_off"] = "on"
	}
	return v
}

// ssoAdminOrg is adminOrg, except that an organisation's administrator
// naming another organisation is refused rather than sent to their own:
// a change of sign-in must happen where the address says.
func (s *Server) ssoAdminOrg(r *http.Request) (*model.Organisation, error) {
	org, err := s.adminOrg(r)
	if err != nil {
		return nil, err
	}
	if v := r.FormValue("org"); v != "" && v != strconv.FormatInt(org.ID, 10) {
		return nil, model.Forbidden()
	}
	return org, nil
}

func (s *Server) ssoPage(w http.ResponseWriter, r *http.Request, status int, org *model.Organisation, d *ssoAdminData) error {
	d.Org, d.Roles, d.RedirectURL = org, ssoRoles(org.Kind), s.ssoRedirectURL(r)
	return s.render(w, r, status, "admin_sso", "sso.title", d)
}

// ssoSettings shows an organisation's provider to its administrators (and
// to site administrators, with ?org=).
func (s *Server) ssoSettings(w http.ResponseWriter, r *http.Request) error {
	org, err := s.ssoAdminOrg(r)
	if err != nil {
		return err
	}
	d := &ssoAdminData{Values: map[string]string{}}
	p, err := s.db.SSOProvider(r.Context(), org.ID)
	switch {
	case err == nil:
		d.Values, d.HasSecret, d.Unreadable = ssoValues(p), !p.SecretUnreadable, p.SecretUnreadable
	case model.ErrorCode(err) != model.ENotFound:
		return err
	}
	return s.ssoPage(w, r, http.StatusOK, org, d)
}

// ssoSave records the provider. What was typed comes back with the errors,
// except the secret, which is never sent back to a browser.
func (s *Server) ssoSave(w http.ResponseWriter, r *http.Request) error {
	org, err := s.ssoAdminOrg(r)
	if err != nil {
		return err
	}
	v := map[string]string{}
	for _, k := range []string{"sso_label", "issuer", "client_id", "email_domains", "claim_name", "claim_value", "role", "passwords_off"} {
		v[k] = r.PostFormValue(k)
	}
	p := &sso.Provider{OrgID: org.ID, Label: v["sso_label"], Issuer: v["issuer"], ClientID: v["client_id"], ClientSecret: r.PostFormValue("client_secret"),
		Domains: sso.ParseDomains(v["email_domains"]), ClaimName: v["claim_name"], ClaimValue: v["claim_value"],
		Role: model.Role(v["role"]), PasswordsOff: v["passwords_off"] == "on"}
	if err := s.db.SaveSSOProvider(r.Context(), store.ActorOf(currentUser(r)), p); err != nil {
		fe := model.FieldErrors{}
		if !mergeErrors(fe, err) {
			return err
		}
		d := &ssoAdminData{Values: v, Errors: fe}
		if old, perr := s.db.SSOProvider(r.Context(), org.ID); perr == nil {
			d.HasSecret, d.Unreadable = !old.SecretUnreadable, old.SecretUnreadable
		}
		return s.ssoPage(w, r, http.StatusUnprocessableEntity, org, d)
	}
	http.Redirect(w, r, "/admin/sso?org="+strconv.FormatInt(org.ID, 10)+"&done=saved", http.StatusSeeOther)
	return nil
}

// ssoRemove forgets the provider; members sign in with passwords again.
func (s *Server) ssoRemove(w http.ResponseWriter, r *http.Request) error {
	org, err := s.ssoAdminOrg(r)
	if err != nil {
		return err
	}
	if err := s.db.RemoveSSOProvider(r.Context(), store.ActorOf(currentUser(r)), org.ID); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/sso?org="+strconv.FormatInt(org.ID, 10)+"&done=saved", http.StatusSeeOther)
	return nil
}
