package demo

import (
	"buyright/internal/assessment"
	"buyright/internal/contract"
	"buyright/internal/model"
)

var schoolAnswers = map[string]any{
	"digital": "yes", "hardware": "no", "goods": "no", "staff_services": "no", "essential_service": "yes", "access_gate": "yes",
	"offline_alternative": "yes", "personal_data": "yes", "data_categories": []any{"children", "contact_only"}, "people_count": 9700.0,
	"vulnerable_groups": []any{"children", "low_income", "disability"}, "vulnerable_reached": "yes", "automation": "none", "profiling": "no",
	"ai_system": "no", "biometric_use": "none", "monitoring_public": "no", "monitoring_individuals": "no", "legal_basis": "specific",
	"data_sharing": []any{"vendor_access"}, "partnership": "no", "procurement_route": "open", "emergency": "no",
}

// schoolAssessment is the learning platform's assessment, signed off in
// planning after a meeting with the parents' council.
func schoolAssessment(e *env, p *model.Purchase) error {
	today := model.DateOf(e.db.Now())
	err := e.assess(p, "ana@portavera.example", func(d *assessment.Doc) {
		d.Scope = assessment.Scope{
			Context:          "One hosted platform for homework, messages and learning materials in the city's 14 primary schools; no automated grading.",
			Rights:           []string{"R-EDU", "R-PRIV", "R-CHILD"},
			AffectedGroups:   "About 9,000 pupils aged 6 to 10, their parents or guardians, and 700 teachers.",
			VulnerableGroups: "Children; families without a computer or stable internet; pupils with special educational needs.",
			Technology:       "A hosted learning platform run by the supplier, reached by browser and a phone app.",
			DataInvolved:     "Pupils' names, classes, homework and messages; parents' contact details.",
		}
		d.Engagements = []assessment.Engagement{{ID: d.NewID(), Status: assessment.Held, Who: "Schools' parents' council", How: "Evening meeting at a school, with childcare",
			When: today.AddDays(-420).String(), Raised: "Families without a computer would fall behind; no advertising or tracking of children.",
			Answer: "Paper homework remains; schools lend devices; the contract forbids advertising and profiling of pupils."}}
		d.Legality = assessment.Legality{Legality: "Education Act, municipal duties for primary schools; GDPR art. 6(1)(e) and art. 8.",
			LegitimateAim: "Giving every pupil and family the same way to reach homework and teachers.", Necessity: "Schools use a dozen free tools that collect children's data for advertising.",
			Proportionality: "Only what schools need is collected; no grading, no profiling.", Alternatives: "Paper homework and school noticeboards, which stay for families who need them."}
		im := d.NewID()
		d.Impacts = []assessment.Impact{{ID: im, Right: "R-EDU", Group: "Pupils without a computer at home", Description: "Falling behind if homework moves online only.",
			Scale: 2, Scope: 2, Irremediability: 2, Likelihood: 2, ResidualSeverity: 2, ResidualLikelihood: 1}}
		d.Mitigations = []assessment.Mitigation{{ID: d.NewID(), ImpactID: im, Action: "Paper homework stays; each school lends devices and keeps its computer room open after class.",
			Owner: "Head of education", Due: today.AddDays(-300).String(), Status: "done", Basis: "PT-02-b"}}
		d.PublicSummary = "The city's primary schools will share one platform for homework and messages. It does not grade children, shows no advertising, and families without a computer can keep using paper or borrow a school device."
	})
	if err != nil {
		return err
	}
	if err := e.vouchNow(p, schoolEvidence, "ana@portavera.example", "rui@portavera.example"); err != nil {
		return err
	}
	return e.signOff(p, "rui@portavera.example", today.AddDays(45).String(), nil)
}

// schoolContract records the platform's contract with every chosen item
// signed as a safeguard, and its exit plan.
func schoolContract(e *env, p *model.Purchase) error {
	d := model.DateOf(e.db.Now()).AddDays
	if err := signSafeguards(e, p, "ana@portavera.example", &contract.Contract{
		Reference: "PV-EDU-2025-014", Suppliers: []string{"Escola Digital SA"}, ValueMinor: 31000000, Currency: "EUR",
		SignedOn: d(-310), StartsOn: d(-300), EndsOn: d(800)}); err != nil {
		return err
	}
	return saveExit(e, p, "ana@portavera.example", "Pupils' work and messages are exported to the schools as files each family can download.",
		"The supplier deletes all pupils' data within 30 days of the end and certifies it.", "The schools keep paper homework and may move to another platform with the exported files.")
}

// laptopAssessment is the laptops' assessment: the people at risk are the
// workers who make them; signed off in planning after a meeting with an
// organisation that defends them.
func laptopAssessment(e *env, p *model.Purchase) error {
	today := model.DateOf(e.db.Now())
	err := e.assess(p, "ana@portavera.example", func(d *assessment.Doc) {
		d.Scope = assessment.Scope{
			Context:          "3,000 laptops for teachers and pupils, with a five-year repair guarantee; the electronics supply chain has documented forced labour and unsafe work.",
			Rights:           []string{"R-WORK", "R-DIGNITY"},
			AffectedGroups:   "Workers in component and assembly factories; teachers and pupils who use the laptops.",
			VulnerableGroups: "Migrant and student workers in assembly factories.",
			Technology:       "Laptops and their spare parts; no software or data service.",
		}
		d.Engagements = []assessment.Engagement{{ID: d.NewID(), Status: assessment.Held, Who: "Electronics workers' rights organisation", How: "Online meeting with interpretation",
			When: today.AddDays(-30).String(), Raised: "Brand audits miss labour agencies that charge recruitment fees; ask for the factory list and for remedy, not only for certificates.",
			Answer: "The tender will ask for factory lists, independent monitoring and a remedy plan, and the contract will allow the council to join a monitoring organisation."}}
		d.Legality = assessment.Legality{Legality: "Public Procurement Code; sustainable procurement policy.", LegitimateAim: "Safe, up-to-date devices for teaching.",
			Necessity: "The old laptops no longer receive security updates.", Proportionality: "Longer guarantees and repair reduce the number of devices bought.",
			Alternatives: "Refurbished devices, which the tender allows as a variant."}
		im := d.NewID()
		d.Impacts = []assessment.Impact{{ID: im, Right: "R-WORK", Group: "Migrant workers in assembly factories", Description: "Forced labour through recruitment debt and withheld documents.",
			Scale: 4, Scope: 3, Irremediability: 3, Likelihood: 2, ResidualSeverity: 3, ResidualLikelihood: 1}}
		d.Mitigations = []assessment.Mitigation{{ID: d.NewID(), ImpactID: im, Action: "Require the factory list, independent monitoring and a remedy plan that repays recruitment fees.",
			Owner: "Procurement unit", Due: today.AddDays(20).String(), Status: "planned", Basis: "CORE-SUPPLY-CHAIN"}}
		d.PublicSummary = "The city will buy 3,000 laptops for its schools and ask the makers to show how they prevent forced labour in the factories."
	})
	if err != nil {
		return err
	}
	if err := e.vouchNow(p, laptopEvidence, "ana@portavera.example", "rui@portavera.example"); err != nil {
		return err
	}
	return e.signOff(p, "rui@portavera.example", today.AddDays(365).String(), nil)
}
