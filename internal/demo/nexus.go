package demo

import (
	"context"
	"fmt"

	"buyright/internal/auth"
	"buyright/internal/firewall"
	"buyright/internal/model"
	"buyright/internal/relationship"
	"buyright/internal/staterequest"
	"buyright/internal/store"
)

// The State-business nexus beyond a purchase (journey 9): a telecom
// operator holds a licence from the communications authority; the police
// and the health data agency make requests of it; both sides record them
// and both publish their transparency reports for the last half-year. The
// contact-tracing app gets its data firewall and an incident where it
// failed, which opens a task the national human rights institution sees.

var nexusOrgs = []orgSpec{
	{"lusonet", "Lusonet Telecom SA", model.OrgSupplier, "PT"},
	{"comms-authority", "National Communications Authority", model.OrgPublicBody, "PT"},
	{"police", "Public Security Police", model.OrgPublicBody, "PT"},
}

var nexusUsers = []userSpec{
	{"lusonet", "olu@lusonet.example", "Olu Adeyemi", model.RoleSupplier, false, "head of legal at a telecom operator: records the State's requests and publishes the transparency report"},
	{"comms-authority", "sara@comms.example", "Sara Gomes", model.RoleOfficer, false, "officer at the communications authority, which licenses the operator"},
	{"comms-authority", "tomas@comms.example", "Tomás Leal", model.RoleApprover, false, "approver at the communications authority"},
	{"police", "marco@police.example", "Marco Vieira", model.RoleOfficer, false, "officer at the police: records the requests the police makes of companies"},
}

const licenceTitle = "Mobile network licence for the 3.6 GHz band"

// seedNexus adds the operator, the authority that licenses it and the
// police, walks the licence through its gates, records the requests on
// both sides and publishes both reports, and fits the contact-tracing app
// with its firewall. It returns the accounts with the new sign-ins added.
func seedNexus(ctx context.Context, db *store.DB, h auth.Hasher, orgs map[string]*model.Organisation, people map[string]*model.User, accounts []Account) ([]Account, error) {
	for _, o := range nexusOrgs {
		org := &model.Organisation{Slug: o.slug, Name: o.name, Kind: o.kind, Jurisdiction: o.juris}
		if err := db.CreateOrg(ctx, store.System, org); err != nil {
			return nil, fmt.Errorf("organisation %s: %w", o.slug, err)
		}
		orgs[o.slug] = org
	}
	nhri := orgs["nhri"]
	remit, err := db.Remit(ctx, nhri.ID)
	if err != nil {
		return nil, err
	}
	if err := db.SetRemit(ctx, store.System, nhri.ID, append(remit, orgs["comms-authority"].ID, orgs["police"].ID)); err != nil {
		return nil, err
	}
	for _, u := range nexusUsers {
		pw := auth.NewPassword()
		hash, err := h.Hash(pw)
		if err != nil {
			return nil, err
		}
		org := orgs[u.org]
		nu := &model.User{OrgID: org.ID, Email: u.email, Name: u.name, Role: u.role}
		if err := db.CreateUser(ctx, store.System, nu, hash); err != nil {
			return nil, fmt.Errorf("user %s: %w", u.email, err)
		}
		nu.Org = org
		people[u.email] = nu
		accounts = append(accounts, Account{Email: u.email, Password: pw, Role: string(u.role), Org: org.Name, What: u.what})
	}
	e, err := newEnv(ctx, db, orgs, people)
	if err != nil {
		return nil, err
	}
	licence, err := e.walk(licenceSpec(model.DateOf(db.Now())))
	if err != nil {
		return nil, fmt.Errorf("the licence: %w", err)
	}
	if err := seedRequests(ctx, db, people, licence); err != nil {
		return nil, fmt.Errorf("State requests: %w", err)
	}
	if err := seedFirewall(ctx, db, people); err != nil {
		return nil, fmt.Errorf("the tracing app's firewall: %w", err)
	}
	return accounts, nil
}

