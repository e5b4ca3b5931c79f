package web

import (
	"context"
	"time"

	"buyright/internal/contract"
	"buyright/internal/disclosure"
	"buyright/internal/lifecycle"
	"buyright/internal/model"
	"buyright/internal/monitoring"
	"buyright/internal/store"
)

// What the public entry shows of the later stages: who the contract went
// to and the safeguards it actually signed, its amendments, the next
// review, and the monitoring results (latest value of each indicator
// against its threshold, the latest disparity by group, incidents). It is
// all the body's own record, published with the entry it chose to publish.

type publicIndicator struct {
	Title     string
	Unit      string
	Threshold *float64
	Period    string
	Latest    []monitoring.Measurement
	Breached  bool
}

type publicStages struct {
	Contract   *contract.Contract
	Safeguards []reqRef // signed tender-pack items
	Dropped    int      // chosen items not in the signed contract
	Amendments []publicAmendment
	NextReview *contract.Review
	Indicators []publicIndicator
	Disparity  *monitoring.Disparity // latest period with outcome counts
	Incidents  int
	// An emergency measure: past its sunset, and each time it was
	// continued (new legal basis, new screening, new sunset).
	PastSunset    bool
	Continuations []store.Continuation
	// Terms are the kind-specific terms of a relationship that is not a
	// plain purchase (a licence's conditions, a partnership's decision
	// rights...), nil for a purchase.
	Terms []termView
}

// publicAmendment is an amendment as the register tells it: one that
// widens the contract says whether the purchase was screened again since.
type publicAmendment struct {
	contract.Amendment
	ScreenedAgain bool
}

func (s *Server) publicStages(ctx context.Context, lang string, p *model.Purchase) (*publicStages, error) {
	purchaseID := p.ID
	f, err := s.db.ContractFacts(ctx, purchaseID)
	if err != nil {
		return nil, err
	}
	d := &publicStages{Contract: f.Contract}
	set, _ := s.dd.current()
	for _, id := range f.Chosen {
		switch sg, ok := f.Safeguards[id]; {
		case ok && sg.Signed:
			d.Safeguards = append(d.Safeguards, reqRef{ID: id, Title: itemTitle(set, id, lang)})
		case ok:
			d.Dropped++
		}
	}
	ams, err := s.db.Amendments(ctx, purchaseID)
	if err != nil {
		return nil, err
	}
	for _, a := range ams {
		// Screened again only when a screening was saved after it.
		again := a.Widens() && !f.ScreenedAt.IsZero() && f.ScreenedAt.After(a.CreatedAt)
		d.Amendments = append(d.Amendments, publicAmendment{Amendment: a, ScreenedAgain: again})
	}
	if p.Emergency {
		d.PastSunset = lifecycle.PastSunset(p, model.DateOf(s.now()))
		if d.Continuations, err = s.db.Continuations(ctx, purchaseID); err != nil {
			return nil, err
		}
	}
	if d.Terms, err = s.termViews(ctx, p); err != nil {
		return nil, err
	}
	rs, err := s.db.Reviews(ctx, purchaseID)
	if err != nil {
		return nil, err
	}
	for i := range rs {
		if !rs[i].Held() {
			d.NextReview = &rs[i]
			break
		}
	}
	plan, err := s.db.Indicators(ctx, purchaseID)
	if err != nil {
		return nil, err
	}
	ms, err := s.db.Measurements(ctx, purchaseID)
	if err != nil {
		return nil, err
	}
	for _, in := range plan {
		pi := publicIndicator{Title: in.Title, Unit: in.Unit, Threshold: in.Threshold}
		for _, m := range ms {
			if m.IndicatorID == in.ID && m.Period.String() > pi.Period {
				pi.Period = m.Period.String()
			}
		}
		for _, m := range ms {
			if m.IndicatorID == in.ID && m.Period.String() == pi.Period {
				pi.Latest = append(pi.Latest, m)
				pi.Breached = pi.Breached || in.Breached(m.Value)
			}
		}
		d.Indicators = append(d.Indicators, pi)
	}
	ds, err := s.db.Disparities(ctx, purchaseID)
	if err != nil {
		return nil, err
	}
	if len(ds) > 0 && ds[0].Valid {
		d.Disparity = &ds[0]
	}
	inc, err := s.db.Incidents(ctx, purchaseID)
	if err != nil {
		return nil, err
	}
	d.Incidents = len(inc)
	return d, nil
}

// entryPage is the public entry with its later stages and the documents
// published with it (register_documents.go).
type entryPage struct {
	*store.PublicEntry
	Stages    *publicStages
	Opinions  []publicOpinion // oversight opinions and decisions to go on (opinion_panel.go)
	Documents []*disclosure.Document
	Today     model.Date
	Decisions []store.PublicDecision // oversight decisions on escalated complaints, as written for the public
}

// The same, in the per-entry register record.

