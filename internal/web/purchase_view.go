package web

import (
	"net/http"
	"strconv"

	"buyright/internal/access"
	"buyright/internal/audit"
	"buyright/internal/lifecycle"
	"buyright/internal/model"
	"buyright/internal/store"
)

type purchaseData struct {
	P          *model.Purchase
	Relation   string
	CanEdit    bool
	CanMove    bool
	CanComment bool
	CanRecord  bool // may see history, comments and audit
	CanAssess  bool // may work on the assessment and close tasks
	Next       model.Stage
	History    []model.StageChange
	Comments   []model.Comment
	Audit      []audit.Entry
	Suppliers  []*model.Organisation // supplier organisations that can be invited
	Comment    string                // typed comment kept after an error
	Errors     map[string]string
	Typed      map[string]string // other forms' typed text kept after an error

	Publication  store.Publication
	Summaries    map[string]string // published summary per other language
	SummaryLangs []langChoice
	Findings     []store.Finding
	Requests     []store.ChangeRequest
	Tasks        []store.Task
	CanOversee   bool
	Stats        store.ComplaintStats
	Flags        []store.PurchaseFlag // red flags of the OCDS release it was imported from
	Unscreened   bool                 // past planning with no complete screening: it cannot move on

	// Panels of later stages and of the Learning Lab, each built by its
	// feature's file (supplier_dd.go, contract.go, monitoring.go,
	// knowledge.go) and shown by its partial_purchase_*.html.
	SupplierPanel   any
	ContractPanel   any
	MonitoringPanel any
	KnowledgePanel  any
	OpinionPanel    any // oversight opinions (opinion_panel.go)

	PastSunset bool // an emergency measure past its sunset date
}

func (s *Server) purchaseView(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.View)
	if err != nil {
		return err
	}
	d, err := s.purchaseData(r, p, rel)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "purchase", "purchase.title", d)
}

func (s *Server) purchaseData(r *http.Request, p *model.Purchase, rel access.Relation) (*purchaseData, error) {
	ctx := r.Context()
	u := currentUser(r)
	d := &purchaseData{
		P: p, Relation: rel.String(), Next: p.Stage.Next(),
		CanEdit:    access.Can(u, rel, access.Edit) && p.Stage.Open(),
		CanMove:    access.Can(u, rel, access.Transition) && p.Stage.Open(),
		CanComment: access.Can(u, rel, access.Comment),
		CanRecord:  access.Can(u, rel, access.ViewRecord),
		CanAssess:  access.Can(u, rel, access.Assess),
		PastSunset: lifecycle.PastSunset(p, model.DateOf(s.now())),
	}
	var err error
	if d.Flags, err = s.db.PurchaseFlags(ctx, p.ID); err != nil {
		return nil, err
	}
	if p.Stage != model.StagePlanning {
		sc, err := s.db.Screening(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		d.Unscreened = sc == nil || !sc.Result.Complete()
	}
	if d.SupplierPanel, err = s.supplierPanel(r, p, rel); err != nil {
		return nil, err
	}
	if d.ContractPanel, err = s.contractPanel(r, p, rel); err != nil {
		return nil, err
	}
	if d.MonitoringPanel, err = s.monitoringPanel(r, p, rel); err != nil {
		return nil, err
	}
	if d.KnowledgePanel, err = s.knowledgePanel(r, p, rel); err != nil {
		return nil, err
	}
	if d.OpinionPanel, err = s.opinionPanel(r, p, rel); err != nil {
		return nil, err
	}
	if !d.CanRecord {
		return d, nil
	}
	if d.History, err = s.db.StageHistory(ctx, p.ID); err != nil {
		return nil, err
	}
	if d.Comments, err = s.db.Comments(ctx, p.ID); err != nil {
		return nil, err
	}
	if d.Audit, err = s.db.AuditFor(ctx, "purchase", p.ID, 100); err != nil {
		return nil, err
	}
	d.CanOversee = canOversee(u, rel)
	if d.Publication, err = s.db.Publication(ctx, p.ID); err != nil {
		return nil, err
	}
	d.Summaries = d.Publication.Summaries
	for _, l := range s.i18n.Langs()[1:] {
		d.SummaryLangs = append(d.SummaryLangs, langChoice{Code: l, Name: s.i18n.Catalog(l).Name})
	}
	if d.Findings, err = s.db.Findings(ctx, p.ID); err != nil {
		return nil, err
	}
	if d.Requests, err = s.db.ChangeRequests(ctx, u, p.ID); err != nil {
		return nil, err
	}
	if d.Tasks, err = s.db.PurchaseTasks(ctx, p.ID); err != nil {
		return nil, err
	}
	if d.Stats, err = s.db.ComplaintStats(ctx, p.ID); err != nil {
		return nil, err
	}
	if d.CanEdit {
		if d.Suppliers, err = s.db.OrgsOfKind(ctx, model.OrgSupplier); err != nil {
			return nil, err
		}
	}
	return d, nil
}

func (s *Server) commentCreate(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.Comment)
	if err != nil {
		return err
	}
	u := currentUser(r)
	body := r.PostFormValue("body")
	if _, err := s.db.AddComment(r.Context(), store.ActorOf(u), u, p, body); err != nil {
		fe := model.FieldErrors{}
		if !mergeErrors(fe, err) {
			return err
		}
		d, derr := s.purchaseData(r, p, rel)
		if derr != nil {
			return derr
		}
		d.Comment, d.Errors = body, fe
		return s.render(w, r, http.StatusUnprocessableEntity, "purchase", "purchase.title", d)
	}
	http.Redirect(w, r, "/purchases/"+strconv.FormatInt(p.ID, 10)+"?done=commented#comments", http.StatusSeeOther)
	return nil
}

func (s *Server) supplierInvite(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.loadPurchase(r, access.Edit)
	if err != nil {
		return err
	}
	orgID, err := strconv.ParseInt(r.PostFormValue("org_id"), 10, 64)
	if err != nil {
		return model.FieldErrors{"org_id": "invalid.choice"}.Err()
	}
	if err := s.db.InviteSupplier(r.Context(), store.ActorOf(currentUser(r)), p, orgID); err != nil {
		return err
	}
	http.Redirect(w, r, "/purchases/"+strconv.FormatInt(p.ID, 10)+"?done=invited", http.StatusSeeOther)
	return nil
}