// licenceSpec is the operator's licence: screened as a licence (the kind
// comes from the record), its conditions and the authority's powers
// written before it left planning, and in use. It was granted before the
// authority used buyright, which is the approver's reason for the gates
// its paper file does not yet meet.
func licenceSpec(today model.Date) purchaseSpec {
	d := today.AddDays
	return purchaseSpec{
		org: "comms-authority", lead: "sara@comms.example", approver: "tomas@comms.example",
		stage: model.StageImplementation, invite: "lusonet",
		reason: "The licence was granted after the 2024 spectrum auction, before the authority used buyright; its assessment and the auction file are on paper and being entered, and the licence is already in use.",
		answers: map[string]any{"digital": "yes", "hardware": "no", "goods": "no", "staff_services": "no", "essential_service": "yes", "access_gate": "no",
			"personal_data": "yes", "data_categories": []any{"location"}, "people_count": 3200000.0,
			"vulnerable_groups": []any{"low_income", "minorities"}, "vulnerable_reached": "yes", "automation": "none", "profiling": "no",
			"ai_system": "no", "biometric_use": "none", "monitoring_public": "no", "monitoring_individuals": "yes", "legal_basis": "specific",
			"data_sharing": []any{"vendor_access"}, "partnership": "no", "procurement_route": "open", "emergency": "no",
			relationship.Question: string(model.KindLicence)},
		work: map[model.Stage]func(*env, *model.Purchase) error{model.StagePlanning: licenceTerms},
		p: model.Purchase{
			Title: licenceTitle, Kind: model.KindLicence,
			Need:    "Mobile broadband coverage of rural districts lags behind the cities; the 3.6 GHz band was free to assign.",
			Purpose: "A fifteen-year licence to Lusonet Telecom SA to run a mobile network in the 3.6 GHz band, with coverage duties. The licence obliges the operator to answer lawful requests for subscriber data and interception.",
			Sector:  "other", Technologies: techs("data_platform"),
			AffectedPeople:   "Lusonet's 3.2 million subscribers and everyone they communicate with.",
			VulnerableGroups: "Journalists and their sources, activists, people on low incomes on prepaid plans, minorities subject to more policing.",
			LegalBasis:       "Electronic Communications Law, arts. 19-30 (rights of use of frequencies); Law 32/2008 on the retention of traffic data.",
			ValueMinor:       18000000000, Currency: "EUR", Funding: "other",
			TenderDate: d(-900), AwardDate: d(-860), ContractStart: d(-850), ContractEnd: d(4600), ReviewDate: d(200),
		},
	}
}

func licenceTerms(e *env, p *model.Purchase) error {
	return e.db.SaveRelationshipTerms(e.ctx, store.ActorOf(e.people["sara@comms.example"]), p, &relationship.Terms{
		Conditions: "Cover 95% of the population of each district within five years; keep the network secure under the authority's rules; " +
			"keep the capability to answer lawful requests for subscriber data and lawful interception ordered by a judge.",
		AuthorityPowers: "The authority may inspect the network, require coverage reports and fine or revoke the licence for breach. " +
			"It gives no power to request users' data: requests come from the police, prosecutors and courts under their own laws, and the operator records each one.",
		Exit: "On expiry or revocation the frequencies return to the authority; subscribers keep their numbers through portability.",
	}, 0)
}