type recordContract struct {
	Suppliers           []string          `json:"suppliers"`
	Reference           string            `json:"reference,omitempty"`
	ValueMinor          int64             `json:"value_minor"`
	Currency            string            `json:"currency,omitempty"`
	SignedOn            string            `json:"signed_on"`
	StartsOn            string            `json:"starts_on"`
	EndsOn              string            `json:"ends_on"`
	SafeguardsSigned    []recordSafeguard `json:"safeguards_signed"`
	SafeguardsNotSigned int               `json:"safeguards_not_signed"`
	Amendments          []recordAmendment `json:"amendments"`
	NextReview          string            `json:"next_review,omitempty"`
}

type recordSafeguard struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

type recordAmendment struct {
	Number         int    `json:"number"`
	MadeOn         string `json:"made_on"`
	Summary        string `json:"summary"`
	Reason         string `json:"reason"`
	WidensScope    bool   `json:"widens_scope"`
	WidensData     bool   `json:"widens_data_use"`
	WidensDuration bool   `json:"widens_duration"`
	// ScreenedAgain: for an amendment that widens the contract, whether
	// the purchase was screened again after it.
	ScreenedAgain *bool `json:"screened_again,omitempty"`
}

// recordContinuation is an emergency measure continued past its sunset.
type recordContinuation struct {
	DecidedAt      string `json:"decided_at"`
	OldSunset      string `json:"previous_sunset_date"`
	NewSunset      string `json:"new_sunset_date"`
	OldLegalBasis  string `json:"previous_legal_basis"`
	LegalBasis     string `json:"legal_basis"`
	Reason         string `json:"reason"`
	ScreenedAt     string `json:"screened_at"`
	ScreeningLevel int    `json:"screening_impact_level"`
}

type recordMonitoring struct {
	Indicators []recordIndicator `json:"indicators"`
	Disparity  *recordDisparity  `json:"disparity,omitempty"`
	Incidents  int               `json:"incidents"`
}

type recordIndicator struct {
	Title     string        `json:"title"`
	Unit      string        `json:"unit"`
	Threshold *float64      `json:"threshold,omitempty"`
	Period    string        `json:"latest_period,omitempty"`
	Values    []recordValue `json:"latest_values"`
	Breached  bool          `json:"beyond_threshold"`
}

type recordValue struct {
	Group string  `json:"group,omitempty"`
	Value float64 `json:"value"`
}

type recordDisparity struct {
	Period     string  `json:"period"`
	LowestRate float64 `json:"lowest_ratio_to_best_served"`
	Flagged    bool    `json:"under_four_fifths"`
}

// addStages fills the record's contract and monitoring from the stages.
func (rec *record) addStages(st *publicStages) {
	if c := st.Contract; c != nil {
		rc := &recordContract{Suppliers: c.Suppliers, Reference: c.Reference, ValueMinor: c.ValueMinor, Currency: c.Currency,
			SignedOn: c.SignedOn.String(), StartsOn: c.StartsOn.String(), EndsOn: c.EndsOn.String(),
			SafeguardsSigned: []recordSafeguard{}, SafeguardsNotSigned: st.Dropped, Amendments: []recordAmendment{}}
		for _, sg := range st.Safeguards {
			rc.SafeguardsSigned = append(rc.SafeguardsSigned, recordSafeguard{ID: sg.ID, Title: sg.Title})
		}
		for _, a := range st.Amendments {
			ra := recordAmendment{Number: a.Number, MadeOn: a.MadeOn.String(), Summary: a.Summary, Reason: a.Reason,
				WidensScope: a.WidensScope, WidensData: a.WidensData, WidensDuration: a.WidensDuration}
			if a.Widens() {
				again := a.ScreenedAgain
				ra.ScreenedAgain = &again
			}
			rc.Amendments = append(rc.Amendments, ra)
		}
		if st.NextReview != nil {
			rc.NextReview = st.NextReview.DueOn.String()
		}
		rec.Contract = rc
	}
	rec.Relationship = relationshipRecord(st.Terms)
	rec.ResponsibleUse.PastSunset = st.PastSunset
	for _, c := range st.Continuations {
		rec.ResponsibleUse.Continuations = append(rec.ResponsibleUse.Continuations, recordContinuation{
			DecidedAt: c.DecidedAt.UTC().Format(time.RFC3339), OldSunset: c.OldSunset.String(), NewSunset: c.NewSunset.String(),
			OldLegalBasis: c.OldLegalBasis, LegalBasis: c.LegalBasis, Reason: c.Reason,
			ScreenedAt: c.ScreenedAt.UTC().Format(time.RFC3339), ScreeningLevel: c.ScreeningLevel})
	}
	if len(st.Indicators) == 0 && st.Disparity == nil && st.Incidents == 0 {
		return
	}
	rm := &recordMonitoring{Indicators: []recordIndicator{}, Incidents: st.Incidents}
	for _, in := range st.Indicators {
		ri := recordIndicator{Title: in.Title, Unit: in.Unit, Threshold: in.Threshold, Period: in.Period, Values: []recordValue{}, Breached: in.Breached}
		for _, m := range in.Latest {
			ri.Values = append(ri.Values, recordValue{Group: m.Group, Value: m.Value})
		}
		rm.Indicators = append(rm.Indicators, ri)
	}
	if d := st.Disparity; d != nil {
		rm.Disparity = &recordDisparity{Period: d.Period.String(), LowestRate: d.Ratio, Flagged: d.Flagged}
	}
	rec.Monitoring = rm
}
