package demo

import (
	"fmt"
	"strings"

	"buyright/internal/assessment"
	"buyright/internal/contract"
	"buyright/internal/disclosure"
	"buyright/internal/model"
	"buyright/internal/monitoring"
	"buyright/internal/store"
	"buyright/internal/supplierdd"
)

// bookingTitle is the purchase Civitas Analytics holds the contract of:
// the demo's supplier after the award (journey 10) and the contract
// published on the register with two redactions. The fraud-scoring
// purchase, where Civitas is only invited, is still at market engagement
// and has no contract to publish.
const bookingTitle = "Appointment booking for the social-services front desks"

var bookingAnswers = map[string]any{
	"digital": "yes", "hardware": "no", "goods": "no", "staff_services": "no", "essential_service": "yes", "access_gate": "yes",
	"offline_alternative": "yes", "personal_data": "yes", "data_categories": []any{"contact_only"}, "people_count": 30000.0,
	"vulnerable_groups": []any{"low_income", "older", "migrants"}, "vulnerable_reached": "yes", "automation": "none", "profiling": "no",
	"ai_system": "no", "biometric_use": "none", "monitoring_public": "no", "monitoring_individuals": "no", "legal_basis": "specific",
	"data_sharing": []any{"vendor_access"}, "partnership": "no", "procurement_route": "open", "emergency": "no",
}

var bookingEvidence = with(assessed, map[string]string{
	"PT-01-c":        "The meeting was held at the front desk of the central social-services office, in the afternoon, with an interpreter for Ukrainian and Portuguese sign language.",
	"CORE-MARKET-HR": "The market consultation asked suppliers how people without a phone book a visit, what data they keep and for how long, and how they test accessibility; five answered.",
	"PT-02-a":        "Booking is free by web, phone or at the desk; the text reminders cost people nothing.",
	"PT-02-b":        "Walk-in visits stay at every desk; the specification forbids turning anyone away for not having booked.",
	"PT-02-d":        "An accessibility audit against EN 301 549 was run on the booking pages before go-live.",
	"PT-04-c":        "The head of social services signed off that the design followed the plan agreed with the users' groups.",
	"PT-05-a":        "The data map lists name, phone number, preferred language and the desk and time booked; the reason for the visit is not asked.",
	"PT-05-c":        "People correct or cancel their booking from the reminder message or at the desk.",
	"PT-05-d":        "The contract requires the bookings and waiting-time statistics back as CSV on request and at the end.",
	"PT-05-e":        "The specification requires encryption in transit and at rest and deletion of bookings 90 days after the visit.",
	"T-FIREWALL":     "The contract forbids any use of the booking data beyond running the desks, and any sharing with other services.",
	"PI-ACC-DATA":    "The contract makes the council the controller; Civitas processes bookings only on its written instructions.",
	"PT-07-a":        "The monitoring plan sets indicators for availability and for complaints answered on time; Civitas reports availability every month.",
	"PT-07-b":        "A review with the users' groups every six months, and a complaints route to the head of social services.",
	"PT-08-a":        "Every front-desk worker had an hour of training on booking for people who call or walk in.",
	"PT-08-b":        "A leaflet in five languages at each desk says what is kept, for how long, and how to complain.",
	"PT-08-c":        "The social-services department is named on the booking pages as responsible.",
})

