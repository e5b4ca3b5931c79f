package store_test

import (
	"strings"
	"testing"
	"time"

	"buyright/internal/access"
	"buyright/internal/firewall"
	"buyright/internal/model"
	"buyright/internal/relationship"
	"buyright/internal/screening"
	"buyright/internal/staterequest"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// A licence is a purchase record of another kind: the kind is kept and
// audited like any field, its terms are saved with a revision, and what is
// missing is what the requirement computed from the record reports.
func TestRelationshipKindAndTerms(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		reg := storetest.Org(t, db, "regulator", model.OrgPublicBody)
		u := storetest.User(t, db, reg, "ines@reg.example", model.RoleOfficer)
		p := &model.Purchase{OrgID: reg.ID, Title: "Mobile network licence", Kind: model.KindLicence, Sector: "other"}
		if err := db.CreatePurchase(ctx, store.ActorOf(u), p); err != nil {
			t.Fatal(err)
		}
		got, _, err := db.Purchase(ctx, u, p.ID)
		if err != nil || got.Kind != model.KindLicence {
			t.Fatalf("kind kept: %v %v", got.Kind, err)
		}
		f, err := db.RequirementFacts(ctx, p.ID)
		if err != nil || strings.Join(f.TermsMissing, ",") != "conditions,authority_powers" {
			t.Fatalf("a licence without terms misses conditions and powers: %v %v", f.TermsMissing, err)
		}
		terms := &relationship.Terms{Conditions: "Coverage of 98% of the population; lawful interception capability.", AuthorityPowers: "\x00Orders under the electronic communications law."}
		if err := db.SaveRelationshipTerms(ctx, store.ActorOf(u), p, terms, 0); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveRelationshipTerms(ctx, store.ActorOf(u), p, &relationship.Terms{Conditions: "x"}, 0); model.ErrorCode(err) != model.EConflict {
			t.Fatalf("a save from an old revision: %v", err)
		}
		back, err := db.RelationshipTerms(ctx, p.ID)
		if err != nil || back.Rev != 1 || strings.Contains(back.AuthorityPowers, "\x00") || back.UpdatedBy == "" {
			t.Fatalf("terms read back: %+v %v", back, err)
		}
		if f, _ := db.RequirementFacts(ctx, p.ID); len(f.TermsMissing) != 0 {
			t.Fatalf("complete terms still missing %v", f.TermsMissing)
		}
		long := &relationship.Terms{Conditions: strings.Repeat("x", relationship.MaxTerm+1)}
		if err := db.SaveRelationshipTerms(ctx, store.ActorOf(u), p, long, 1); model.ErrorCode(err) != model.EInvalid {
			t.Fatalf("over-long term: %v", err)
		}
		// The screening is scored for the kind it was answered with.
		if err := db.SaveScreening(ctx, store.ActorOf(u), p, map[string]any{relationship.Question: "purchase"}, screening.Result{Status: screening.StatusComplete, Level: 1}); err != nil {
			t.Fatal(err)
		}
		if k, complete, err := db.ScreenedKind(ctx, p.ID); err != nil || k != "purchase" || !complete {
			t.Fatalf("screened kind: %q %v %v", k, complete, err)
		}
	})
}

// requestWorld is a telecom operator, the police and another public body,
// an oversight body with the police in its remit and one without.
type requestWorld struct {
	telecom, rival, police, other, nhri, dpa *model.User
	licence                                  *model.Purchase
}

