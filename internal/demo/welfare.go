package demo

import (
	"fmt"

	"buyright/internal/assessment"
	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/tender"
)

// welfareTitle is the level IV purchase the demo carries furthest through
// its assessment: screened, assessed with the people affected, version 1
// signed off, version 2 being revised, a tender pack being drafted.
const welfareTitle = "Fraud-risk scoring for housing and income benefits"

var welfareAnswers = map[string]any{
	"digital": "yes", "hardware": "no", "goods": "no", "staff_services": "no", "essential_service": "yes", "access_gate": "no",
	"personal_data": "yes", "data_categories": []any{"financial", "special"},
	"people_count": 40000.0, "vulnerable_groups": []any{"low_income", "disability"}, "vulnerable_reached": "yes", "automation": "decides_alone",
	"decision_effects": []any{"fraud_selection", "suspension"}, "reversibility": "hard", "profiling": "yes",
	"ai_system": "yes", "public_deployer": "yes", "annex_iii": []any{"public_benefits"}, "biometric_use": "none",
	"prohibited_practices": []any{"none"}, "monitoring_public": "no", "monitoring_individuals": "no", "legal_basis": "general",
	"data_sharing": []any{"pooled", "vendor_access"}, "partnership": "no", "procurement_route": "open", "emergency": "no",
}

// welfareAssessment is version 1 of the assessment, written in planning
// with two meetings held, its DPIA and FRIA sections, and signed off by the
// approver before the purchase moved on.
func welfareAssessment(e *env, p *model.Purchase) error {
	today := model.DateOf(e.db.Now())
	err := e.assess(p, "ana@portavera.example", func(d *assessment.Doc) {
		d.Scope = assessment.Scope{
			Context:          "A model would score applications for housing benefit and the municipal income supplement so that staff check the riskiest first. The supplier proposes automatic suspension of payment above a threshold.",
			Rights:           []string{"R-SOCSEC", "R-PRIV", "R-EQ", "R-REMEDY"},
			AffectedGroups:   "About 40,000 applicant households a year and the benefit staff who handle their files.",
			VulnerableGroups: "Single parents, people with disabilities, older people living alone, migrants with limited Portuguese, households in debt or at risk of eviction.",
			Technology:       "A statistical risk-scoring model trained on five years of past checks, run by the supplier as a hosted service.",
			DataInvolved:     "Application data, income and tax records, housing records, past overpayments; disability status where declared.",
		}
		d.Engagements = []assessment.Engagement{
			{ID: d.NewID(), Status: assessment.Held, Who: "Claimants' Rights Association", How: "Meeting at the association's office, 12 members", When: today.AddDays(-80).String(),
				Raised: "Fear that a score will stop payments to families with no savings; past checks targeted certain neighbourhoods.",
				Answer: "Automatic suspension taken off the table; the model will only order the queue of checks. Neighbourhood will not be an input.", Attachments: "minutes of the meeting"},
			{ID: d.NewID(), Status: assessment.Held, Who: "Portavera Disability Forum", How: "Meeting in an accessible venue, with sign-language interpretation", When: today.AddDays(-62).String(),
				Raised: "Irregular income from care allowances looks like fraud to such models; letters are hard to read.",
				Answer: "Care allowances excluded from income-volatility features; easy-read letters and a phone line before any check.", Attachments: "minutes of the meeting"},
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
			{ID: d.NewID(), ImpactID: im1, Action: "No automatic suspension: every decision on a payment is taken by a caseworker, with a notice giving reasons.", Owner: "Head of benefits", Due: today.AddDays(60).String(), Status: "planned", Basis: "ADM-HUMAN-DECISION"},
			{ID: d.NewID(), ImpactID: im2, Action: "Test error rates by group before use and every quarter; exclude care allowances from volatility features.", Owner: "Data protection officer", Due: today.AddDays(90).String(), Status: "planned", Basis: "GDPR-22-SAFEGUARDS"},
		}
		d.Elements = map[string]string{
			"GDPR-35-7-a": "Applications, income, tax and housing records of about 40,000 households a year are combined by the supplier's hosted model to give each application a risk score, used only to order the queue of checks.",
			"GDPR-35-7-b": "The score changes only the order of checks; no new data is collected; neighbourhood, nationality and health beyond a declared disability are left out; scores are deleted after 12 months.",
			"GDPR-35-7-c": "Wrong high scores could delay payments to households without savings; indirect discrimination against claimants with irregular income from care allowances; function creep if scores reached other authorities.",
			"GDPR-35-7-d": "A caseworker decides every payment with a notice giving reasons; error rates tested by group before use and every quarter; processor terms under Article 28; scores kept from the police, tax and migration authorities.",
			"GDPR-35-2":   "The data protection officer advised leaving out neighbourhood and nationality, limiting retention to 12 months and testing error rates by group; all three were taken up.",
			"AIA-27-1-a":  "The benefits unit's verification of eligibility: the score orders the queue of applications for caseworkers' checks.",
			"AIA-27-1-b":  "Every new application, continuously, for the four years of the contract, reviewed yearly.",
			"AIA-27-1-c":  "Applicants for housing benefit and the income supplement, above all households without savings, claimants with disabilities and migrants with limited Portuguese.",
			"AIA-27-1-d":  "Delayed or lost payments from wrong scores; discrimination through income patterns; opacity for applicants who cannot see why they were checked.",
			"AIA-27-1-e":  "Caseworkers trained on the model's limits decide every check's outcome; a team lead reviews a sample of decisions each month.",
			"AIA-27-1-f":  "Payments are restored at once if a check was wrongly started; complaints go to the municipal channel and the supplier must help answer them; the model is switched off if error rates by group breach the threshold.",
		}
		d.PublicSummary = "The council plans software that puts benefit applications in order for checking, so that mistakes are found sooner. It will not stop or cut anyone's payment: a person decides, and you will get a letter with reasons. We met claimants' and disability organisations and changed the plan after hearing them."
	})
	if err != nil {
		return err
	}
	if err := e.vouchNow(p, welfareEvidence, "ana@portavera.example", "rui@portavera.example"); err != nil {
		return err
	}
	return e.signOff(p, "rui@portavera.example", today.AddDays(300).String(), map[string]string{
		"T-LEGALITY": "The legal service's opinion on profiling across registers is due before the tender is designed; the assessment records the question as open.",
	})
}

