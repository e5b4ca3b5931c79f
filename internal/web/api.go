package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"buyright/internal/access"
	"buyright/internal/auth"
	"buyright/internal/model"
	"buyright/internal/store"
)

// apiUser accepts a personal token ("Authorization: Bearer br_...") or a
// browser session, and refuses anonymous calls with 401.
func (s *Server) apiUser(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if authz := r.Header.Get("Authorization"); authz != "" {
			token, ok := strings.CutPrefix(authz, "Bearer ")
			if !ok {
				return &model.Error{Code: model.EUnauthorized, Message: "use Authorization: Bearer <token>"}
			}
			u, scope, err := s.db.TokenAccess(r.Context(), auth.HashSecret(strings.TrimSpace(token)))
			if err != nil {
				if model.ErrorCode(err) == model.ENotFound {
					return &model.Error{Code: model.EUnauthorized, Message: "the token is unknown or revoked"}
				}
				return err
			}
			if scope != store.TokenWrite && r.Method != http.MethodGet && r.Method != http.MethodHead {
				return &model.Error{Code: model.EForbidden, Key: "error.forbidden", Message: "this token may only read; create a token with read and write access on your account page"}
			}
			return h(w, r.WithContext(withUser(r.Context(), u)))
		}
		if currentUser(r) == nil {
			return &model.Error{Code: model.EUnauthorized, Message: "sign in or send a personal API token"}
		}
		return h(w, r)
	}
}

// apiPurchase is a purchase as the API shows and takes it.
type apiPurchase struct {
	ID               int64    `json:"id"`
	Organisation     string   `json:"organisation"`
	Title            string   `json:"title"`
	Kind             string   `json:"relationship_kind"`
	Need             string   `json:"need"`
	Purpose          string   `json:"purpose"`
	Sector           string   `json:"sector"`
	Technologies     []string `json:"technologies"`
	AffectedPeople   string   `json:"affected_people"`
	VulnerableGroups string   `json:"vulnerable_groups"`
	LegalBasis       string   `json:"legal_basis"`
	ValueMinor       int64    `json:"value_minor"`
	Currency         string   `json:"currency"`
	Funding          string   `json:"funding"`
	Funder           string   `json:"funder"`
	OCID             string   `json:"ocid"`
	Emergency        bool     `json:"emergency"`
	TenderDate       string   `json:"tender_date"`
	AwardDate        string   `json:"award_date"`
	ContractStart    string   `json:"contract_start"`
	ContractEnd      string   `json:"contract_end"`
	ReviewDate       string   `json:"review_date"`
	SunsetDate       string   `json:"sunset_date"`
	LeadUserID       int64    `json:"lead_user_id"`
	Stage            string   `json:"stage"`
	Version          int64    `json:"version"`
	CreatedAt        string   `json:"created_at"`
	UpdatedAt        string   `json:"updated_at"`
}

func toAPI(p *model.Purchase) apiPurchase {
	techs := make([]string, len(p.Technologies))
	for i, t := range p.Technologies {
		techs[i] = string(t)
	}
	return apiPurchase{
		ID: p.ID, Organisation: p.OrgName, Title: p.Title, Kind: string(p.Kind.Or()), Need: p.Need, Purpose: p.Purpose, Sector: string(p.Sector),
		Technologies: techs, AffectedPeople: p.AffectedPeople, VulnerableGroups: p.VulnerableGroups,
		LegalBasis: p.LegalBasis, ValueMinor: p.ValueMinor, Currency: p.Currency, Funding: string(p.Funding),
		Funder: p.Funder, OCID: p.OCID, Emergency: p.Emergency, TenderDate: p.TenderDate.String(),
		AwardDate: p.AwardDate.String(), ContractStart: p.ContractStart.String(), ContractEnd: p.ContractEnd.String(),
		ReviewDate: p.ReviewDate.String(), SunsetDate: p.SunsetDate.String(), LeadUserID: p.LeadUserID,
		Stage: string(p.Stage), Version: p.Version,
		CreatedAt: p.CreatedAt.UTC().Format(time.RFC3339), UpdatedAt: p.UpdatedAt.UTC().Format(time.RFC3339),
	}
}