func newRequestWorld(t *testing.T, db *store.DB) *requestWorld {
	t.Helper()
	w := &requestWorld{}
	tel := storetest.Org(t, db, "telecom", model.OrgSupplier)
	riv := storetest.Org(t, db, "rival", model.OrgSupplier)
	pol := storetest.Org(t, db, "police", model.OrgPublicBody)
	oth := storetest.Org(t, db, "other", model.OrgPublicBody)
	nhri := storetest.Org(t, db, "nhri", model.OrgOversight)
	dpa := storetest.Org(t, db, "dpa", model.OrgOversight)
	if err := db.SetRemit(ctx, store.System, nhri.ID, []int64{pol.ID}); err != nil {
		t.Fatal(err)
	}
	w.telecom = storetest.User(t, db, tel, "olu@telecom.example", model.RoleSupplier)
	w.rival = storetest.User(t, db, riv, "x@rival.example", model.RoleAdmin)
	w.police = storetest.User(t, db, pol, "marco@police.example", model.RoleOfficer)
	w.other = storetest.User(t, db, oth, "o@other.example", model.RoleAdmin)
	w.nhri = storetest.User(t, db, nhri, "bruno@nhri.example", model.RoleViewer)
	w.dpa = storetest.User(t, db, dpa, "d@dpa.example", model.RoleOversight)
	// The licence belongs to the other body (the regulator), with the
	// telecom invited: the police, and the NHRI, cannot see it.
	w.licence = &model.Purchase{OrgID: oth.ID, Title: "Licence 4G-07", Kind: model.KindLicence, Sector: "other"}
	if err := db.CreatePurchase(ctx, store.ActorOf(w.other), w.licence); err != nil {
		t.Fatal(err)
	}
	if err := db.InviteSupplier(ctx, store.ActorOf(w.other), w.licence, tel.ID); err != nil {
		t.Fatal(err)
	}
	return w
}

func request(ref string, madeOn model.Date, accounts int) *staterequest.Request {
	return &staterequest.Request{Reference: ref, MadeOn: madeOn, LegalBasis: "Code of Criminal Procedure, art. 187", Process: staterequest.CourtOrder,
		Type: staterequest.UserData, Accounts: accounts, Urgency: "routine", Response: staterequest.Partly, Notified: "prohibited"}
}

