package store_test

import (
	"slices"
	"testing"
	"time"

	"buyright/internal/access"
	"buyright/internal/lawmap"
	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// labNet is a small network: a site administrator, a supplier with its
// administrator and an employee, a city with its administrator and an
// officer, a research institute with a researcher and a reviewer (her
// colleague), an NHRI reviewer, a claimants' association editor, and a
// lead of the electronics hub.
type labNet struct {
	site, vendorAdmin, vendorStaff, cityAdmin, cityOfficer  *model.User
	researcher, instReviewer, nhriReviewer, editor, hubLead *model.User
}

func newLabNet(t *testing.T, db *store.DB) *labNet {
	t.Helper()
	ops := storetest.Org(t, db, "operators", model.OrgCivilSociety)
	site := &model.User{OrgID: ops.ID, Email: "site@ops.example", Name: "Site admin", Role: model.RoleAdmin, SiteAdmin: true}
	if err := db.CreateUser(ctx, store.System, site, "!"); err != nil {
		t.Fatal(err)
	}
	site.Org = ops
	vendor := storetest.Org(t, db, "vendor", model.OrgSupplier)
	city := storetest.Org(t, db, "city", model.OrgPublicBody)
	inst := storetest.Org(t, db, "institute", model.OrgCivilSociety)
	nhri := storetest.Org(t, db, "nhri", model.OrgOversight)
	cso := storetest.Org(t, db, "claimants", model.OrgCivilSociety)
	n := &labNet{
		site:         site,
		vendorAdmin:  storetest.User(t, db, vendor, "admin@vendor.example", model.RoleAdmin),
		vendorStaff:  storetest.User(t, db, vendor, "staff@vendor.example", model.RoleSupplier),
		cityAdmin:    storetest.User(t, db, city, "admin@city.example", model.RoleAdmin),
		cityOfficer:  storetest.User(t, db, city, "officer@city.example", model.RoleOfficer),
		researcher:   storetest.User(t, db, inst, "researcher@inst.example", model.RoleViewer),
		instReviewer: storetest.User(t, db, inst, "reviewer@inst.example", model.RoleViewer),
		nhriReviewer: storetest.User(t, db, nhri, "reviewer@nhri.example", model.RoleOversight),
		editor:       storetest.User(t, db, cso, "editor@cso.example", model.RoleViewer),
		hubLead:      storetest.User(t, db, cso, "hub@cso.example", model.RoleViewer),
	}
	for _, x := range []struct {
		u    *model.User
		role access.LabRole
		hub  string
	}{
		{n.instReviewer, access.LabReviewer, ""}, {n.nhriReviewer, access.LabReviewer, ""},
		{n.editor, access.LabEditor, ""}, {n.hubLead, access.LabHubLead, "electronics"},
	} {
		if _, err := db.AppointLabRole(ctx, store.ActorOf(site), x.u.Email, x.role, x.hub); err != nil {
			t.Fatalf("appointing %s: %v", x.u.Email, err)
		}
	}
	if err := seedJurisdictions(db); err != nil {
		t.Fatal(err)
	}
	return n
}

func seedJurisdictions(db *store.DB) error {
	_, err := db.SeedLawmap(ctx, store.System, &lawmap.Seed{Jurisdictions: []lawmap.Jurisdiction{{Code: "PT", Name: "Portugal", Kind: "country"}, {Code: "EU", Name: "European Union", Kind: "bloc"}}})
	return err
}

func ptAnswer(answer string) *store.LawAnswer {
	return &store.LawAnswer{Answer: lawmap.Answer{Jurisdiction: "PT", Question: "LM-EXCL-HR", Answer: answer, Explanation: "Explained.", AsOf: "2025-01-01",
		Citations: []lawmap.Citation{{Instrument: "A statute"}}}}
}

// refusedFor checks err is a refusal with the given reason key.
func refusedFor(t *testing.T, err error, key, what string) {
	t.Helper()
	e, ok := err.(*model.Error)
	if !ok || e.Code != model.EForbidden || e.Key != key {
		t.Errorf("%s: got %v, want a refusal %q", what, err, key)
	}
}

func TestLabRolesAreGivenByTheNetworkOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		n := newLabNet(t, db)
		// An organisation's administrator, a supplier's included, gives nobody a Lab role.
		for _, who := range []*model.User{n.cityAdmin, n.vendorAdmin, n.researcher} {
			_, err := db.AppointLabRole(ctx, store.ActorOf(who), n.cityOfficer.Email, access.LabReviewer, "")
			refusedFor(t, err, "lab.roles.not_appointer", who.Email+" appoints")
		}
		fieldErr := func(err error, field, key, what string) {
			t.Helper()
			if e, ok := err.(*model.Error); !ok || e.Fields[field] != key {
				t.Errorf("%s: got %v, want %s on %s", what, err, key, field)
			}
		}
		_, err := db.AppointLabRole(ctx, store.ActorOf(n.site), n.site.Email, access.LabEditor, "")
		fieldErr(err, "email", "lab.roles.no_self", "site administrator appoints themselves")
		_, err = db.AppointLabRole(ctx, store.ActorOf(n.site), n.vendorStaff.Email, access.LabReviewer, "")
		fieldErr(err, "email", "lab.roles.no_supplier", "supplier's employee appointed")
		_, err = db.AppointLabRole(ctx, store.ActorOf(n.site), "nobody@nowhere.example", access.LabReviewer, "")
		fieldErr(err, "email", "lab.roles.no_account", "unknown address")
		_, err = db.AppointLabRole(ctx, store.ActorOf(n.site), n.nhriReviewer.Email, access.LabReviewer, "")
		fieldErr(err, "email", "lab.roles.already", "appointed twice")
		_, err = db.AppointLabRole(ctx, store.ActorOf(n.site), n.cityOfficer.Email, access.LabHubLead, "")
		fieldErr(err, "lab_hub", "lab.roles.hub_needed", "hub lead of no hub")
		_, err = db.AppointLabRole(ctx, store.ActorOf(n.site), n.cityOfficer.Email, "judge", "")
		fieldErr(err, "lab_role", "invalid.choice", "unknown role")

		// A network lead appoints reviewers but not other leads.
		if _, err := db.AppointLabRole(ctx, store.ActorOf(n.site), n.cityAdmin.Email, access.LabLead, ""); err != nil {
			t.Fatal(err)
		}
		rec, err := db.AppointLabRole(ctx, store.ActorOf(n.cityAdmin), n.cityOfficer.Email, access.LabReviewer, "")
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.AppointLabRole(ctx, store.ActorOf(n.cityAdmin), n.researcher.Email, access.LabLead, "")
		refusedFor(t, err, "lab.roles.leads_by_site", "a lead appoints a lead")
		if g, _ := db.LabGrants(ctx, n.cityOfficer.ID); !slices.Contains(g, access.LabGrant{Role: access.LabReviewer}) {
			t.Fatalf("grants after appointment: %v", g)
		}
		if err := db.RemoveLabRole(ctx, store.ActorOf(n.researcher), rec.ID); model.ErrorCode(err) != model.EForbidden {
			t.Errorf("a researcher removes a role: %v", err)
		}
		if err := db.RemoveLabRole(ctx, store.ActorOf(n.cityAdmin), rec.ID); err != nil {
			t.Fatal(err)
		}
		if g, _ := db.LabGrants(ctx, n.cityOfficer.ID); len(g) != 0 {
			t.Errorf("removed role still held: %v", g)
		}
		refusedFor(t, db.RemoveLabRole(ctx, store.ActorOf(n.cityAdmin), rec.ID), "lab.roles.not_active", "removed twice")
		if err := db.RemoveLabRole(ctx, store.ActorOf(n.site), 999999); model.ErrorCode(err) != model.ENotFound {
			t.Errorf("unknown role: %v", err)
		}
		// The history keeps who appointed and who removed, and the audit log has both.
		recs, err := db.LabRoleRecords(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var ended *store.LabRoleRecord
		for _, r := range recs {
			if r.ID == rec.ID {
				ended = r
			}
		}
		if ended == nil || ended.RemovedAt == nil || ended.AppointedBy != n.cityAdmin.Name || ended.RemovedBy != n.cityAdmin.Name || ended.Org != "Org city" {
			t.Errorf("history of the ended role: %+v", ended)
		}
		if e, _ := db.AuditFor(ctx, "lab_role", rec.ID, 10); len(e) != 2 || e[0].Action != "remove" || e[1].Action != "appoint" {
			t.Errorf("audit of the role: %+v", e)
		}
		// The removed reviewer no longer reviews.
		x := ptAnswer("yes")
		if err := db.CreateLawAnswer(ctx, store.ActorOf(n.researcher), x); err != nil {
			t.Fatal(err)
		}
		if err := db.ReviewLawAnswer(ctx, store.ActorOf(n.cityOfficer), x.ID); model.ErrorCode(err) != model.EForbidden {
			t.Errorf("review after removal: %v", err)
		}
	})
}