// applyAPI copies the fields present in a JSON body onto p. Unknown fields
// and wrong types are refused with the field named.
func applyAPI(body []byte, p *model.Purchase) error {
	var in map[string]json.RawMessage
	if err := json.Unmarshal(body, &in); err != nil {
		return model.Errorf(model.EInvalid, "error.invalid", "the body is not a JSON object: %v", err)
	}
	fe := model.FieldErrors{}
	str := func(name string, dst *string) {
		if raw, ok := in[name]; ok {
			if json.Unmarshal(raw, dst) != nil {
				fe.Add(name, "invalid.type_string")
			}
			delete(in, name)
		}
	}
	date := func(name string, dst *model.Date) {
		var s string
		if raw, ok := in[name]; ok {
			delete(in, name)
			if json.Unmarshal(raw, &s) != nil {
				fe.Add(name, "invalid.type_string")
				return
			}
			d, err := model.ParseDate(s)
			if err != nil {
				fe.Add(name, "invalid.date")
			}
			*dst = d
		}
	}
	var sector, funding, kind string
	sector, funding, kind = string(p.Sector), string(p.Funding), string(p.Kind)
	str("title", &p.Title)
	str("relationship_kind", &kind)
	str("need", &p.Need)
	str("purpose", &p.Purpose)
	str("sector", &sector)
	str("affected_people", &p.AffectedPeople)
	str("vulnerable_groups", &p.VulnerableGroups)
	str("legal_basis", &p.LegalBasis)
	str("currency", &p.Currency)
	str("funding", &funding)
	str("funder", &p.Funder)
	str("ocid", &p.OCID)
	p.Sector, p.Funding, p.Kind = model.Sector(sector), model.Funding(funding), model.RelationshipKind(kind)
	date("tender_date", &p.TenderDate)
	date("award_date", &p.AwardDate)
	date("contract_start", &p.ContractStart)
	date("contract_end", &p.ContractEnd)
	date("review_date", &p.ReviewDate)
	date("sunset_date", &p.SunsetDate)
	for name, dst := range map[string]*int64{"value_minor": &p.ValueMinor, "lead_user_id": &p.LeadUserID, "version": &p.Version} {
		if raw, ok := in[name]; ok {
			if json.Unmarshal(raw, dst) != nil {
				fe.Add(name, "invalid.type_integer")
			}
			delete(in, name)
		}
	}
	if raw, ok := in["emergency"]; ok {
		if json.Unmarshal(raw, &p.Emergency) != nil {
			fe.Add("emergency", "invalid.type_boolean")
		}
		delete(in, "emergency")
	}
	if raw, ok := in["technologies"]; ok {
		var ts []string
		if json.Unmarshal(raw, &ts) != nil {
			fe.Add("technologies", "invalid.type_list")
		}
		p.Technologies = nil
		for _, t := range ts {
			p.Technologies = append(p.Technologies, model.Technology(t))
		}
		delete(in, "technologies")
	}
	for _, ro := range []string{"id", "organisation", "stage", "created_at", "updated_at"} {
		if _, ok := in[ro]; ok {
			fe.Add(ro, "invalid.read_only")
			delete(in, ro)
		}
	}
	for name := range in {
		fe.Add(name, "invalid.unknown")
	}
	return fe.Err()
}

const maxAPIBody = 1 << 20

func readBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxAPIBody))
	if err != nil {
		return nil, model.Errorf(model.EInvalid, "error.invalid", "the body is larger than %d bytes or unreadable", maxAPIBody)
	}
	return b, nil
}

func (s *Server) apiPurchaseList(w http.ResponseWriter, r *http.Request) error {
	f := filterFromQuery(r)
	if n, err := strconv.Atoi(r.URL.Query().Get("per_page")); err == nil {
		f.PerPage = n
	}
	list, err := s.db.Purchases(r.Context(), currentUser(r), f)
	if err != nil {
		return err
	}
	items := make([]apiPurchase, 0, len(list.Items))
	for _, p := range list.Items {
		items = append(items, toAPI(p))
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": list.Total, "page": list.Page, "per_page": list.PerPage})
}

func (s *Server) apiPurchaseGet(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.loadPurchase(r, access.View)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toAPI(p))
}

func (s *Server) apiPurchaseCreate(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	if !access.CanCreate(u) {
		return model.Forbidden()
	}
	body, err := readBody(r)
	if err != nil {
		return err
	}
	p := &model.Purchase{OrgID: u.OrgID}
	if err := applyAPI(body, p); err != nil {
		return err
	}
	if err := s.db.CreatePurchase(r.Context(), store.ActorOf(u), p); err != nil {
		return err
	}
	p, _, err = s.db.Purchase(r.Context(), u, p.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/purchases/%d", p.ID))
	return writeJSON(w, http.StatusCreated, toAPI(p))
}

// apiPurchaseUpdate applies the fields sent; "version" is required so that
// a client never overwrites a change it has not seen.
func (s *Server) apiPurchaseUpdate(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.loadPurchase(r, access.Edit)
	if err != nil {
		return err
	}
	body, err := readBody(r)
	if err != nil {
		return err
	}
	p.Version = 0
	if err := applyAPI(body, p); err != nil {
		return err
	}
	if p.Version == 0 {
		return model.FieldErrors{"version": "invalid.required"}.Err()
	}
	u := currentUser(r)
	if err := s.db.UpdatePurchase(r.Context(), store.ActorOf(u), p); err != nil {
		return err
	}
	p, _, err = s.db.Purchase(r.Context(), u, p.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toAPI(p))
}

type apiTransition struct {
	To       string `json:"to"`
	Reason   string `json:"reason"`
	Override bool   `json:"override"`
	Version  int64  `json:"version"`
}

func (s *Server) apiPurchaseTransition(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.loadPurchase(r, access.Transition)
	if err != nil {
		return err
	}
	body, err := readBody(r)
	if err != nil {
		return err
	}
	var in apiTransition
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil && !errors.Is(err, io.EOF) {
		return model.Errorf(model.EInvalid, "error.invalid", "the body is not a valid transition: %v", err)
	}
	if in.Version != 0 && in.Version != p.Version {
		return model.Errorf(model.EConflict, "error.stale", "the purchase is at version %d, not %d; reload it", p.Version, in.Version)
	}
	u := currentUser(r)
	to := model.Stage(in.To)
	if to == "" {
		to = p.Stage.Next()
	}
	m, fe, err := s.planMove(r.Context(), u, p, to, model.CleanText(in.Reason), in.Override)
	if err != nil {
		return err
	}
	if len(fe) > 0 {
		e := fe.Err().(*model.Error)
		if len(m.Failed) > 0 {
			names := make([]string, len(m.Failed))
			for i, f := range m.Failed {
				names[i] = f.Rule
			}
			e.Message = "gate rules failed: " + strings.Join(names, ", ")
		}
		return e
	}
	if err := s.db.Transition(r.Context(), store.ActorOf(u), p, m); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toAPI(p))
}