// Each side writes only its own record and reads only its own; the
// oversight body with the authority in its remit reads both and the
// mismatches; nobody else reads anything, not even by id.
func TestStateRequestsBothSides(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newRequestWorld(t, db)
		day := model.DateOf(time.Now()).AddDays(-10)
		c1 := request("PSP-1", day, 3)
		c1.AuthorityID, c1.PurchaseID = w.police.OrgID, w.licence.ID
		if err := db.CreateStateRequest(ctx, store.ActorOf(w.telecom), w.telecom, c1); err != nil {
			t.Fatal(err)
		}
		if c1.Side != access.CompanySide || c1.CompanyID != w.telecom.OrgID {
			t.Fatalf("the side comes from the person: %v %d", c1.Side, c1.CompanyID)
		}
		c2 := request("PSP-2", day, 1)
		c2.AuthorityID = w.police.OrgID
		if err := db.CreateStateRequest(ctx, store.ActorOf(w.telecom), w.telecom, c2); err != nil {
			t.Fatal(err)
		}
		dup := request("psp 1", day, 1)
		dup.AuthorityID = w.police.OrgID
		if err := db.CreateStateRequest(ctx, store.ActorOf(w.telecom), w.telecom, dup); model.ErrorCode(err) != model.EInvalid || !strings.Contains(err.Error(), "sreq.err.duplicate") {
			t.Fatalf("the same reference twice: %v", err)
		}
		// The police records its side: PSP-1 alike, PSP-2 with one account
		// more, and PSP-3 that the telecom never recorded.
		for _, x := range []struct {
			ref      string
			accounts int
		}{{"PSP 1", 3}, {"PSP-2", 2}, {"PSP-3", 5}} {
			r := request(x.ref, day.AddDays(-1), x.accounts)
			r.CompanyID = w.telecom.OrgID
			if err := db.CreateStateRequest(ctx, store.ActorOf(w.police), w.police, r); err != nil {
				t.Fatal(err)
			}
		}
		// Wrong counterparts and relationships the recorder is not party to.
		bad := request("PSP-9", day, 1)
		bad.AuthorityID, bad.PurchaseID = w.telecom.OrgID, w.licence.ID
		if err := db.CreateStateRequest(ctx, store.ActorOf(w.rival), w.rival, bad); model.ErrorCode(err) != model.EInvalid ||
			!strings.Contains(err.Error(), "authority_id") || !strings.Contains(err.Error(), "purchase_id") {
			t.Fatalf("a company as authority, a licence the rival is not party to: %v", err)
		}
		if err := db.CreateStateRequest(ctx, store.ActorOf(w.nhri), w.nhri, request("X", day, 1)); model.ErrorCode(err) != model.EForbidden {
			t.Fatalf("oversight records nothing: %v", err)
		}
		count := func(u *model.User) int {
			t.Helper()
			rs, err := db.StateRequests(ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			return len(rs)
		}
		if n := count(w.telecom); n != 2 {
			t.Errorf("the telecom reads %d records, want its 2", n)
		}
		if n := count(w.police); n != 3 {
			t.Errorf("the police reads %d records, want its 3", n)
		}
		for _, u := range []*model.User{w.rival, w.other, w.dpa} {
			if n := count(u); n != 0 {
				t.Errorf("%s reads %d records", u.Email, n)
			}
			if _, err := db.StateRequest(ctx, u, c1.ID); model.ErrorCode(err) != model.ENotFound {
				t.Errorf("%s opens the telecom's record: %v", u.Email, err)
			}
		}
		if n := count(w.nhri); n != 5 {
			t.Errorf("the NHRI reads %d records, want both sides' 5", n)
		}
		// The title of the licence shows to the telecom, party to it, but
		// not to the NHRI, which has not the regulator in its remit.
		if r, _ := db.StateRequest(ctx, w.telecom, c1.ID); r == nil || r.PurchaseTitle != "Licence 4G-07" {
			t.Errorf("the telecom does not see its licence named: %+v", r)
		}
		if r, err := db.StateRequest(ctx, w.nhri, c1.ID); err != nil || r.PurchaseTitle != "" || r.PurchaseID == 0 {
			t.Errorf("the NHRI sees a purchase outside its remit named: %+v %v", r, err)
		}
		ms, err := db.RequestMismatches(ctx, w.nhri)
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]string{}
		for _, m := range ms {
			kinds[m.Reference] = m.Kind + ":" + strings.Join(m.Fields, ",")
		}
		if len(ms) != 2 || kinds["PSP-2"] != "differs:accounts" || !strings.HasPrefix(kinds["PSP-3"], "authority_only") {
			t.Fatalf("mismatches: %v", kinds)
		}
		if ms, _ := db.RequestMismatches(ctx, w.police); len(ms) != 0 {
			t.Error("only oversight bodies get the mismatches")
		}
		// Only the recording side edits, from the revision it read.
		c2.Accounts = 2
		if err := db.UpdateStateRequest(ctx, store.ActorOf(w.police), w.police, c2, 1); model.ErrorCode(err) != model.ENotFound {
			t.Fatalf("the police edits the telecom's record: %v", err)
		}
		if err := db.UpdateStateRequest(ctx, store.ActorOf(w.nhri), w.nhri, c2, 1); model.ErrorCode(err) != model.EForbidden {
			t.Fatalf("oversight edits a record: %v", err)
		}
		if err := db.UpdateStateRequest(ctx, store.ActorOf(w.telecom), w.telecom, c2, 1); err != nil {
			t.Fatal(err)
		}
		if err := db.UpdateStateRequest(ctx, store.ActorOf(w.telecom), w.telecom, c2, 1); model.ErrorCode(err) != model.EConflict {
			t.Fatalf("an edit from an old revision: %v", err)
		}
		if ms, _ := db.RequestMismatches(ctx, w.nhri); len(ms) != 1 {
			t.Fatalf("after the correction one mismatch is left: %+v", ms)
		}
	})
}

