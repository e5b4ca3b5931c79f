package demo

// What the demo's officers vouched for, requirement by requirement, where
// buyright does not check a requirement itself. A link points at the part
// of the purchase's own record that holds the content (the assessment's
// scope, legality test, alternatives, impacts and mitigations, or the
// purchase's need and legal basis); a statement says what was done.

// assessed is the evidence every purchase with a written assessment can
// point to in it.
var assessed = map[string]string{
	"CORE-NEED":         "/assessment",
	"CORE-RIGHTS-MAP":   "/assessment",
	"T-LEGALITY":        "/assessment",
	"T-NECESSITY":       "/assessment",
	"T-PROPORTIONALITY": "/assessment",
	"PT-03-a":           "/assessment",
	"PT-03-c":           "/assessment",
	"PT-05-b":           "/",
	"PT-06-a":           "/assessment",
}

// without returns the evidence less some requirements.
func without(base map[string]string, ids ...string) map[string]string {
	out := with(base, nil)
	for _, id := range ids {
		delete(out, id)
	}
	return out
}

// with returns the shared evidence with more laid over it.
func with(base map[string]string, more map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range more {
		out[k] = v
	}
	return out
}

// The welfare purchase's legality is honestly open (the legal service has
// not yet said whether profiling across registers is allowed), so it has no
// evidence for T-LEGALITY: its sign-off records an exception and the gate
// out of planning an override, both with the reason.
var welfareEvidence = with(without(assessed, "T-LEGALITY"), map[string]string{
	"PT-01-c":        "The disability forum met in an accessible venue with sign-language interpretation; the claimants' association met on its own premises in the evening.",
	"AIA-26-9":       "The supplier's technical documentation (its model description and bias-testing report) was read for the DPIA's risk element and is attached to the assessment file.",
	"CORE-MARKET-HR": "The prior information notice asked bidders about explainability, logging, data access, accessibility and their own due diligence; the answers are summarised in the market report.",
})

var portalEvidence = with(assessed, map[string]string{
	"PT-01-c":        "The workshop was held at the step-free service centre, with forms read aloud and a Portuguese-English interpreter for those who asked.",
	"CORE-MARKET-HR": "The market consultation asked suppliers about accessibility testing, assisted-digital support, data access and their own due diligence; six suppliers answered in writing.",
})

var schoolEvidence = with(assessed, map[string]string{
	"PT-02-a":        "Families use the platform free of charge on any browser; schools lend devices to families who need them.",
	"PT-02-b":        "The specification keeps paper homework and school noticeboards for families who cannot use the platform.",
	"PT-05-a":        "The data map in the assessment lists each item (pupil name, class, homework, messages, parents' contacts) with its purpose; date of birth and photos were removed.",
	"PT-05-d":        "The specification requires export of each pupil's work and messages in open formats on request and at the end of the contract.",
	"PT-05-e":        "The specification requires encryption in transit and at rest, role-based access and a yearly penetration test; a DPIA is not required at this level and none was done.",
	"T-FIREWALL":     "The contract forbids any use of pupils' data for advertising, profiling or any purpose other than the schools' own, and any transfer to other public bodies.",
	"PI-ACC-DATA":    "The contract makes the city the controller; the supplier processes data only on its written instructions.",
	"PT-07-a":        "The monitoring plan sets indicators for availability, accessibility failures and complaints answered on time.",
	"PT-02-d":        "An accessibility audit against EN 301 549 was run before go-live and is repeated every year.",
	"PT-04-c":        "The head of education signed off that the design process followed the plan before the platform went live.",
	"PT-05-c":        "Class lists are synchronised each night from the schools' register; parents can correct their contact details.",
	"PT-07-b":        "A quarterly review with the parents' council, and an escalation route to the head of education.",
	"PT-08-a":        "Every teacher had two hours of training; school coordinators have a written role description.",
	"PT-08-b":        "A leaflet in four languages tells families what data is kept and how to complain.",
	"PT-08-c":        "The education department is named on the platform's home page as responsible.",
	"PT-09-a":        "The platform's home page publishes the families' rights, the cost (none) and the complaint route.",
	"PT-09-b":        "The leaflet and pages are in plain language and an easy-read version.",
	"PT-09-c":        "The same information is on paper at every school and read out at the first parents' evening.",
	"PT-03-b":        "The assessment has a yearly review date, and is reviewed after any serious incident.",
	"CORE-GRIEVANCE": "Complaints go to the city's complaints channel, with published time limits and an escalation route to the ombud.",
})

var laptopEvidence = with(assessed, map[string]string{
	"PT-01-c":        "The meeting with the electronics workers' rights organisation was held online with interpretation for its partner in the assembly region.",
	"CORE-MARKET-HR": "The market consultation asked manufacturers for their factory lists, audit reports and how they remedy forced-labour findings; four answered.",
})