// The outside probe's case and its neighbours: a supplier's employee
// proposes an answer for Portugal, the supplier's own administrator approves
// it; a reviewer approves their own answer; a colleague approves it. Each is
// refused, and nothing reaches the public map until a reviewer from another
// organisation approves and an editor publishes.
func TestLabReviewRefusesSupplierSelfAndColleagues(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		n := newLabNet(t, db)
		bogus := ptAnswer("no")
		if err := db.CreateLawAnswer(ctx, store.ActorOf(n.vendorStaff), bogus); err != nil {
			t.Fatal(err)
		}
		if err := db.ReviewLawAnswer(ctx, store.ActorOf(n.vendorAdmin), bogus.ID); model.ErrorCode(err) != model.EForbidden {
			t.Errorf("supplier's administrator approves: %v", err)
		}
		for _, who := range []*model.User{n.vendorAdmin, n.cityAdmin, n.site} {
			if err := db.PublishLawAnswer(ctx, store.ActorOf(who), bogus.ID); model.ErrorCode(err) != model.EForbidden {
				t.Errorf("%s publishes: %v", who.Email, err)
			}
		}
		if err := db.ReviewLawAnswer(ctx, store.System, bogus.ID); model.ErrorCode(err) != model.EForbidden {
			t.Errorf("the system approves: %v", err)
		}
		// A supplier's answer may still be proposed and reviewed by the network.
		if err := db.ReturnLawAnswer(ctx, store.ActorOf(n.nhriReviewer), bogus.ID, "The act cited does not exist."); err != nil {
			t.Fatal(err)
		}

		own := ptAnswer("yes")
		if err := db.CreateLawAnswer(ctx, store.ActorOf(n.nhriReviewer), own); err != nil {
			t.Fatal(err)
		}
		refusedFor(t, db.ReviewLawAnswer(ctx, store.ActorOf(n.nhriReviewer), own.ID), access.LabOwnWork, "self-review")
		refusedFor(t, db.ReturnLawAnswer(ctx, store.ActorOf(n.nhriReviewer), own.ID, "x"), access.LabOwnWork, "self-return")

		mine := ptAnswer("partly")
		if err := db.CreateLawAnswer(ctx, store.ActorOf(n.researcher), mine); err != nil {
			t.Fatal(err)
		}
		refusedFor(t, db.ReviewLawAnswer(ctx, store.ActorOf(n.instReviewer), mine.ID), access.LabColleagueWork, "a colleague's review")
		if err := db.PublishLawAnswer(ctx, store.ActorOf(n.editor), mine.ID); model.ErrorCode(err) != model.ENotFound {
			t.Errorf("an editor publishes an unreviewed answer: %v", err)
		}
		if err := db.ReviewLawAnswer(ctx, store.ActorOf(n.nhriReviewer), mine.ID); err != nil {
			t.Fatal(err)
		}
		if all, _ := db.ApprovedLawAnswers(ctx); len(all) != 0 {
			t.Fatalf("reviewed but unpublished answers are public: %d", len(all))
		}
		if err := db.PublishLawAnswer(ctx, store.ActorOf(n.nhriReviewer), mine.ID); model.ErrorCode(err) != model.EForbidden {
			t.Errorf("a reviewer publishes: %v", err)
		}
		if err := db.PublishLawAnswer(ctx, store.ActorOf(n.editor), mine.ID); err != nil {
			t.Fatal(err)
		}
		all, err := db.ApprovedLawAnswers(ctx)
		if err != nil || len(all) != 1 {
			t.Fatalf("public answers %d: %v", len(all), err)
		}
		a := all[0]
		if a.ID != mine.ID || a.ContributorOrg != "Org institute" || a.ReviewerName != n.nhriReviewer.Name || a.ReviewerOrg != "Org nhri" || !a.Reviewed() || a.ReviewedOn() == "" || a.Starting {
			t.Errorf("public answer does not say who gave and who checked it: %+v", a)
		}
		// Drafts: each organisation reads its own; the queue holds them all.
		vendorOwn, _ := db.UnpublishedLawAnswers(ctx, n.vendorStaff.OrgID)
		if len(vendorOwn) != 1 || vendorOwn[0].ID != bogus.ID || vendorOwn[0].Status != store.LawReturned || vendorOwn[0].ReviewNote != "The act cited does not exist." {
			t.Errorf("the supplier's own proposals: %+v", vendorOwn)
		}
		if queue, _ := db.UnpublishedLawAnswers(ctx, 0); len(queue) != 2 {
			t.Errorf("the queue: %d answers, want the returned and the self-reviewed one", len(queue))
		}
		if e, _ := db.AuditFor(ctx, "law_answer", mine.ID, 10); len(e) != 3 || e[0].Action != "publish" || e[1].Action != "review" {
			t.Errorf("audit of the answer: %+v", e)
		}
		// A person's answer is never stored as published starting content.
		sneaky := ptAnswer("yes")
		sneaky.Starting, sneaky.Status = true, store.LawApproved
		if err := db.CreateLawAnswer(ctx, store.ActorOf(n.editor), sneaky); err != nil || sneaky.Status != store.LawDraft || sneaky.Starting {
			t.Errorf("a person's answer stored as %s, starting %v: %v", sneaky.Status, sneaky.Starting, err)
		}
	})
}