func bookingSpec(today model.Date) purchaseSpec {
	d := today.AddDays
	return purchaseSpec{
		org: "portavera", lead: "ana@portavera.example", approver: "rui@portavera.example",
		stage: model.StageImplementation, invite: "civitas",
		answers: bookingAnswers, evidence: bookingEvidence,
		work: map[model.Stage]func(*env, *model.Purchase) error{model.StagePlanning: bookingAssessment,
			model.StageTenderDesign: acceptProposals("ana@portavera.example"),
			model.StageContract:     bookingContract, model.StageImplementation: bookingInUse},
		p: model.Purchase{
			Title:   bookingTitle,
			Need:    "People wait for hours at the social-services front desks without knowing whether they will be seen, and staff cannot plan for the busiest days.",
			Purpose: "A hosted service where people book a time at a front desk online, by phone or at the desk, get a text reminder, and the council sees waiting times and missed visits to plan staffing. Walk-in visits stay; it decides nothing about anyone's support.",
			Sector:  "social_protection", Technologies: techs("apps", "data_platform"),
			AffectedPeople:   "About 30,000 visits a year by people seeking social support, and the front-desk staff.",
			VulnerableGroups: "Older people, people without a phone or internet, people with limited Portuguese, people in crisis who cannot wait for an appointment.",
			LegalBasis:       "Municipal Social Assistance Regulation, art. 6 (access to services); GDPR art. 6(1)(e).",
			ValueMinor:       9600000, Currency: "EUR", Funding: "own_budget",
			TenderDate: d(-260), AwardDate: d(-200), ContractStart: d(-180), ContractEnd: d(900), ReviewDate: d(20),
		},
	}
}

// bookingAssessment is the booking service's assessment, signed off in
// planning after a meeting with the desks' users.
func bookingAssessment(e *env, p *model.Purchase) error {
	today := model.DateOf(e.db.Now())
	err := e.assess(p, "ana@portavera.example", func(d *assessment.Doc) {
		d.Scope = assessment.Scope{
			Context:          "Booking of visits to the social-services front desks by web, phone or at the desk, with text reminders and waiting-time statistics for staffing. Walk-in visits stay.",
			Rights:           []string{"R-SOCSEC", "R-PUBSERV", "R-PRIV"},
			AffectedGroups:   "About 30,000 visits a year by people seeking social support, and the front-desk staff.",
			VulnerableGroups: "Older people, people without a phone or internet, people with limited Portuguese, people in crisis.",
			Technology:       "A hosted booking service with text reminders, run by the supplier.",
			DataInvolved:     "Name, phone number, preferred language, the desk and time booked.",
		}
		d.Engagements = []assessment.Engagement{{ID: d.NewID(), Status: assessment.Held, Who: "Users' forum of the social-services desks and the migrants' association", How: "Afternoon meeting at the central desk",
			When: today.AddDays(-330).String(), Raised: "People in crisis must still be seen the same day; a booking system must not become a reason to send anyone away.",
			Answer: "Walk-in visits stay at every desk and the contract forbids refusing anyone for not having booked."}}
		d.Legality = assessment.Legality{Legality: "Municipal Social Assistance Regulation, art. 6; GDPR art. 6(1)(e).", LegitimateAim: "Shorter, predictable waits at the desks.",
			Necessity: "Queues of several hours at the central desk every Monday.", Proportionality: "Only contact details and the time booked are kept, and for 90 days.",
			Alternatives: "More staff on Mondays, which the council cannot fund every week."}
		im := d.NewID()
		d.Impacts = []assessment.Impact{{ID: im, Right: "R-PUBSERV", Group: "People in crisis or without a phone", Description: "Sent away or made to wait longer because others booked.",
			Scale: 3, Scope: 2, Irremediability: 2, Likelihood: 2, ResidualSeverity: 2, ResidualLikelihood: 1}}
		d.Mitigations = []assessment.Mitigation{{ID: d.NewID(), ImpactID: im, Action: "Walk-in visits stay at every desk; half of each morning is kept for people without a booking.",
			Owner: "Head of social services", Due: today.AddDays(-200).String(), Status: "done", Basis: "PT-02-b"}}
		d.Elements = map[string]string{
			"GDPR-35-7-a": "Bookings of about 30,000 visits a year (name, phone number, preferred language, desk and time), hosted by the supplier for the social-services department, and statistics of waits and missed visits.",
			"GDPR-35-7-b": "Only what is needed to book and remind; the reason for the visit is not asked; bookings are deleted 90 days after the visit.",
			"GDPR-35-7-c": "People sent away for not having booked; a breach revealing who seeks social support; text reminders read by others on a shared phone.",
			"GDPR-35-7-d": "Walk-in visits stay; processor terms under Article 28; encryption; reminders say only the desk and time, never social services by name.",
			"GDPR-35-2":   "The data protection officer asked that reminders not name social services and that bookings be deleted after 90 days; both were taken up.",
		}
		d.PublicSummary = "You can book a time at a social-services desk online, by phone or at the desk, and get a text reminder. You can still come without booking."
	})
	if err != nil {
		return err
	}
	if err := e.vouchNow(p, bookingEvidence, "ana@portavera.example", "rui@portavera.example"); err != nil {
		return err
	}
	return e.signOff(p, "rui@portavera.example", today.AddDays(20).String(), nil)
}

