package store_test

import (
	"strings"
	"testing"
	"time"

	"buyright/internal/assessment"
	"buyright/internal/consultation"
	"buyright/internal/model"
	"buyright/internal/screening"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// clock is a test clock the database reads; moving it moves "today".
type clock struct{ t time.Time }

func (c *clock) now() time.Time        { return c.t }
func (c *clock) days(n int)            { c.t = c.t.AddDate(0, 0, n) }
func (c *clock) today() model.Date     { return model.DateOf(c.t) }
func (c *clock) plus(n int) model.Date { return model.DateOf(c.t).AddDays(n) }

func draft(deadline model.Date) *consultation.Consultation {
	return &consultation.Consultation{Deadline: deadline, Formats: []consultation.Format{"easy_read", "meeting"}, Texts: []consultation.Text{
		{Lang: "pt", Title: "Pontuação de risco", Summary: "Resumo", Deciding: "Se e como", Questions: []string{"Que riscos vê?", "Que salvaguardas pede?"}, Use: "Respondemos a cada ponto"},
		{Lang: "en", Title: "Risk scoring", Summary: "Summary", Deciding: "Whether and how", Questions: []string{"What risks do you see?", "What safeguards do you ask for?"}, Use: "We answer each point"},
	}}
}

// A consultation from draft to report, on both databases: the draft is
// guarded by its revision and opens only when ready; responses come only
// while it is open and, from an organisation, only when invited; a public
// response keeps nothing that identifies the person; a response is hidden
// once, with its reason, and never changed; answers group responses; the
// report waits for the deadline and an answer to every visible response,
// then joins the assessment's engagement record and the gate's facts.
func TestConsultationFromDraftToReport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		clk := &clock{time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC)}
		db.Now = clk.now
		city := storetest.Org(t, db, "city", model.OrgPublicBody)
		cso := storetest.Org(t, db, "claimants", model.OrgCivilSociety)
		other := storetest.Org(t, db, "other-cso", model.OrgCivilSociety)
		vendor := storetest.Org(t, db, "vendor", model.OrgSupplier)
		ana := storetest.User(t, db, city, "ana@city.example", model.RoleOfficer)
		marta := storetest.User(t, db, cso, "marta@claimants.example", model.RoleViewer)
		olga := storetest.User(t, db, other, "olga@other.example", model.RoleAdmin)
		p := storetest.Purchase(t, db, ana, "Fraud scoring")
		a := store.ActorOf(ana)
		if err := db.SaveScreening(ctx, a, p, map[string]any{"x": "y"}, screening.Result{Status: screening.StatusComplete, Level: 4}); err != nil {
			t.Fatal(err)
		}
		gate := func(want string) {
			t.Helper()
			f, err := db.ConsultationFacts(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got := consultation.Judge(f, clk.today()); got.Message != want {
				t.Fatalf("gate says %s (%+v), want %s", got.Message, f, want)
			}
		}
		gate("consult.gate.missing")

		c := draft(clk.plus(10))
		if err := db.CreateConsultation(ctx, a, p, c); err != nil {
			t.Fatal(err)
		}
		gate("consult.gate.draft")
		// Opening with a deadline ten days away is refused.
		if err := db.OpenConsultation(ctx, a, c); model.ErrorCode(err) != model.EInvalid {
			t.Fatalf("opened with a short deadline: %v", err)
		}
		c.Deadline = clk.plus(20)
		stale := *c
		if err := db.SaveConsultationDraft(ctx, a, c, c.Formats); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveConsultationDraft(ctx, a, &stale, stale.Formats); model.ErrorCode(err) != model.EConflict {
			t.Fatalf("a stale draft saved over a newer one: %v", err)
		}
		if err := db.OpenConsultation(ctx, a, c); err != nil {
			t.Fatal(err)
		}
		got, err := db.Consultation(ctx, c.ID)
		if err != nil || got.Status != consultation.Open || got.OpenedOn != clk.today() || strings.Join(got.Languages(), ",") != "en,pt" || got.Questions() != 2 || !got.Offers("meeting") {
			t.Fatalf("opened: %+v %v", got, err)
		}
		if pub, _ := db.PublicConsultations(ctx, 10); len(pub) != 1 || pub[0].ID != c.ID {
			t.Fatalf("public list: %v", pub)
		}
		gate("consult.gate.open")

		// Responses: an anonymous person, a named one, an invited
		// organisation with a file; an organisation not invited is refused.
		anon, err := db.AddConsultationResponse(ctx, c, store.ResponseInput{Kind: consultation.Public, Lang: "pt", Answers: []string{"Cortes automáticos", "", "Nada"},
			Lookup: "123456", CodeHash: "hash-a", UserID: marta.ID, OrgID: cso.ID})
		if err != nil {
			t.Fatal(err)
		}
		named, err := db.AddConsultationResponse(ctx, c, store.ResponseInput{Kind: consultation.Public, Lang: "en", Answers: []string{"Letters", "Phone line", ""},
			Lookup: "654321", CodeHash: "hash-b", Seal: func(id int64) []byte { return []byte("sealed for " + string(rune('0'+id%10))) }})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.AddConsultationResponse(ctx, c, store.ResponseInput{Kind: consultation.Organisation, OrgID: other.ID, UserID: olga.ID, Lang: "pt", Answers: []string{"x", "", ""}}); model.ErrorCode(err) != model.EForbidden {
			t.Fatalf("an organisation not invited responded: %v", err)
		}
		if err := db.InviteToConsultation(ctx, a, c, vendor.ID); model.ErrorCode(err) != model.EInvalid {
			t.Fatalf("a supplier was invited: %v", err)
		}
		if err := db.InviteToConsultation(ctx, a, c, cso.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.InviteToConsultation(ctx, a, c, cso.ID); err != nil {
			t.Fatalf("inviting twice: %v", err)
		}
		org, err := db.AddConsultationResponse(ctx, c, store.ResponseInput{Kind: consultation.Organisation, OrgID: cso.ID, UserID: marta.ID, Lang: "pt",
			Answers: []string{"Suspensões sem decisão humana", "Revisão humana", "Ver anexo"}, Lookup: "999999", CodeHash: "ignored",
			Files: []consultation.File{{Name: "parecer.pdf", CType: "application/pdf", Data: []byte("%PDF-1.4 x")}}})
		if err != nil {
			t.Fatal(err)
		}
		// What is stored of the anonymous person: no account, no
		// organisation, no sealed identity, the day only.
		var userID, orgID any
		var identity []byte
		var received string
		if err := db.RawDB().QueryRow("SELECT user_id, org_id, identity, received_on FROM consultation_responses WHERE id = $1", anon).Scan(&userID, &orgID, &identity, &received); err != nil {
			t.Fatal(err)
		}
		// The clock says 10:00; only the day may be kept.
		if userID != nil || orgID != nil || identity != nil || !strings.HasPrefix(received, "2027-03-01") || strings.Contains(received, "10:00") {
			t.Fatalf("stored of an anonymous response: user %v org %v identity %q day %q", userID, orgID, identity, received)
		}
		var actorID any
		var actor, detail string
		if err := db.RawDB().QueryRow("SELECT actor_id, actor, detail FROM audit_log WHERE action = 'consultation_response' ORDER BY id LIMIT 1").Scan(&actorID, &actor, &detail); err != nil {
			t.Fatal(err)
		}
		if actorID != nil || actor != "public" || strings.Contains(detail, "marta") {
			t.Fatalf("audit of an anonymous response: %v %q %s", actorID, actor, detail)
		}
		if b, _ := db.ResponseIdentity(ctx, named); !strings.HasPrefix(string(b), "sealed for") {
			t.Fatalf("named response identity: %q", b)
		}
		if codes, _ := db.ResponsesByLookup(ctx, "999999"); len(codes) != 0 {
			t.Fatal("an organisation's response got a receipt code")
		}
		if codes, _ := db.ResponsesByLookup(ctx, "123456"); len(codes) != 1 || codes[0].ID != anon || codes[0].CodeHash != "hash-a" {
			t.Fatalf("lookup: %+v", codes)
		}
		mine, _ := db.OrgResponses(ctx, cso.ID)
		if len(mine) != 1 || mine[0].ID != org || mine[0].OrgName != "Org claimants" || len(mine[0].Files) != 1 || mine[0].Files[0].Name != "parecer.pdf" {
			t.Fatalf("organisation's responses: %+v", mine)
		}
		if f, err := db.ConsultationFile(ctx, anon, mine[0].Files[0].ID); model.ErrorCode(err) != model.ENotFound {
			t.Fatalf("a file read through another response: %v %v", f, err)
		}

		// Hiding: a rule and a reason, once; the words stay.
		if err := db.HideResponse(ctx, a, c, named, "disagrees", "Not what we wanted to hear"); model.ErrorCode(err) != model.EInvalid {
			t.Fatalf("hidden for disagreeing: %v", err)
		}
		if err := db.HideResponse(ctx, a, c, named, "personal_data", "Names a caseworker and her home address."); err != nil {
			t.Fatal(err)
		}
		if err := db.HideResponse(ctx, a, c, named, "spam", "Changing the reason afterwards."); model.ErrorCode(err) != model.EConflict {
			t.Fatalf("hidden twice: %v", err)
		}
		h, _ := db.ConsultationResponse(ctx, named)
		if h.Visible() || h.Hidden.Rule != "personal_data" || h.Hidden.Reason != "Names a caseworker and her home address." || h.Answers[0] != "Letters" {
			t.Fatalf("hidden response: %+v %+v", h, h.Hidden)
		}

		// Answers: one answer for two responses; the report waits.
		ans := &consultation.Answer{Said: "Scores must not stop payments", Outcome: consultation.Changed, Did: "Automatic suspension removed"}
		if err := db.SaveAnswer(ctx, a, c, ans, []int64{anon}); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveAnswer(ctx, a, c, &consultation.Answer{Said: "x", Outcome: consultation.Changed, Did: "y"}, []int64{999999}); model.ErrorCode(err) != model.EInvalid {
			t.Fatalf("answered a response of no consultation: %v", err)
		}
		ans.Outcome, ans.WhyNot = consultation.Partly, "Staff still check the highest scores first"
		if err := db.SaveAnswer(ctx, a, c, ans, []int64{anon, org}); err != nil {
			t.Fatal(err)
		}
		answers, _ := db.ConsultationAnswers(ctx, c.ID)
		if len(answers) != 1 || len(answers[0].Responses) != 2 || answers[0].Outcome != consultation.Partly || answers[0].By != "ana@city.example" {
			t.Fatalf("answers: %+v", answers)
		}
		e := assessment.Engagement{Who: "Public consultation", How: "Online", When: clk.plus(21).String(), Raised: "Scores must not stop payments", Answer: "Suspension removed"}
		if err := db.SaveReportWords(ctx, a, c, map[string]string{"en": "We heard you", "pt": "Ouvimos"}); err != nil {
			t.Fatal(err)
		}
		if err := db.PublishConsultationReport(ctx, a, p, c, e, "h"); model.ErrorCode(err) != model.EInvalid {
			t.Fatalf("report published while open: %v", err)
		}
		// After the deadline no response is taken.
		clk.days(21)
		if _, err := db.AddConsultationResponse(ctx, c, store.ResponseInput{Kind: consultation.Public, Lang: "en", Answers: []string{"late", "", ""}}); model.ErrorCode(err) != model.EConflict {
			t.Fatalf("a late response was taken: %v", err)
		}
		gate("consult.gate.no_report")
		if err := db.PublishConsultationReport(ctx, a, p, c, e, "h"); err != nil {
			t.Fatal(err)
		}
		gate("consult.gate.reported")
		if err := db.SaveAnswer(ctx, a, c, ans, []int64{anon}); model.ErrorCode(err) != model.EInvalid {
			t.Fatalf("an answer changed after the report: %v", err)
		}
		v, _ := db.Assessment(ctx, p.ID)
		if len(v.Doc.Engagements) != 1 || v.Doc.Engagements[0].State() != assessment.Held || v.Doc.Engagements[0].Source != consultation.EngagementSource(c.ID) {
			t.Fatalf("engagement record: %+v", v.Doc.Engagements)
		}
		facts, _ := db.RequirementFacts(ctx, p.ID)
		if facts.Held != 1 {
			t.Fatalf("the evidence check does not see the report as a held engagement: %d", facts.Held)
		}
		got, _ = db.Consultation(ctx, c.ID)
		if got.Status != consultation.Reported || got.ReportedAt.IsZero() || got.Texts[1].Report != "Ouvimos" {
			t.Fatalf("reported: %+v", got)
		}
		if inv, _ := db.OrgInvitations(ctx, cso.ID); len(inv) != 1 {
			t.Fatalf("invitations of the organisation: %v", inv)
		}
		if _, _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

// The reason for holding no consultation opens the gate and is kept with
// who gave it; a reason too short to weigh is refused.
func TestConsultationWaiver(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		city := storetest.Org(t, db, "city", model.OrgPublicBody)
		rui := storetest.User(t, db, city, "rui@city.example", model.RoleApprover)
		p := storetest.Purchase(t, db, rui, "Laptops")
		if err := db.SaveScreening(ctx, store.ActorOf(rui), p, map[string]any{"x": "y"}, screening.Result{Status: screening.StatusComplete, Level: 3}); err != nil {
			t.Fatal(err)
		}
		if err := db.RecordConsultationWaiver(ctx, store.ActorOf(rui), p, "no"); model.ErrorCode(err) != model.EInvalid {
			t.Fatalf("short reason: %v", err)
		}
		if err := db.RecordConsultationWaiver(ctx, store.ActorOf(rui), p, "The national consultation on school devices of 2026 covered this purchase."); err != nil {
			t.Fatal(err)
		}
		f, _ := db.ConsultationFacts(ctx, p.ID)
		if r := consultation.Judge(f, model.DateOf(time.Now())); !r.Passed || r.Message != "consult.gate.waived" || f.Waiver.By != "rui@city.example" {
			t.Fatalf("%+v %+v", r, f.Waiver)
		}
	})
}

