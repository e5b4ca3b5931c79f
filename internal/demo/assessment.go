package demo

import (
	"context"
	"fmt"

	"buyright/internal/assessment"
	"buyright/internal/catalog"
	"buyright/internal/model"
	"buyright/internal/screening"
	"buyright/internal/store"
)

// welfareTitle is the demo purchase that carries a filled-in screening and
// assessment draft, so a newcomer sees the workspace at work.
const welfareTitle = "Fraud-risk scoring for housing and income benefits"

// seedAssessment screens the welfare fraud-scoring purchase (level IV) and
// starts its assessment: scope, two engagement meetings, the legality test,
// data, misuse cases, rated impacts and mitigations with residual risk.
func seedAssessment(ctx context.Context, db *store.DB, people map[string]*model.User) error {
	ana := people["ana@portavera.example"]
	p, err := welfarePurchase(ctx, db, ana)
	if err != nil {
		return err
	}
	set, err := catalog.Load("")
	if err != nil {
		return err
	}
	q := screening.New(set)
	answers, err := q.Normalize(map[string]any{
		"digital": "yes", "goods": "no", "staff_services": "no", "essential_service": "yes", "access_gate": "no",
		"personal_data": "yes", "data_categories": []any{"financial", "special"},
		"people_count": 40000.0, "vulnerable_groups": []any{"low_income", "disability"}, "vulnerable_reached": "yes", "automation": "decides_alone",
		"decision_effects": []any{"fraud_selection", "suspension"}, "reversibility": "hard", "profiling": "yes",
		"ai_system": "yes", "public_deployer": "yes", "annex_iii": []any{"public_benefits"}, "biometric_use": "none",
		"prohibited_practices": []any{"none"}, "monitoring_public": "no", "monitoring_individuals": "no", "legal_basis": "general",
		"data_sharing": []any{"pooled", "vendor_access"}, "partnership": "no", "procurement_route": "open",
		"emergency": "no", "hardware": "no",
	})
	if err != nil {
		return fmt.Errorf("demo screening: %w", err)
	}
	res := q.Score(answers)
	if err := db.SaveScreening(ctx, store.ActorOf(ana), p, answers, res); err != nil {
		return err
	}
	_, err = db.EditAssessment(ctx, store.ActorOf(ana), p, "demo", set.Hash(), func(d *assessment.Doc) error {
		d.Scope = assessment.Scope{
			Context:          "A model would score applications for housing benefit and the municipal income supplement so that staff check the riskiest first. The supplier proposes automatic suspension of payment above a threshold.",
			Rights:           []string{"R-SOCSEC", "R-PRIV", "R-EQ", "R-REMEDY"},
			AffectedGroups:   "About 40,000 applicant households a year and the benefit staff who handle their files.",
			VulnerableGroups: "Single parents, people with disabilities, older people living alone, migrants with limited Portuguese, households in debt or at risk of eviction.",
			Technology:       "A statistical risk-scoring model trained on five years of past checks, run by the supplier as a hosted service.",
			DataInvolved:     "Application data, income and tax records, housing records, past overpayments; disability status where declared.",
		}
		d.Engagements = []assessment.Engagement{
			{ID: d.NewID(), Who: "Claimants' Rights Association", How: "Meeting at the association's office, 12 members", When: "2026-09-14",
				Raised: "Fear that a score will stop payments to families with no savings; past checks targeted certain neighbourhoods.",
				Answer: "Automatic suspension taken off the table; the model will only order the queue of checks. Neighbourhood will not be an input.", Attachments: "minutes-2026-09-14.pdf"},
			{ID: d.NewID(), Who: "Portavera Disability Forum", How: "Meeting in an accessible venue, with sign-language interpretation", When: "2026-10-02",
				Raised: "Irregular income from care allowances looks like fraud to such models; letters are hard to read.",
				Answer: "Care allowances excluded from income-volatility features; easy-read letters and a phone line before any check.", Attachments: "minutes-2026-10-02.pdf"},
		}
		d.Legality = assessment.Legality{
			Legality:        "Municipal Social Assistance Regulation, art. 14, allows verification of eligibility; whether it allows profiling across other registers is not settled and is being checked with the legal service.",
			LegitimateAim:   "Paying benefits correctly and finding overpayments early, before debts build up for households.",
			Necessity:       "Manual checks find overpayments months late; a queue ordered by risk would find them sooner without checking more people.",
			Proportionality: "Only the order of checks changes; no payment is stopped or reduced without a caseworker's decision and a notice with reasons.",
			Alternatives:    "Better data matching at application time; more staff for checks; a simpler rules-based queue.",
		}
		d.Data = assessment.DataPractice{
			Categories:   "Identity, household composition, income, housing; disability status only where the applicant declared it.",
			Minimisation: "No nationality, neighbourhood or health details beyond a declared disability.",
			Retention:    "Scores kept 12 months, then deleted; training data pseudonymised.",
			Sharing:      "The supplier processes data only on the council's instructions and may not reuse it.",
			Firewalling:  "Scores may not be shared with the police, tax or migration authorities.",
			Withdrawal:   "Applicants may ask for a check without the score; the request is logged.",
			Portability:  "Applicants can obtain their data and score with its main reasons on request.",
		}
		d.Misuses = []assessment.Misuse{{ID: d.NewID(), How: "Scores used to target checks on particular groups or neighbourhoods.", Who: "Managers under pressure to meet recovery targets."}}
		im1, im2 := d.NewID(), d.NewID()
		d.Impacts = []assessment.Impact{
			{ID: im1, Right: "R-SOCSEC", Group: "Households relying on benefits with no savings", Description: "Payments delayed or stopped by a wrong high score, leading to debt or eviction.",
				Scale: 4, Scope: 3, Irremediability: 3, Likelihood: 3, ResidualSeverity: 3, ResidualLikelihood: 1},
			{ID: im2, Right: "R-EQ", Group: "Claimants with disabilities", Description: "Irregular income from care allowances scored as a fraud signal.",
				Scale: 3, Scope: 2, Irremediability: 2, Likelihood: 3, ResidualSeverity: 2, ResidualLikelihood: 2},
		}
		d.Mitigations = []assessment.Mitigation{
			{ID: d.NewID(), ImpactID: im1, Action: "No automatic suspension: every decision on a payment is taken by a caseworker, with a notice giving reasons.", Owner: "Head of benefits", Due: "2027-01-31", Status: "planned", Basis: "ADM-HUMAN-DECISION"},
			{ID: d.NewID(), ImpactID: im2, Action: "Test error rates by group before use and every quarter; exclude care allowances from volatility features.", Owner: "Data protection officer", Due: "2027-02-28", Status: "planned", Basis: "GDPR-22-SAFEGUARDS"},
		}
		d.PublicSummary = "The council plans software that puts benefit applications in order for checking, so that mistakes are found sooner. It will not stop or cut anyone's payment: a person decides, and you will get a letter with reasons. We met claimants' and disability organisations and changed the plan after hearing them."
		return d.Validate(func(id string) bool {
			it, ok := set.Item(id)
			return ok && it.Kind == "right"
		}, func(id string) bool { _, ok := set.Item(id); return ok }, model.DateOf(db.Now()))
	})
	return err
}

// welfarePurchase finds the demo's welfare fraud-scoring purchase, the one
// the demo carries through screening, assessment and tender.
func welfarePurchase(ctx context.Context, db *store.DB, u *model.User) (*model.Purchase, error) {
	list, err := db.Purchases(ctx, u, store.PurchaseFilter{Query: welfareTitle})
	if err != nil {
		return nil, err
	}
	for _, x := range list.Items {
		if x.Title == welfareTitle {
			return x, nil
		}
	}
	return nil, fmt.Errorf("demo: purchase %q not found", welfareTitle)
}
