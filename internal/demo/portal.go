package demo

import (
	"buyright/internal/assessment"
	"buyright/internal/model"
)

var portalAnswers = map[string]any{
	"digital": "yes", "hardware": "no", "goods": "no", "staff_services": "no", "essential_service": "yes", "access_gate": "yes",
	"offline_alternative": "no", "personal_data": "yes", "data_categories": []any{"financial"}, "people_count": 8000.0,
	"vulnerable_groups": []any{"low_income", "older"}, "vulnerable_reached": "yes", "automation": "none", "profiling": "no",
	"ai_system": "no", "biometric_use": "none", "monitoring_public": "no", "monitoring_individuals": "no", "legal_basis": "specific",
	"data_sharing": []any{"vendor_access"}, "partnership": "no", "procurement_route": "open", "emergency": "no",
}

// portalAssessment is the housing portal's assessment, signed off in
// planning after a meeting with older people's and tenants' groups.
func portalAssessment(e *env, p *model.Purchase) error {
	today := model.DateOf(e.db.Now())
	err := e.assess(p, "ana@portavera.example", func(d *assessment.Doc) {
		d.Scope = assessment.Scope{
			Context:          "A web portal for housing-benefit applications; staff still decide every application. The council plans to close the paper route once the portal works.",
			Rights:           []string{"R-SOCSEC", "R-ASL", "R-PUBSERV"},
			AffectedGroups:   "About 8,000 households applying each year, and the benefit staff.",
			VulnerableGroups: "Older people, people on low incomes without a computer, people with disabilities, people with limited Portuguese.",
			Technology:       "A hosted web portal with document upload and status tracking.",
			DataInvolved:     "Identity, household, income and rent details, and uploaded documents.",
		}
		d.Engagements = []assessment.Engagement{{ID: d.NewID(), Status: assessment.Held, Who: "Older people's association and the tenants' union", How: "Workshop at the council's service centre",
			When: today.AddDays(-40).String(), Raised: "Closing the paper route would shut out people without a computer or who need help to apply.",
			Answer: "The paper route and assisted applications at the service centre stay until a review shows no one is shut out."}}
		d.Legality = assessment.Legality{Legality: "Municipal Social Assistance Regulation, art. 9.", LegitimateAim: "Faster decisions and fewer lost documents.",
			Necessity: "Retyping paper applications delays decisions by weeks.", Proportionality: "No automated decisions; data as on the paper form.",
			Alternatives: "A better paper process with scanning at the counter."}
		im := d.NewID()
		d.Impacts = []assessment.Impact{{ID: im, Right: "R-PUBSERV", Group: "Applicants without a computer or digital skills", Description: "Unable to apply if the paper route closes.",
			Scale: 3, Scope: 2, Irremediability: 3, Likelihood: 3, ResidualSeverity: 2, ResidualLikelihood: 1}}
		d.Mitigations = []assessment.Mitigation{{ID: d.NewID(), ImpactID: im, Action: "Keep paper applications and assisted applications at the service centre; review after a year.",
			Owner: "Head of benefits", Due: today.AddDays(365).String(), Status: "planned", Basis: "PT-02-b"}}
		d.Elements = map[string]string{
			"GDPR-35-7-a": "Applications with identity, household, income and rent details and uploaded documents of about 8,000 households a year, hosted by the supplier for the benefits unit.",
			"GDPR-35-7-b": "The portal collects exactly what the paper form asks; documents are kept only until the decision and the appeal period end.",
			"GDPR-35-7-c": "Exclusion of people who cannot use the portal; a breach exposing income and household details; documents kept longer than needed.",
			"GDPR-35-7-d": "Paper and assisted routes stay; processor terms under Article 28; encryption and role-based access; deletion after the appeal period.",
			"GDPR-35-2":   "The data protection officer advised deleting documents after the appeal period and keeping the paper route; both were taken up.",
		}
		d.PublicSummary = "You will be able to apply for housing benefit online and follow your application. Paper forms and help at the service centre stay."
	})
	if err != nil {
		return err
	}
	if err := e.vouchNow(p, portalEvidence, "ana@portavera.example", "rui@portavera.example"); err != nil {
		return err
	}
	return e.signOff(p, "rui@portavera.example", today.AddDays(400).String(), nil)
}