// A report is published once, for a half-year that has ended, from the
// protected cells; records added afterwards do not change it.
func TestTransparencyReportFrozen(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newRequestWorld(t, db)
		last := staterequest.PeriodOf(model.DateOf(time.Now())).Prev()
		for i, acc := range []int{1, 2, 3} {
			r := request("PSP-"+string(rune('a'+i)), last.Start().AddDays(i), acc)
			r.AuthorityID = w.police.OrgID
			if err := db.CreateStateRequest(ctx, store.ActorOf(w.telecom), w.telecom, r); err != nil {
				t.Fatal(err)
			}
		}
		cells, err := db.ReportPreview(ctx, w.telecom, last)
		if err != nil || len(cells) != 1 || cells[0].Count != (staterequest.Range{Lo: 1, Hi: 4}) {
			t.Fatalf("three requests in one cell show as 1-4: %+v %v", cells, err)
		}
		if _, err := db.PublishReport(ctx, store.ActorOf(w.telecom), w.telecom, last.Next(), ""); model.ErrorCode(err) != model.EInvalid {
			t.Fatalf("the current half-year published: %v", err)
		}
		if _, err := db.PublishReport(ctx, store.ActorOf(w.telecom), w.telecom, last, "Call +351 912 345 678"); model.ErrorCode(err) != model.EInvalid {
			t.Fatalf("a narrative with a phone number: %v", err)
		}
		rep, err := db.PublishReport(ctx, store.ActorOf(w.telecom), w.telecom, last, "We challenged one order in court.")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.PublishReport(ctx, store.ActorOf(w.telecom), w.telecom, last, ""); model.ErrorCode(err) != model.EInvalid {
			t.Fatalf("a second version of the half-year: %v", err)
		}
		late := request("PSP-late", last.Start().AddDays(9), 1)
		late.AuthorityID = w.police.OrgID
		if err := db.CreateStateRequest(ctx, store.ActorOf(w.telecom), w.telecom, late); err != nil {
			t.Fatal(err)
		}
		back, err := db.TransparencyReport(ctx, rep.ID)
		if err != nil || len(back.Cells) != 1 || back.Org != "Org telecom" || back.Period != last || back.Narrative == "" {
			t.Fatalf("the published report: %+v %v", back, err)
		}
		if total := staterequest.Total(back.Cells); total != (staterequest.Range{Lo: 1, Hi: 4}) {
			t.Fatalf("the published total changed after publication: %v", total)
		}
		all, err := db.TransparencyReports(ctx, 0)
		if err != nil || len(all) != 1 {
			t.Fatalf("public list: %d %v", len(all), err)
		}
		if mine, _ := db.TransparencyReports(ctx, w.police.OrgID); len(mine) != 0 {
			t.Fatal("the police has published nothing")
		}
		if _, err := db.PublishReport(ctx, store.ActorOf(w.nhri), w.nhri, last, ""); model.ErrorCode(err) != model.EForbidden {
			t.Fatalf("oversight publishes a report: %v", err)
		}
	})
}

