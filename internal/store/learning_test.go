package store_test

import (
	"fmt"
	"testing"
	"time"

	"buyright/internal/lawmap"
	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

func TestLawmapSeedAndHistory(t *testing.T) {
	q, err := lawmap.Load()
	if err != nil {
		t.Fatal(err)
	}
	seed, err := lawmap.LoadSeed(q, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		n, err := db.SeedLawmap(ctx, store.System, seed)
		if err != nil || n != len(seed.Answers) {
			t.Fatalf("seeded %d of %d: %v", n, len(seed.Answers), err)
		}
		if again, err := db.SeedLawmap(ctx, store.System, seed); err != nil || again != 0 {
			t.Fatalf("second seed added %d: %v", again, err)
		}
		all, err := db.ApprovedLawAnswers(ctx)
		if err != nil || len(all) != len(seed.Answers) {
			t.Fatalf("%d approved: %v", len(all), err)
		}
		for _, a := range all {
			if !a.Starting || len(a.Citations) == 0 {
				t.Fatalf("starting answer %d without mark or citation", a.ID)
			}
		}
		// Germany's due-diligence law: "no" before 2023, "yes" after.
		if c := store.LawCurrent(all, "")["DE|LM-HRDD-LAW"]; c == nil || c.Answer.Answer != "yes" {
			t.Fatalf("current DE answer %+v", c)
		}
		if c := store.LawCurrent(all, "2022-12-31")["DE|LM-HRDD-LAW"]; c == nil || c.Answer.Answer != "no" {
			t.Fatalf("2022 DE answer %+v", c)
		}
		if c := store.LawCurrent(all, "2010-01-01")["DE|LM-HRDD-LAW"]; c != nil {
			t.Fatalf("2010 DE answer %+v", c)
		}

		// A proposal is a draft until a reviewer approves it and an editor
		// publishes it, and every step is audited.
		ln := newLabNet(t, db)
		u := ln.researcher
		x := &store.LawAnswer{Answer: lawmap.Answer{Jurisdiction: "PT", Question: "LM-AWARD", Answer: "yes", Explanation: "x", AsOf: "2024-01-01", Judgement: true}}
		if err := db.CreateLawAnswer(ctx, store.ActorOf(u), x); err != nil {
			t.Fatal(err)
		}
		if all, _ := db.ApprovedLawAnswers(ctx); store.LawCurrent(all, "")["PT|LM-AWARD"] != nil {
			t.Fatal("draft answer is public")
		}
		if err := db.ReviewLawAnswer(ctx, store.ActorOf(ln.nhriReviewer), x.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.PublishLawAnswer(ctx, store.ActorOf(ln.editor), x.ID); err != nil {
			t.Fatal(err)
		}
		if all, _ := db.ApprovedLawAnswers(ctx); store.LawCurrent(all, "")["PT|LM-AWARD"] == nil {
			t.Fatal("published answer missing")
		}
		if err := db.ReviewLawAnswer(ctx, store.ActorOf(ln.nhriReviewer), x.ID); model.ErrorCode(err) != model.ENotFound {
			t.Fatalf("approving twice: %v", err)
		}
		bad := &store.LawAnswer{Answer: lawmap.Answer{Jurisdiction: "XX", Question: "LM-AWARD", Answer: "yes", Explanation: "x", AsOf: "2024-01-01", Judgement: true}}
		if err := db.CreateLawAnswer(ctx, store.ActorOf(u), bad); model.ErrorCode(err) != model.EInvalid {
			t.Fatalf("unknown jurisdiction: %v", err)
		}
		if e, err := db.AuditFor(ctx, "law_answer", x.ID, 10); err != nil || len(e) != 3 {
			t.Fatalf("audit %d: %v", len(e), err)
		}
	})
}

func testPractice(title, hub string, stage model.Stage) *store.Practice {
	return &store.Practice{Title: title, Body: "City of Exampleton", Jurisdiction: "NL", Stage: stage, Hub: hub,
		WhatDone: "Joined a monitoring organisation for factories making laptops.", WhatChanged: "Remediation of excessive overtime.",
		Sources: "https://example.org/report", Rights: []string{"forced_labour"}, Technologies: []string{"hardware"}}
}

func TestPracticesDraftsNeverPublic(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		pub := testPractice("Électronique monitoring in <b>contracts</b>", "electronics", model.StageImplementation)
		if err := db.CreatePractice(ctx, store.System, pub, true); err != nil {
			t.Fatal(err)
		}
		draft := testPractice("Secret draft about laptops", "electronics", model.StageContract)
		if err := db.CreatePractice(ctx, store.System, draft, false); err != nil {
			t.Fatal(err)
		}
		other := testPractice("Guards vetted by ICoCA membership", "private_security", model.StageTenderDesign)
		other.Rights, other.Technologies = []string{"security_of_person"}, nil
		if err := db.CreatePractice(ctx, store.System, other, true); err != nil {
			t.Fatal(err)
		}
		ids := func(q store.PracticeQuery) string {
			res, err := db.SearchPractices(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			s := ""
			for _, p := range res.Practices {
				s += fmt.Sprint(p.ID, " ")
			}
			return s
		}
		for _, q := range []store.PracticeQuery{{}, {Text: "laptops"}, {Text: "secret"}, {Hub: "electronics"}, {Stage: "contract"}} {
			if got := ids(q); got == fmt.Sprint(draft.ID, " ") || contains(got, draft.ID) {
				t.Fatalf("draft found by %+v: %s", q, got)
			}
		}
		if got := ids(store.PracticeQuery{Text: "electronique"}); got != fmt.Sprint(pub.ID, " ") {
			t.Fatalf("accent-folded search: %q", got)
		}
		if got := ids(store.PracticeQuery{Text: "icoca guards"}); got != fmt.Sprint(other.ID, " ") {
			t.Fatalf("two-word search: %q", got)
		}
		if got := ids(store.PracticeQuery{Right: "forced_labour", Technology: "hardware"}); got != fmt.Sprint(pub.ID, " ") {
			t.Fatalf("tag facets: %q", got)
		}
		// Ordered by lifecycle stage: tender design before implementation.
		if got := ids(store.PracticeQuery{}); got != fmt.Sprint(other.ID, " ", pub.ID, " ") {
			t.Fatalf("stage order: %q", got)
		}
		if _, err := db.PracticeByID(ctx, draft.ID, false); model.ErrorCode(err) != model.ENotFound {
			t.Fatalf("draft readable publicly: %v", err)
		}
		n := newLabNet(t, db)
		if err := db.ReviewPractice(ctx, store.ActorOf(n.nhriReviewer), draft.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.PublishPractice(ctx, store.ActorOf(n.editor), draft.ID); err != nil {
			t.Fatal(err)
		}
		if got := ids(store.PracticeQuery{Text: "secret"}); got != fmt.Sprint(draft.ID, " ") {
			t.Fatalf("published draft not found: %q", got)
		}
		bad := testPractice("", "nowhere", "flying")
		if err := db.CreatePractice(ctx, store.System, bad, false); model.ErrorCode(err) != model.EInvalid {
			t.Fatalf("invalid practice: %v", err)
		}
	})
}

func contains(list string, id int64) bool {
	for _, f := range splitSpace(list) {
		if f == fmt.Sprint(id) {
			return true
		}
	}
	return false
}

func splitSpace(s string) []string {
	var out []string
	cur := ""
	for _, r := range s {
		if r == ' ' {
			if cur != "" {
				out = append(out, cur)
			}
			cur = ""
			continue
		}
		cur += string(r)
	}
	if cur != "" {
		out = append(out, cur)
	}
	return out
}