// bookingContract records the contract signed with Civitas, every chosen
// item signed, the exit plan, and Civitas's account as the holder.
func bookingContract(e *env, p *model.Purchase) error {
	d := model.DateOf(e.db.Now()).AddDays
	if err := signSafeguards(e, p, "ana@portavera.example", &contract.Contract{
		Reference: "PV-SOC-2025-031", Suppliers: []string{"Civitas Analytics Ltd"}, ValueMinor: 9600000, Currency: "EUR",
		SignedOn: d(-190), StartsOn: d(-180), EndsOn: d(900)}); err != nil {
		return err
	}
	if err := saveExit(e, p, "ana@portavera.example", "Every booking and the waiting-time statistics come back to the council as CSV.",
		"Civitas deletes all bookings and backups within 30 days of the end and certifies it.", "The desks go back to walk-in queues and a phone line while another booking service is found."); err != nil {
		return err
	}
	return e.db.SetAwarded(e.ctx, store.ActorOf(e.people["ana@portavera.example"]), p, []int64{e.orgs["civitas"].ID})
}

// bookingInUse is the service in use: a review soon, availability fed by
// Civitas every month (the last month still owed), an incident and two
// sub-processors it declared, its answers to the questionnaire reviewed.
func bookingInUse(e *env, p *model.Purchase) error {
	ana := store.ActorOf(e.people["ana@portavera.example"])
	chen := e.people["chen@civitas.example"]
	civitas := store.ActorOf(chen)
	today := model.DateOf(e.db.Now())
	if _, err := e.db.ScheduleReview(e.ctx, ana, p, contract.KindReview, today.AddDays(20)); err != nil {
		return err
	}
	uptime := &monitoring.Indicator{CatalogID: "IND-UPTIME", Title: "Service availability (uptime)", Unit: "percent", Direction: "higher", Target: f64(99.5), Threshold: f64(99)}
	answered := &monitoring.Indicator{CatalogID: "IND-COMPLAINTS-ON-TIME", Title: "Complaints answered within the published time limit", Unit: "percent", Direction: "higher", Target: f64(95), Threshold: f64(90)}
	for _, in := range []*monitoring.Indicator{uptime, answered} {
		if err := e.db.AddIndicator(e.ctx, ana, p, in); err != nil {
			return err
		}
	}
	if err := e.db.SetFeed(e.ctx, ana, p, &supplierdd.Feed{IndicatorID: uptime.ID, SupplierOrgID: chen.OrgID, EveryMonths: 1, FirstPeriod: month(4)}); err != nil {
		return err
	}
	var ms []monitoring.Measurement
	for i, v := range []float64{99.9, 99.7, 99.8} {
		ms = append(ms, monitoring.Measurement{IndicatorID: uptime.ID, Period: month(4 - i), Value: v})
	}
	if _, err := e.db.RecordSupplierValues(e.ctx, civitas, p, chen.OrgID, ms); err != nil {
		return err
	}
	if _, err := e.db.RecordMeasurements(e.ctx, ana, p, "form", []monitoring.Measurement{{IndicatorID: answered.ID, Period: month(3), Value: 93}, {IndicatorID: answered.ID, Period: month(2), Value: 96}}); err != nil {
		return err
	}
	if err := e.db.AddSupplierIncident(e.ctx, civitas, p, chen.OrgID, &monitoring.Incident{OccurredOn: month(1).AddDays(8), Severity: "medium",
		What:     "Text reminders were not sent for two days after the messaging provider changed its interface; about 300 people were not reminded of their visit.",
		Affected: "About 300 people with a booking on those days; 41 missed their visit.", Action: "Reminders resent; a check now alerts us when no message goes out for an hour.",
		ReportedTo: "Portavera social services"}); err != nil {
		return err
	}
	for _, s := range []*supplierdd.Subcontractor{
		{Name: "Nimbus Hosting BV", Role: supplierdd.RoleSubprocessor, Work: "Hosting of the booking service and its backups", DataAccess: "personal", Country: "Netherlands", Since: today.AddDays(-180)},
		{Name: "TextFast Lda", Role: supplierdd.RoleSubprocessor, Work: "Sends the text reminders", DataAccess: "personal", Country: "Portugal", Since: today.AddDays(-20)},
	} {
		if err := e.db.DeclareSubcontractor(e.ctx, civitas, p, chen.OrgID, s); err != nil {
			return err
		}
	}
	q := supplierdd.FromCatalog(e.set)
	// Civitas's company answers come from the fraud-scoring questionnaire
	// (seedSupplierDD runs first); here it answers about the council as
	// its client, and the council reviews.
	prof, err := e.db.SupplierProfile(e.ctx, chen.OrgID)
	if err != nil {
		return err
	}
	answers := map[string]string{
		"legal_basis":  "Article 6 of the Municipal Social Assistance Regulation, which the council cited in the tender. We asked and were shown it.",
		"oversight":    "The national data protection authority; we give it and the council's data protection officer access to logs on request.",
		"misuse":       "The contract forbids any use of bookings beyond running the desks. The data holds no reason for the visit, which limits what it could be misused for.",
		"transparency": "We agreed to the contract's publication; only the unit prices and our engineers' names should be held back.",
	}
	if prof != nil {
		for k, v := range prof.Answers {
			answers[k] = v
		}
	}
	if _, err := e.db.SubmitSupplierAnswers(e.ctx, civitas, p, chen.OrgID, q, answers); err != nil {
		return err
	}
	return e.db.ReviewSupplierAnswers(e.ctx, ana, p, chen.OrgID, 1, q, map[string]string{"legal_basis": "adequate", "misuse": "adequate", "transparency": "adequate"},
		"Thank you. Please declare every new sub-processor before it starts, as the contract requires.")
}