func TestLabPracticeReviewByHubLeadAndEditor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		n := newLabNet(t, db)
		p := testPractice("Factory lists in laptop contracts", "electronics", model.StageContract)
		if err := db.CreatePractice(ctx, store.ActorOf(n.cityOfficer), p, true); model.ErrorCode(err) != model.EForbidden {
			t.Fatalf("a person publishes their own practice directly: %v", err)
		}
		p.AuthorOrg = n.vendorStaff.OrgID // whatever the caller says, the author's own organisation is recorded
		if err := db.CreatePractice(ctx, store.ActorOf(n.cityOfficer), p, false); err != nil {
			t.Fatal(err)
		}
		if p.AuthorOrg != n.cityOfficer.OrgID {
			t.Fatalf("author organisation %d", p.AuthorOrg)
		}
		refusedFor(t, db.ReviewPractice(ctx, store.ActorOf(n.cityOfficer), p.ID), "lab.refused.role", "the author approves without a role")
		if err := db.ReviewPractice(ctx, store.ActorOf(n.cityAdmin), p.ID); model.ErrorCode(err) != model.EForbidden {
			t.Errorf("the author's administrator approves: %v", err)
		}
		other := testPractice("Guards vetted by a code of conduct", "private_security", model.StageTenderDesign)
		if err := db.CreatePractice(ctx, store.ActorOf(n.researcher), other, false); err != nil {
			t.Fatal(err)
		}
		if err := db.ReviewPractice(ctx, store.ActorOf(n.hubLead), other.ID); model.ErrorCode(err) != model.EForbidden {
			t.Errorf("the electronics hub lead approves a security practice: %v", err)
		}
		refusedFor(t, db.ReturnPractice(ctx, store.ActorOf(n.instReviewer), other.ID, "more"), access.LabColleagueWork, "a colleague returns")
		if err := db.ReviewPractice(ctx, store.ActorOf(n.hubLead), p.ID); err != nil {
			t.Fatal(err)
		}
		if res, _ := db.SearchPractices(ctx, store.PracticeQuery{Text: "factory"}); len(res.Practices) != 0 {
			t.Fatal("approved but unpublished practice is public")
		}
		if err := db.PublishPractice(ctx, store.ActorOf(n.hubLead), p.ID); model.ErrorCode(err) != model.EForbidden {
			t.Errorf("a hub lead publishes: %v", err)
		}
		if err := db.PublishPractice(ctx, store.ActorOf(n.editor), other.ID); model.ErrorCode(err) != model.ENotFound {
			t.Errorf("an editor publishes an unreviewed practice: %v", err)
		}
		if err := db.PublishPractice(ctx, store.ActorOf(n.editor), p.ID); err != nil {
			t.Fatal(err)
		}
		res, _ := db.SearchPractices(ctx, store.PracticeQuery{Text: "factory"})
		if len(res.Practices) != 1 || res.Practices[0].ReviewerName != n.hubLead.Name || res.Practices[0].AuthorOrgName != "Org city" {
			t.Fatalf("published practice: %+v", res.Practices)
		}
		// The author's organisation edits a returned practice; nobody else does.
		if err := db.ReturnPractice(ctx, store.ActorOf(n.nhriReviewer), other.ID, "Cite the contract."); err != nil {
			t.Fatal(err)
		}
		if ret, _ := db.ReturnedPractices(ctx, n.researcher.OrgID); len(ret) != 1 || ret[0].ReviewNote != "Cite the contract." {
			t.Errorf("returned practices: %+v", ret)
		}
		other.Evidence = "The contract clause."
		if err := db.UpdatePractice(ctx, store.ActorOf(n.nhriReviewer), other); model.ErrorCode(err) != model.ENotFound {
			t.Errorf("a reviewer edits someone's practice: %v", err)
		}
		if err := db.UpdatePractice(ctx, store.ActorOf(n.instReviewer), other); err != nil {
			t.Errorf("a colleague of the author edits it: %v", err)
		}
		if own, _ := db.UnpublishedPractices(ctx, n.researcher.OrgID); len(own) != 1 || own[0].Status != store.PracticeDraft || own[0].Evidence != "The contract clause." {
			t.Errorf("the institute's proposals: %+v", own)
		}
	})
}

