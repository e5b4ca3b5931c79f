package web

import (
	"errors"
	"net/http"
	"strconv"

	"buyright/internal/access"
	"buyright/internal/model"
	"buyright/internal/store"
)

// purchaseForm is what the create and edit forms show: the values as typed
// (so nothing is lost when a field is wrong) and the problems per field.
type purchaseForm struct {
	ID      int64
	Version int64
	Values  map[string]string
	Techs   []model.Technology
	Errors  map[string]string // field → translation key
	Leads   []*model.User
	Sectors []model.Sector
	AllTech []model.Technology
	Funds   []model.Funding
	Kinds   []model.RelationshipKind
	Action  string
}

var purchaseTextFields = []string{
	"title", "relationship_kind", "need", "purpose", "sector", "affected_people", "vulnerable_groups", "legal_basis",
	"value", "currency", "funding", "funder", "ocid", "tender_date", "award_date",
	"contract_start", "contract_end", "review_date", "sunset_date", "lead_user_id",
}

func formFromPurchase(p *model.Purchase) *purchaseForm {
	v := map[string]string{
		"title": p.Title, "relationship_kind": string(p.Kind.Or()), "need": p.Need, "purpose": p.Purpose, "sector": string(p.Sector),
		"affected_people": p.AffectedPeople, "vulnerable_groups": p.VulnerableGroups, "legal_basis": p.LegalBasis,
		"value": moneyInput(p.ValueMinor), "currency": p.Currency, "funding": string(p.Funding), "funder": p.Funder,
		"ocid": p.OCID, "tender_date": p.TenderDate.String(), "award_date": p.AwardDate.String(),
		"contract_start": p.ContractStart.String(), "contract_end": p.ContractEnd.String(),
		"review_date": p.ReviewDate.String(), "sunset_date": p.SunsetDate.String(),
	}
	if p.LeadUserID != 0 {
		v["lead_user_id"] = strconv.FormatInt(p.LeadUserID, 10)
	}
	if p.Emergency {
		v["emergency"] = "on"
	}
	return &purchaseForm{ID: p.ID, Version: p.Version, Values: v, Techs: p.Technologies}
}

func moneyInput(minor int64) string {
	if minor == 0 {
		return ""
	}
	s := strconv.FormatInt(minor/100, 10)
	if c := minor % 100; c != 0 {
		s += "." + strconv.FormatInt(c/10, 10) + strconv.FormatInt(c%10, 10)
	}
	return s
}

// readPurchaseForm parses the posted form into p, collecting problems in
// fe. Fields that fail to parse keep their typed text in the form values.
func readPurchaseForm(r *http.Request, p *model.Purchase) (*purchaseForm, model.FieldErrors) {
	f := &purchaseForm{Values: map[string]string{}}
	fe := model.FieldErrors{}
	for _, k := range purchaseTextFields {
		f.Values[k] = r.PostFormValue(k)
	}
	f.Values["emergency"] = r.PostFormValue("emergency")
	for _, t := range r.PostForm["technologies"] {
		f.Techs = append(f.Techs, model.Technology(t))
	}
	v := f.Values
	p.Title, p.Need, p.Purpose = v["title"], v["need"], v["purpose"]
	p.Sector = model.Sector(v["sector"])
	p.Kind = model.RelationshipKind(v["relationship_kind"])
	p.Technologies = f.Techs
	p.AffectedPeople, p.VulnerableGroups, p.LegalBasis = v["affected_people"], v["vulnerable_groups"], v["legal_basis"]
	p.Currency, p.Funding, p.Funder, p.OCID = v["currency"], model.Funding(v["funding"]), v["funder"], v["ocid"]
	p.Emergency = v["emergency"] != ""
	if minor, ok := parseMoney(v["value"]); ok {
		p.ValueMinor = minor
	} else {
		fe.Add("value", "invalid.money")
	}
	dates := map[string]*model.Date{
		"tender_date": &p.TenderDate, "award_date": &p.AwardDate, "contract_start": &p.ContractStart,
		"contract_end": &p.ContractEnd, "review_date": &p.ReviewDate, "sunset_date": &p.SunsetDate,
	}
	for name, dst := range dates {
		d, err := model.ParseDate(v[name])
		if err != nil {
			fe.Add(name, "invalid.date")
		}
		*dst = d
	}
	p.LeadUserID = 0
	if v["lead_user_id"] != "" {
		id, err := strconv.ParseInt(v["lead_user_id"], 10, 64)
		if err != nil {
			fe.Add("lead_user_id", "invalid.choice")
		}
		p.LeadUserID = id
	}
	if ver, err := strconv.ParseInt(r.PostFormValue("version"), 10, 64); err == nil {
		p.Version = ver
	}
	// Check the rest now too, so the person sees every problem at once.
	mergeErrors(fe, p.Validate())
	return f, fe
}