// An incident where a barrier failed opens a task in the same
// transaction; the oversight body with the body in its remit sees it.
func TestFirewallIncidentOpensTask(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		health := storetest.Org(t, db, "health", model.OrgPublicBody)
		vendor := storetest.Org(t, db, "beacon", model.OrgSupplier)
		nhri := storetest.Org(t, db, "nhri", model.OrgOversight)
		if err := db.SetRemit(ctx, store.System, nhri.ID, []int64{health.ID}); err != nil {
			t.Fatal(err)
		}
		joao := storetest.User(t, db, health, "joao@health.example", model.RoleOfficer)
		bruno := storetest.User(t, db, nhri, "bruno@nhri.example", model.RoleOversight)
		chen := storetest.User(t, db, vendor, "chen@beacon.example", model.RoleSupplier)
		p := storetest.Purchase(t, db, joao, "Contact-tracing app")
		if err := db.AddFirewallRule(ctx, store.ActorOf(joao), p, &firewall.Rule{Data: "Proximity keys"}); model.ErrorCode(err) != model.EInvalid {
			t.Fatalf("a rule that bars nothing: %v", err)
		}
		rule := &firewall.Rule{Data: "Proximity keys and warnings", BarredUses: "Policing, quarantine enforcement", BarredParties: "Police; the supplier's analytics",
			Technical: "Keys stay on phones; server holds only diagnosis keys", Contractual: "Clause 12: no other use"}
		if err := db.AddFirewallRule(ctx, store.ActorOf(joao), p, rule); err != nil {
			t.Fatal(err)
		}
		today := model.DateOf(time.Now())
		in := &firewall.Incident{RuleID: rule.ID, OccurredOn: today.AddDays(-3), FoundOn: today.AddDays(-1), Barrier: firewall.Technical,
			What: "A debug export with 2,000 diagnosis keys was readable by the supplier's analytics team.", People: 2000}
		if err := db.ReportFirewallIncident(ctx, store.ActorOf(chen), p, chen.OrgID, in); err != nil {
			t.Fatal(err)
		}
		if in.TaskID == 0 {
			t.Fatal("no task opened")
		}
		tasks, err := db.SignalTasks(ctx, bruno, 20)
		if err != nil || len(tasks) != 1 || !strings.HasPrefix(tasks[0].Title, "Firewall breached: A debug export") {
			t.Fatalf("oversight signals: %+v %v", tasks, err)
		}
		list, err := db.FirewallIncidents(ctx, p.ID)
		if err != nil || len(list) != 1 || !list[0].TaskOpen || list[0].ReportedOrg != "Org beacon" {
			t.Fatalf("incidents: %+v %v", list, err)
		}
		if err := db.CloseTask(ctx, store.ActorOf(joao), p, in.TaskID, "Export deleted; access removed"); err != nil {
			t.Fatal(err)
		}
		if list, _ := db.FirewallIncidents(ctx, p.ID); list[0].TaskOpen {
			t.Fatal("the closed task still shows open")
		}
		bad := &firewall.Incident{RuleID: rule.ID + 999, OccurredOn: today, FoundOn: today, Barrier: firewall.Both, What: "x"}
		if err := db.ReportFirewallIncident(ctx, store.ActorOf(joao), p, joao.OrgID, bad); model.ErrorCode(err) != model.EInvalid {
			t.Fatalf("an incident naming another relationship's rule: %v", err)
		}
		future := &firewall.Incident{OccurredOn: today.AddDays(2), FoundOn: today, Barrier: firewall.Both, What: "x"}
		if err := db.ReportFirewallIncident(ctx, store.ActorOf(joao), p, joao.OrgID, future); model.ErrorCode(err) != model.EInvalid {
			t.Fatalf("an incident in the future: %v", err)
		}
		if f, _ := db.RequirementFacts(ctx, p.ID); f.FirewallRules != 1 {
			t.Fatalf("firewall rules counted: %d", f.FirewallRules)
		}
	})
}

// The public register of emergency measures lists the published ones with
// their continuations and counts the unpublished ones per body.
func TestEmergencyRegister(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		city := storetest.Org(t, db, "city", model.OrgPublicBody)
		rui := storetest.User(t, db, city, "rui@city.example", model.RoleApprover)
		pub := emergency(t, db, rui, -2)
		emergency(t, db, rui, 10)
		if err := db.Publish(ctx, store.ActorOf(rui), pub, true, "An app during the epidemic", nil); err != nil {
			t.Fatal(err)
		}
		list, hidden, err := db.EmergencyRegister(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].Purchase.ID != pub.ID || list[0].Purchase.OrgName != "Org city" {
			t.Fatalf("published measures: %+v", list)
		}
		if len(hidden) != 1 || hidden[0].N != 1 {
			t.Fatalf("unpublished counted: %+v", hidden)
		}
	})
}