func TestLabEditorsKeepJurisdictionsAndQuestionsWithHistory(t *testing.T) {
	builtin, err := lawmap.Load()
	if err != nil {
		t.Fatal(err)
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		n := newLabNet(t, db)
		es := lawmap.Jurisdiction{Code: "ES", Name: "Spain", Kind: "country"}
		for _, who := range []*model.User{n.site, n.nhriReviewer, n.cityAdmin} {
			if _, err := db.PutJurisdiction(ctx, store.ActorOf(who), es); model.ErrorCode(err) != model.EForbidden {
				t.Errorf("%s adds a jurisdiction: %v", who.Email, err)
			}
		}
		if created, err := db.PutJurisdiction(ctx, store.ActorOf(n.editor), es); err != nil || !created {
			t.Fatalf("editor adds Spain: %v %v", created, err)
		}
		if _, err := db.PutJurisdiction(ctx, store.ActorOf(n.editor), lawmap.Jurisdiction{Code: "es", Name: "", Kind: "planet"}); model.ErrorCode(err) != model.EInvalid {
			t.Errorf("bad jurisdiction: %v", err)
		}
		if _, err := db.PutJurisdiction(ctx, store.ActorOf(n.editor), lawmap.Jurisdiction{Code: "PT", Name: "Portuguese Republic", Kind: "country"}); err != nil {
			t.Fatal(err)
		}
		// Loading the starting content again does not undo the editor's work.
		if err := seedJurisdictions(db); err != nil {
			t.Fatal(err)
		}
		js, _ := db.Jurisdictions(ctx)
		names := map[string]string{}
		for _, j := range js {
			names[j.Code] = j.Name
		}
		if names["PT"] != "Portuguese Republic" || names["ES"] != "Spain" {
			t.Errorf("jurisdictions: %v", names)
		}

		q := lawmap.QuestionDef{ID: "LM-WHISTLE", Group: "LM-G-OVERSIGHT", Title: map[string]string{"en": "Are whistleblowers in suppliers protected?"}, Help: "Look for a whistleblowing law."}
		if err := db.PutLabQuestion(ctx, store.ActorOf(n.nhriReviewer), builtin, q, true); model.ErrorCode(err) != model.EForbidden {
			t.Errorf("a reviewer adds a question: %v", err)
		}
		if err := db.PutLabQuestion(ctx, store.ActorOf(n.editor), builtin, q, true); err != nil {
			t.Fatal(err)
		}
		if err := db.PutLabQuestion(ctx, store.ActorOf(n.editor), builtin, q, true); model.ErrorCode(err) != model.EInvalid {
			t.Errorf("the same identifier twice: %v", err)
		}
		award, _ := builtin.Def("LM-AWARD")
		award.Title["pt"] = "A lei permite critérios sociais na adjudicação?"
		if err := db.PutLabQuestion(ctx, store.ActorOf(n.editor), builtin, award, false); err != nil {
			t.Fatal(err)
		}
		defs, err := db.LabQuestionDefs(ctx)
		if err != nil || len(defs) != 2 {
			t.Fatalf("saved questions %+v: %v", defs, err)
		}
		cur := builtin.With(defs)
		if it, ok := cur.Question("LM-WHISTLE"); !ok || it.Parent != "LM-G-OVERSIGHT" || len(it.Options) != 4 {
			t.Errorf("new question in the questionnaire: %+v", it)
		}
		if it, _ := cur.Question("LM-AWARD"); it.Title.In("pt") != "A lei permite critérios sociais na adjudicação?" || it.Title.In("fr") == "" {
			t.Errorf("reworded question: %+v", it.Title)
		}
		// A respondent may now answer the new question.
		x := &store.LawAnswer{Answer: lawmap.Answer{Jurisdiction: "ES", Question: "LM-WHISTLE", Answer: "yes", Explanation: "A law protects them.", AsOf: "2024-01-01", Judgement: true}}
		if fe := lawmap.Check(cur, &x.Answer, time.Now()); len(fe) != 0 {
			t.Errorf("answer to the new question: %v", fe)
		}

		h, err := db.LabMapHistory(ctx, "", 50)
		if err != nil {
			t.Fatal(err)
		}
		var sawRename, sawReword, sawAdd bool
		for _, c := range h {
			switch {
			case c.Code == "PT" && c.Action == "edit":
				sawRename = c.Changes["name"].Old == "Portugal" && c.Changes["name"].New == "Portuguese Republic" && c.Actor == n.editor.Email
			case c.Code == "LM-AWARD" && c.Action == "edit":
				sawReword = c.Changes["title_pt"].New == "A lei permite critérios sociais na adjudicação?" && len(c.Changes) == 1
			case c.Code == "LM-WHISTLE" && c.Action == "create":
				sawAdd = c.Created["title_en"] == "Are whistleblowers in suppliers protected?" && c.Kind == "lab_question"
			}
		}
		if !sawRename || !sawReword || !sawAdd {
			t.Errorf("history: rename %v, reword %v, add %v\n%+v", sawRename, sawReword, sawAdd, h)
		}
		if only, _ := db.LabMapHistory(ctx, "LM-AWARD", 50); len(only) != 1 {
			t.Errorf("history of one question: %+v", only)
		}
	})
}