var bookingPublication = map[string]string{
	"en": "You can book a time at a social-services desk online, by phone or at the desk, and get a text reminder. You can still come without booking; only your name, phone number and the time booked are kept, for 90 days.",
	"pt": "Pode marcar uma hora num balcão da ação social pela internet, por telefone ou no balcão, e receber um lembrete por SMS. Pode continuar a vir sem marcação; só ficam guardados o seu nome, o telefone e a hora marcada, durante 90 dias.",
	"es": "Puede reservar una hora en una ventanilla de servicios sociales por internet, por teléfono o en la ventanilla, y recibir un recordatorio por SMS. Puede seguir viniendo sin cita; solo se guardan su nombre, su teléfono y la hora reservada, durante 90 días.",
	"fr": "Vous pouvez réserver un créneau à un guichet des services sociaux en ligne, par téléphone ou au guichet, et recevoir un rappel par SMS. Vous pouvez toujours venir sans rendez-vous ; seuls votre nom, votre téléphone et l’heure réservée sont conservés, pendant 90 jours.",
}

// The contract as signed, and as published: the unit prices and the
// engineers' names and numbers held back.
const (
	bookingContractFull = `Contract PV-SOC-2025-031 between Portavera City Council and Civitas Analytics Ltd
Appointment booking for the social-services front desks

1. Civitas runs a booking service for the council's social-services desks, by web, phone and at the desk, with text reminders.
2. Walk-in visits stay at every desk; no one may be refused a visit for not having booked.
3. Civitas processes bookings only on the council's written instructions and deletes each booking 90 days after the visit.
4. Civitas declares every sub-processor before it starts and the council may object.
5. Civitas reports service availability every month and any incident within 24 hours.

Annex 2 - Prices
Set-up: EUR 18,400. Per booking handled: EUR 0.41. Per text reminder: EUR 0.032. Yearly support: EUR 21,700.

Annex 4 - On-call engineers
Rita Nogueira, +351 912 555 013. Tomás Abreu, +351 913 555 207.
`
	bookingContractRedacted = `Contract PV-SOC-2025-031 between Portavera City Council and Civitas Analytics Ltd
Appointment booking for the social-services front desks

1. Civitas runs a booking service for the council's social-services desks, by web, phone and at the desk, with text reminders.
2. Walk-in visits stay at every desk; no one may be refused a visit for not having booked.
3. Civitas processes bookings only on the council's written instructions and deletes each booking 90 days after the visit.
4. Civitas declares every sub-processor before it starts and the council may object.
5. Civitas reports service availability every month and any incident within 24 hours.

Annex 2 - Prices
[Held back: commercial secret. See the register entry.]

Annex 4 - On-call engineers
[Held back: personal data. See the register entry.]
`
	bookingReport = `First monitoring report - appointment booking
Availability was above 99.7% every month. Text reminders failed for two days; about 300 people were not reminded and 41 missed their visit. Reminders are now checked every hour.
Complaints answered within the time limit: 93% and 96%.
`
)

