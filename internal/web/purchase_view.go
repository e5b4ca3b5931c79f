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
	// Every read of the page is queued first and sent together: on
	// PostgreSQL one round trip instead of two dozen (store.Batch).
	b := s.db.NewBatch()
	b.PurchaseFlags(p.ID, &d.Flags)
	var sc *store.Screening
	b.Screening(p.ID, &sc)
	panels := []struct {
		into  *any
		build panelBuild
	}{
		{&d.SupplierPanel, s.supplierPanel(r, p, rel, b)},
		{&d.ContractPanel, s.contractPanel(r, p, rel, b, &sc)},
		{&d.MonitoringPanel, s.monitoringPanel(r, p, rel, b)},
		{&d.KnowledgePanel, s.knowledgePanel(r, p, rel, b)},
		{&d.OpinionPanel, s.opinionPanel(r, p, rel, b)},
	}
	if d.CanRecord {
		b.StageHistory(p.ID, &d.History)
		b.Comments(p.ID, &d.Comments)
		b.AuditFor("purchase", p.ID, 100, &d.Audit)
		b.Publication(p.ID, &d.Publication)
		b.Findings(p.ID, &d.Findings)
		b.ChangeRequests(u, p.ID, &d.Requests)
		b.PurchaseTasks(p.ID, &d.Tasks)
		b.ComplaintStats(p.ID, &d.Stats)
		if d.CanEdit {
			b.OrgsOfKind(model.OrgSupplier, &d.Suppliers)
		}
	}
	if err := b.Run(ctx); err != nil {
		return nil, err
	}
	d.Unscreened = p.Stage != model.StagePlanning && (sc == nil || !sc.Result.Complete())
	for _, pn := range panels {
		v, err := pn.build()
		if err != nil {
			return nil, err
		}
		*pn.into = v
	}
	if d.CanRecord {
		d.CanOversee = canOversee(u, rel)
		d.Summaries = d.Publication.Summaries
		for _, l := range s.i18n.Langs()[1:] {
			d.SummaryLangs = append(d.SummaryLangs, langChoice{Code: l, Name: s.i18n.Catalog(l).Name})
		}
	}
	return d, nil
}

// A panelBuild makes one panel of the purchase page from the reads its
// feature queued in the page's batch, once the batch has run; nil means
// the panel is not shown.
type panelBuild func() (any, error)

func noPanel() (any, error) { return nil, nil }

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