func TestLabSeedAnswersSayWhetherAnyoneReviewedThem(t *testing.T) {
	q, err := lawmap.Load()
	if err != nil {
		t.Fatal(err)
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		n := newLabNet(t, db)
		seed := &lawmap.Seed{Jurisdictions: []lawmap.Jurisdiction{{Code: "PT", Name: "Portugal", Kind: "country"}},
			Answers: []lawmap.Answer{{Jurisdiction: "PT", Question: "LM-DPA", Answer: "yes", Explanation: "x", AsOf: "2019-08-08", Citations: []lawmap.Citation{{Instrument: "A law"}}}}}
		if fe := lawmap.Check(q, &seed.Answers[0], time.Now()); len(fe) != 0 {
			t.Fatal(fe)
		}
		if _, err := db.SeedLawmap(ctx, store.System, seed); err != nil {
			t.Fatal(err)
		}
		all, _ := db.ApprovedLawAnswers(ctx)
		if len(all) != 1 || !all[0].Starting || all[0].Reviewed() || all[0].ContributorOrg != "" {
			t.Fatalf("seed answer: %+v", all)
		}
		id := all[0].ID
		if err := db.ConfirmSeedAnswer(ctx, store.ActorOf(n.editor), id); model.ErrorCode(err) != model.EForbidden {
			t.Errorf("an editor confirms a seed answer: %v", err)
		}
		if err := db.ConfirmSeedAnswer(ctx, store.ActorOf(n.instReviewer), id); err != nil {
			t.Fatal(err)
		}
		if err := db.ConfirmSeedAnswer(ctx, store.ActorOf(n.nhriReviewer), id); model.ErrorCode(err) != model.ENotFound {
			t.Errorf("confirmed twice: %v", err)
		}
		a, _ := db.LawAnswerByID(ctx, id)
		if !a.Reviewed() || a.ReviewerOrg != "Org institute" || a.Status != store.LawApproved {
			t.Errorf("confirmed seed answer: %+v", a)
		}
	})
}