// seedAfterAward walks the booking purchase through its gates to
// implementation, publishes it on the register, and publishes its
// contract with two redactions (personal data, and unit prices as a
// commercial secret until their ground lapses) and its first monitoring
// report in full, each agreed by the council's approver.
func seedAfterAward(e *env) error {
	p, err := e.walk(bookingSpec(model.DateOf(e.db.Now())))
	if err != nil {
		return fmt.Errorf("demo purchase %q: %w", bookingTitle, err)
	}
	ana, rui := e.people["ana@portavera.example"], e.people["rui@portavera.example"]
	fresh, _, err := e.db.Purchase(e.ctx, ana, p.ID)
	if err != nil {
		return err
	}
	other := map[string]string{"pt": bookingPublication["pt"], "es": bookingPublication["es"], "fr": bookingPublication["fr"]}
	if err := e.db.Publish(e.ctx, store.ActorOf(ana), fresh, true, bookingPublication["en"], other); err != nil {
		return err
	}
	text := func(name, body string) *store.PurchaseFile {
		return &store.PurchaseFile{Name: name, CType: "text/plain; charset=utf-8", Data: []byte(body)}
	}
	doc := &disclosure.Document{Kind: disclosure.KindContract, Title: "Signed contract PV-SOC-2025-031 with Civitas Analytics",
		Description: "The contract for the booking service, with its annexes."}
	if err := e.db.CreateDisclosure(e.ctx, store.ActorOf(ana), fresh, doc, text("contract-PV-SOC-2025-031.txt", bookingContractFull),
		text("contract-PV-SOC-2025-031-redacted.txt", bookingContractRedacted)); err != nil {
		return err
	}
	for _, r := range []*disclosure.Redaction{
		{Ground: disclosure.GroundCommercial, Location: "Annex 2: the set-up price, the price per booking and per text reminder, and the yearly support fee",
			Reason: "Civitas is bidding with these unit prices in two other tenders that close this year; the total value of the contract is published.", LapsesOn: model.DateOf(e.db.Now()).AddDays(60)},
		{Ground: disclosure.GroundPersonal, Location: "Annex 4: names and mobile numbers of the supplier's on-call engineers",
			Reason: "Private contact details of the supplier's staff; the public reaches the service through the council's complaints channel."},
	} {
		if err := e.db.AddRedaction(e.ctx, store.ActorOf(ana), fresh, doc.ID, r); err != nil {
			return err
		}
	}
	if err := e.db.PublishDisclosure(e.ctx, store.ActorOf(rui), fresh, doc.ID); err != nil {
		return err
	}
	report := &disclosure.Document{Kind: disclosure.KindMonitoring, Title: "First monitoring report", Description: strings.SplitN(bookingReport, "\n", 2)[0]}
	if err := e.db.CreateDisclosure(e.ctx, store.ActorOf(ana), fresh, report, text("monitoring-report-1.txt", bookingReport), nil); err != nil {
		return err
	}
	return e.db.PublishDisclosure(e.ctx, store.ActorOf(rui), fresh, report.ID)
}