// seedRequests records the last half-year's requests as the operator saw
// them (three from the police, one from the health data agency) and as
// the police saw its own; the agency recorded none. Both the operator and
// the police publish their reports; oversight sees where the two sides
// differ.
func seedRequests(ctx context.Context, db *store.DB, people map[string]*model.User, licence *model.Purchase) error {
	olu, marco := people["olu@lusonet.example"], people["marco@police.example"]
	period := staterequest.PeriodOf(model.DateOf(db.Now())).Prev()
	day := period.Start().AddDays
	police, health := marco.OrgID, people["joao@health.example"].OrgID
	company := []*staterequest.Request{
		{AuthorityID: police, PurchaseID: licence.ID, Reference: "PSP/2026/0112", MadeOn: day(24), Type: staterequest.UserData, Process: staterequest.CourtOrder,
			LegalBasis: "Code of Criminal Procedure, arts. 187 and 189; Law 32/2008, art. 9 (order of the Portavera criminal court)", Accounts: 2, People: 2, Urgency: "routine",
			Legality:        "A judge's order under the criminal procedure code, for a crime on the statutory list.",
			Necessity:       "The order asked for all traffic and location data of two lines for six months; the investigation needs to know who held the lines, not where they went.",
			Proportionality: "Six months of location data reveal people's whole lives; subscriber identity answers the investigation's question.",
			Response:        staterequest.Partly, Escalation: "We challenged the order before the same court, asking it to limit the disclosure to subscriber identity.",
			Outcome: "The court narrowed the order; we disclosed the subscriber identity of the two lines only.", Notified: "prohibited"},
		{AuthorityID: police, Reference: "PSP/2026/0207", MadeOn: day(61), Type: staterequest.UserData, Process: staterequest.ProsecutorOrder,
			LegalBasis: "Cybercrime Law, art. 14 (production order of the public prosecutor)", Accounts: 1, People: 1, Urgency: "urgent",
			Legality: "A production order within the prosecutor's powers.", Necessity: "Subscriber identity of one line, needed to identify a suspect.",
			Proportionality: "Limited to identity data.", Response: staterequest.Complied, Notified: "not_yet"},
		{AuthorityID: police, PurchaseID: licence.ID, Reference: "PSP/2026/0331", MadeOn: day(95), Type: staterequest.NetworkRestriction, Process: staterequest.Informal,
			LegalBasis: "None cited: a telephone call from the district command, confirmed by e-mail", DurationDays: 1, Area: "Portavera city centre", Urgency: "emergency",
			Legality:        "No law cited and no written order; the licence gives the police no power to restrict the network.",
			Necessity:       "Asked to slow mobile data around a demonstration; no threat was described.",
			Proportionality: "Slowing data for everyone in the centre would stop people reporting, calling for help and working.",
			Response:        staterequest.Refused, Escalation: "We asked for a written order with its legal basis and told the communications authority.",
			Outcome: "No written order followed.", Notified: "no"},
		{AuthorityID: health, Reference: "HA-EPI-2026-04", MadeOn: day(130), Type: staterequest.UserData, Process: staterequest.EmergencyPowers,
			LegalBasis: "Temporary decree on epidemic measures, art. 5", Urgency: "urgent",
			Legality:        "The decree allows the agency to ask for anonymised statistics, not for data about identifiable people.",
			Necessity:       "The agency asked for location data of all subscribers in two districts to study movement during an outbreak.",
			Proportionality: "Aggregated counts by district and hour answer the question without tracking anyone.",
			Response:        staterequest.Partly, Escalation: "We offered aggregated, anonymised mobility counts instead of subscriber location data.",
			Outcome: "The agency accepted the counts.", Notified: "no"},
	}
	for _, r := range company {
		if err := db.CreateStateRequest(ctx, store.ActorOf(olu), olu, r); err != nil {
			return fmt.Errorf("%s: %w", r.Reference, err)
		}
	}
	// The police's own records: the first two agree with the operator's;
	// the third the police recorded as complied with.
	lusonet := olu.OrgID
	authority := []*staterequest.Request{
		{CompanyID: lusonet, Reference: "PSP/2026/0112", MadeOn: day(23), Type: staterequest.UserData, Process: staterequest.CourtOrder,
			LegalBasis: "Code of Criminal Procedure, arts. 187 and 189; Law 32/2008, art. 9", Accounts: 2, People: 2, Urgency: "routine",
			Necessity: "Identify the holders of two lines used in a fraud.", Response: staterequest.Partly, Notified: "prohibited"},
		{CompanyID: lusonet, Reference: "PSP/2026/0207", MadeOn: day(61), Type: staterequest.UserData, Process: staterequest.ProsecutorOrder,
			LegalBasis: "Cybercrime Law, art. 14", Accounts: 1, People: 1, Urgency: "urgent", Response: staterequest.Complied, Notified: "not_yet"},
		{CompanyID: lusonet, Reference: "PSP/2026/0331", MadeOn: day(95), Type: staterequest.NetworkRestriction, Process: staterequest.Informal,
			LegalBasis: "Public order; request by the district command", DurationDays: 1, Area: "Portavera city centre", Urgency: "emergency",
			Response: staterequest.Complied, Notified: "no"},
	}
	for _, r := range authority {
		if err := db.CreateStateRequest(ctx, store.ActorOf(marco), marco, r); err != nil {
			return fmt.Errorf("police %s: %w", r.Reference, err)
		}
	}
	if _, err := db.PublishReport(ctx, store.ActorOf(olu), olu, period,
		"Lusonet answers requests for users' data only on a written order that cites its legal basis. This half-year we challenged one court order as too broad and it was narrowed; "+
			"we refused a request to slow mobile data around a demonstration, which came without any order; and we gave the health data agency anonymised counts instead of subscribers' locations. "+
			"We may not tell users about requests while an investigation is secret."); err != nil {
		return err
	}
	if _, err := db.PublishReport(ctx, store.ActorOf(marco), marco, period,
		"The requests the Public Security Police made of telecommunications operators in the half-year, as recorded by the police."); err != nil {
		return err
	}
	return nil
}

// seedFirewall writes the contact-tracing app's firewall and the incident
// where a barrier failed; the incident opens a task.
func seedFirewall(ctx context.Context, db *store.DB, people map[string]*model.User) error {
	joao := people["joao@health.example"]
	p, err := findPurchase(ctx, db, joao, "Emergency contact-tracing app")
	if err != nil {
		return err
	}
	a := store.ActorOf(joao)
	rule := &firewall.Rule{
		Data:          "Proximity keys, diagnosis keys and the warnings the app sent",
		BarredUses:    "Policing and criminal investigations; enforcing quarantine; immigration control; any commercial use, including improving other products.",
		BarredParties: "The police and every public body other than the agency's epidemiology unit; Beacon Apps Lda's other products and its analytics partners.",
		Technical:     "Keys are generated and kept on phones; the server holds only the diagnosis keys users choose to upload, without phone numbers or device identifiers, and deletes them after 14 days.",
		Contractual:   "Contract HA-EMERG-07, clause 9: the data serve only to warn contacts; any other use or transfer is a breach with penalties and ends the contract.",
		Audit:         "The agency's data protection officer reviews the server logs monthly; the data protection authority may audit at any time.",
	}
	if err := db.AddFirewallRule(ctx, a, p, rule); err != nil {
		return err
	}
	today := model.DateOf(db.Now())
	return db.ReportFirewallIncident(ctx, a, p, joao.OrgID, &firewall.Incident{RuleID: rule.ID, OccurredOn: today.AddDays(-40), FoundOn: today.AddDays(-12),
		Barrier: firewall.Technical,
		What: "The crash-reporting library in the app sent device identifiers together with diagnosis-key uploads to the supplier's analytics service for eleven days, " +
			"so uploads could be linked to devices.",
		DataReached: "Device identifiers linked to diagnosis-key uploads reached the supplier's analytics service.", People: 3400,
		Action: "The library was removed in an update; the supplier deleted the records and sent a deletion certificate; the data protection authority was told."})
}