// Following a published purchase, being named in a meeting, and what a
// civil-society organisation's people are told of, once each.
func TestFollowMeetingsAndNews(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		clk := &clock{time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC)}
		db.Now = clk.now
		city := storetest.Org(t, db, "city", model.OrgPublicBody)
		nhri := storetest.Org(t, db, "nhri", model.OrgOversight)
		cso := storetest.Org(t, db, "claimants", model.OrgCivilSociety)
		vendor := storetest.Org(t, db, "vendor", model.OrgSupplier)
		ana := storetest.User(t, db, city, "ana@city.example", model.RoleOfficer)
		rui := storetest.User(t, db, city, "rui@city.example", model.RoleApprover)
		bruno := storetest.User(t, db, nhri, "bruno@nhri.example", model.RoleOversight)
		marta := storetest.User(t, db, cso, "marta@claimants.example", model.RoleViewer)
		p := storetest.Purchase(t, db, ana, "Fraud scoring")
		a := store.ActorOf(ana)
		if err := db.Follow(ctx, store.ActorOf(marta), marta, p.ID); model.ErrorCode(err) != model.ENotFound {
			t.Fatalf("followed an unpublished purchase: %v", err)
		}
		if err := db.Publish(ctx, a, p, true, "Plain words", nil); err != nil {
			t.Fatal(err)
		}
		// A finding published before she follows is old news.
		if _, err := db.PublishFinding(ctx, store.ActorOf(bruno), bruno, p, "Before", "Old"); err != nil {
			t.Fatal(err)
		}
		clk.days(1)
		if err := db.Follow(ctx, store.ActorOf(marta), marta, p.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.Follow(ctx, store.ActorOf(marta), marta, p.ID); err != nil {
			t.Fatalf("following twice: %v", err)
		}
		olga := storetest.User(t, db, storetest.Org(t, db, "other-cso", model.OrgCivilSociety), "olga@other.example", model.RoleAdmin)
		if err := db.Follow(ctx, store.ActorOf(olga), olga, p.ID); err != nil {
			t.Fatal(err)
		}
		if f, _ := db.Following(ctx, marta.ID); len(f) != 1 || f[0].Title != "Fraud scoring" {
			t.Fatalf("following: %+v", f)
		}
		clk.days(1)
		// Named in a meeting: the organisation sees it; a supplier named by
		// mistake is not recorded.
		if _, err := db.EditAssessment(ctx, a, p, "engagement", "h", func(d *assessment.Doc) error {
			d.Engagements = append(d.Engagements, assessment.Engagement{ID: d.NewID(), Status: assessment.Held, Who: "Claimants", When: "2027-03-02", Raised: "Suspensions", Participants: []int64{cso.ID, vendor.ID}})
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if m, _ := db.OrgMeetings(ctx, cso.ID); len(m) != 1 || m[0].Engagement.Raised != "Suspensions" || m[0].PurchaseTitle != "Fraud scoring" {
			t.Fatalf("meetings: %+v", m)
		}
		if m, _ := db.OrgMeetings(ctx, vendor.ID); len(m) != 0 {
			t.Fatalf("a supplier recorded as a participant: %+v", m)
		}
		if err := db.SignOffAssessment(ctx, store.ActorOf(rui), p, 1, "2030-01-01", func(*store.AssessmentVersion) ([]byte, []string, error) { return []byte("{}"), nil, nil }); err != nil {
			t.Fatal(err)
		}
		if _, err := db.PublishFinding(ctx, store.ActorOf(bruno), bruno, p, "After", "New"); err != nil {
			t.Fatal(err)
		}
		c := draft(clk.plus(30))
		if err := db.CreateConsultation(ctx, a, p, c); err != nil {
			t.Fatal(err)
		}
		if err := db.OpenConsultation(ctx, a, c); err != nil {
			t.Fatal(err)
		}
		if err := db.InviteToConsultation(ctx, a, c, cso.ID); err != nil {
			t.Fatal(err)
		}
		news, err := db.ParticipationNews(ctx, clk.now())
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]int{}
		for _, n := range news {
			kinds[n.To+" "+n.Kind]++
			if n.To != "marta@claimants.example" && n.To != "olga@other.example" {
				t.Errorf("news to %s", n.To)
			}
			if n.Kind == "follow_finding" && n.What != "After" {
				t.Errorf("old finding announced: %+v", n)
			}
			if n.Kind == "consult_invited" && (n.What != "Risk scoring" || n.Due != c.Deadline) {
				t.Errorf("invitation: %+v", n)
			}
		}
		// Marta, invited and following, hears of the consultation once, by
		// its invitation; Olga, following only, hears that it opened.
		want := map[string]int{"marta@claimants.example follow_finding": 1, "marta@claimants.example follow_version": 1, "marta@claimants.example consult_invited": 1,
			"olga@other.example follow_finding": 1, "olga@other.example follow_version": 1, "olga@other.example follow_consultation": 1}
		if len(kinds) != len(want) {
			t.Fatalf("news: %v", kinds)
		}
		for k, n := range want {
			if kinds[k] != n {
				t.Fatalf("news: %v", kinds)
			}
		}
		// A month and a half later, nothing of that is news any more.
		clk.days(45)
		if news, _ := db.ParticipationNews(ctx, clk.now()); len(news) != 0 {
			t.Fatalf("old news: %+v", news)
		}
		if err := db.Unfollow(ctx, store.ActorOf(marta), marta, p.ID); err != nil {
			t.Fatal(err)
		}
		if f, _ := db.Following(ctx, marta.ID); len(f) != 0 {
			t.Fatalf("still following: %+v", f)
		}
	})
}