// mergeErrors adds a validation error's fields to fe; it reports false if
// err is some other error, which the caller returns.
func mergeErrors(fe model.FieldErrors, err error) bool {
	var e *model.Error
	if !errors.As(err, &e) || e.Code != model.EInvalid && len(e.Fields) == 0 {
		return false
	}
	for k, v := range e.Fields {
		fe.Add(k, v)
	}
	return true
}

func (s *Server) showPurchaseForm(w http.ResponseWriter, r *http.Request, status int, f *purchaseForm, titleKey string) error {
	u := currentUser(r)
	leads, err := s.db.Users(r.Context(), u.OrgID)
	if err != nil {
		return err
	}
	f.Leads = leads
	f.Sectors, f.AllTech, f.Funds, f.Kinds = model.Sectors, model.Technologies, model.Fundings, model.RelationshipKinds
	return s.render(w, r, status, "purchase_form", titleKey, f)
}

func (s *Server) purchaseNew(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	if !access.CanCreate(u) {
		return model.Forbidden()
	}
	f := formFromPurchase(&model.Purchase{LeadUserID: u.ID, Currency: "EUR"})
	f.Action = "/purchases"
	return s.showPurchaseForm(w, r, http.StatusOK, f, "purchase.new.title")
}

func (s *Server) purchaseCreate(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	if !access.CanCreate(u) {
		return model.Forbidden()
	}
	p := &model.Purchase{OrgID: u.OrgID}
	f, fe := readPurchaseForm(r, p)
	f.Action = "/purchases"
	if len(fe) == 0 {
		err := s.db.CreatePurchase(r.Context(), store.ActorOf(u), p)
		if err == nil {
			http.Redirect(w, r, "/purchases/"+strconv.FormatInt(p.ID, 10)+"?done=created", http.StatusSeeOther)
			return nil
		}
		if !mergeErrors(fe, err) {
			return err
		}
	}
	f.Errors = fe
	return s.showPurchaseForm(w, r, http.StatusUnprocessableEntity, f, "purchase.new.title")
}

// loadPurchase reads the {id} of the URL and the purchase as the signed-in
// person may see it, checking that they may do act. Not allowed to see is
// not found; allowed to see but not to act is forbidden.
func (s *Server) loadPurchase(r *http.Request, act access.Action) (*model.Purchase, access.Relation, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, access.None, model.NotFound("purchase")
	}
	u := currentUser(r)
	p, rel, err := s.db.Purchase(r.Context(), u, id)
	if err != nil {
		return nil, rel, err
	}
	if !access.Can(u, rel, act) {
		return nil, rel, model.Forbidden()
	}
	return p, rel, nil
}

func (s *Server) purchaseEdit(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.loadPurchase(r, access.Edit)
	if err != nil {
		return err
	}
	f := formFromPurchase(p)
	f.Action = "/purchases/" + strconv.FormatInt(p.ID, 10)
	return s.showPurchaseForm(w, r, http.StatusOK, f, "purchase.edit.title")
}

func (s *Server) purchaseUpdate(w http.ResponseWriter, r *http.Request) error {
	old, _, err := s.loadPurchase(r, access.Edit)
	if err != nil {
		return err
	}
	p := &model.Purchase{ID: old.ID}
	f, fe := readPurchaseForm(r, p)
	f.ID, f.Version = old.ID, p.Version
	f.Action = "/purchases/" + strconv.FormatInt(old.ID, 10)
	if len(fe) == 0 {
		err := s.db.UpdatePurchase(r.Context(), store.ActorOf(currentUser(r)), p)
		if err == nil {
			http.Redirect(w, r, f.Action+"?done=saved", http.StatusSeeOther)
			return nil
		}
		if model.ErrorCode(err) == model.EConflict && len(err.(*model.Error).Fields) == 0 {
			// Keep what was typed and say why it was not saved.
			fe.Add("_form", "error.stale")
		} else if !mergeErrors(fe, err) {
			return err
		}
	}
	f.Errors = fe
	status := http.StatusUnprocessableEntity
	if fe["_form"] != "" {
		status = http.StatusConflict
	}
	return s.showPurchaseForm(w, r, status, f, "purchase.edit.title")
}
