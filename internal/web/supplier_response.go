package web

import (
	"fmt"
	"net/http"
	"strings"

	"buyright/internal/access"
	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/tender"
)

// What an invited supplier does before answering the questionnaire: it
// takes part or declines (with a reason the body reads), keeps a draft of
// its answers, and reads the tender pack as bidders see it.

// invitationRespond records the supplier's answer to the invitation. A
// refused answer shows the supplier's page again with what was typed.
func (s *Server) invitationRespond(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.AnswerDD)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return model.Errorf(model.EInvalid, "error.invalid", "the form could not be read")
	}
	u := currentUser(r)
	response, reason := r.PostFormValue("response"), r.PostFormValue("reason")
	err = s.db.RespondToInvitation(r.Context(), store.ActorOf(u), p, u.OrgID, response, reason)
	if fe := fieldErrs(err); fe != nil {
		d, err := s.ddSupplierState(r, p, u, rel)
		if err != nil {
			return err
		}
		d.InvErrors, d.InvResponse, d.InvReason = model.FieldErrors{}, response, reason
		for k, v := range fe {
			d.InvErrors["inv_"+k] = v
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "due_diligence", "supplierdd.title", d)
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/purchases/%d/due-diligence?done=saved#invitation", p.ID), http.StatusSeeOther)
	return nil
}

// invitationOf finds the supplier's own invitation among a purchase's.
func invitationOf(inv []store.InvitedSupplier, orgID int64) *store.InvitedSupplier {
	for i := range inv {
		if inv[i].OrgID == orgID {
			return &inv[i]
		}
	}
	return nil
}

// bidderData is the tender pack as bidders read it: the items the body
// put in the pack, with their final text and weight, and nothing of how
// it was decided.
type bidderData struct {
	P         *model.Purchase
	Supplier  bool // the reader is an invited supplier
	Published bool // the purchase has left tender design
	Parts     []tenderPart
	WeightSum int
}

// tenderPublished reports whether bidders may read the pack: once the
// purchase has left tender design, the pack is what was tendered.
func tenderPublished(p *model.Purchase) bool {
	return p.Stage.Index() > model.StageTenderDesign.Index()
}

// tenderBidders shows an invited supplier (and the body, as a preview)
// the tender pack's accepted and edited items. Reasons, dropped items,
// who decided, coverage and the assessment behind them stay with the body.
func (s *Server) tenderBidders(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.View)
	if err != nil {
		return err
	}
	supplier := rel == access.Supplier
	if !supplier && !access.Can(currentUser(r), rel, access.ViewRecord) {
		return model.Forbidden()
	}
	d := &bidderData{P: p, Supplier: supplier, Published: tenderPublished(p)}
	if d.Published || !supplier {
		st, err := s.tenderState(r, p, rel)
		if err != nil {
			return err
		}
		st.chosenOnly()
		for _, part := range st.Parts {
			bp := tenderPart{Part: part.Part}
			for _, ti := range part.Items {
				// A copy holding only what bidders read.
				bp.Items = append(bp.Items, &tenderItem{ID: ti.ID, Part: ti.Part, Title: ti.Title, Final: strings.TrimSpace(ti.Final),
					Refs: ti.Refs, Weight: ti.Weight, Status: tender.Accepted})
			}
			d.Parts = append(d.Parts, bp)
		}
		d.WeightSum = st.WeightSum
	}
	return s.render(w, r, http.StatusOK, "tender_bidders", "bidders.title", d)
}