// welfareLater is the market-engagement stage so far: version 2 of the
// assessment opened to plan a third meeting, and the tender pack started.
func welfareLater(e *env, p *model.Purchase) error {
	today := model.DateOf(e.db.Now())
	if err := e.assess(p, "ana@portavera.example", func(d *assessment.Doc) {
		d.Engagements = append(d.Engagements, assessment.Engagement{ID: d.NewID(), Status: assessment.Planned,
			Who: "Migrants' support network", How: "Meeting with interpretation into Arabic, Ukrainian and Nepali", When: today.AddDays(21).String()})
	}); err != nil {
		return err
	}
	choices := []tender.Choice{
		{ItemID: "AWD-COST", Decision: tender.Accepted, Weight: 40},
		{ItemID: "AWD-EXPLAIN", Decision: tender.Accepted, Weight: 15},
		{ItemID: "AWD-OVERSIGHT", Decision: tender.Accepted, Weight: 15},
		{ItemID: "SPEC-OVERSIGHT", Decision: tender.Accepted},
		{ItemID: "SPEC-EXPLANATION", Decision: tender.Accepted},
		{ItemID: "SPEC-TESTING", Decision: tender.Accepted},
		{ItemID: "CL-HUMAN-DECISION", Decision: tender.Accepted},
		{ItemID: "CL-PROCESSOR-INSTRUCTIONS", Decision: tender.Accepted},
		{ItemID: "CL-SUSPENSION", Decision: tender.Accepted},
		{ItemID: "CL-AUDIT", Decision: tender.Edited,
			EditedText: "The supplier gives the municipality, or an independent auditor it appoints, the information needed to show it keeps this contract, and allows one scheduled audit a year plus an audit after any serious incident or data breach, including of the barriers that keep benefit data to its purpose. The supplier bears the cost of an audit that finds a serious breach.",
			Reason:     "Limit routine audits to one a year, as the supplier asked in the market consultation, while keeping audits after incidents."},
		{ItemID: "SEL-GRIEVANCE", Decision: tender.Rejected,
			Reason: "The supplier's own grievance channel would duplicate the municipal complaints channel; the remedy clause makes the supplier answer it instead."},
	}
	ana := e.people["ana@portavera.example"]
	for _, c := range choices {
		if _, ok := e.set.Item(c.ItemID); !ok {
			return fmt.Errorf("demo tender: no catalogue item %s", c.ItemID)
		}
		c.CatalogHash = e.set.Hash()
		if err := e.db.DecideTender(e.ctx, store.ActorOf(ana), p, c); err != nil {
			return fmt.Errorf("demo tender %s: %w", c.ItemID, err)
		}
	}
	return nil
}
