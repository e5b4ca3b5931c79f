package web_test

import (
	"encoding/csv"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"buyright/internal/lawmap"
	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

func seedLab(t *testing.T, w *world) {
	t.Helper()
	q, err := lawmap.Load()
	if err != nil {
		t.Fatal(err)
	}
	s, err := lawmap.LoadSeed(q, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.SeedLawmap(ctx, store.System, s); err != nil {
		t.Fatal(err)
	}
}

func labPractice(title string, stage model.Stage) *store.Practice {
	return &store.Practice{Title: title, Body: "Exampleton council", Jurisdiction: "UK", Stage: stage, Hub: "electronics",
		WhatDone: "Monitored factories with an independent organisation.", WhatChanged: "Overtime fell.", Sources: "https://example.org/\nA report",
		Rights: []string{"forced_labour"}, Technologies: []string{"hardware"}}
}

func TestLabLawMatrixCompareAndDownloads(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		seedLab(t, w)
		// A buyer compares two jurisdictions on award criteria, without signing in.
		code, body, _ := w.do("", "GET", "/lab/law?j=EU&j=UK&group=LM-G-CRITERIA", nil)
		if code != 200 || !strings.Contains(body, "human-rights or social criteria in the award") || !strings.Contains(body, "European Union") || !strings.Contains(body, "United Kingdom") {
			t.Fatalf("matrix %d\n%.2000s", code, body)
		}
		if strings.Contains(body, "Germany</a></th>") || strings.Contains(body, "forced labour?") {
			t.Fatal("filters ignored")
		}
		code, body, hdr := w.do("", "GET", "/lab/law.csv?j=EU&j=UK&group=LM-G-CRITERIA", nil)
		if code != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "text/csv") {
			t.Fatalf("csv %d", code)
		}
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		award := map[string]string{}
		for _, r := range rows[1:] {
			if r[1] == "LM-AWARD" {
				award[r[0]] = r[3]
			}
			if r[8] == "" {
				t.Fatalf("row without citations: %v", r)
			}
		}
		if award["EU"] != "yes" || award["UK"] != "yes" || len(award) != 2 {
			t.Fatalf("award answers %v", award)
		}
		code, body, _ = w.do("", "GET", "/lab/law.json", nil)
		var out []map[string]any
		if code != 200 || json.Unmarshal([]byte(body), &out) != nil || len(out) < 20 {
			t.Fatalf("json %d %.300s", code, body)
		}
		// The law as it stood before Germany's supply-chain act applied.
		_, body, _ = w.do("", "GET", "/lab/law/DE", nil)
		if !strings.Contains(body, "Earlier answers") || !strings.Contains(body, "as of 2022-12-31") {
			t.Fatalf("no history on the jurisdiction page\n%.3000s", body)
		}
		_, body, _ = w.do("", "GET", "/lab/law.csv?j=DE&as_of=2022-12-31", nil)
		if !strings.Contains(body, "DE,LM-HRDD-LAW,") || !strings.Contains(body, ",no,2022-12-31,") {
			t.Fatalf("as_of ignored\n%s", body)
		}
		// A formula in a published answer is neutralised in the CSV.
		u := w.users["cso_viewer"]
		a := &store.LawAnswer{Answer: lawmap.Answer{Jurisdiction: "CA", Question: "LM-NAP", Answer: "no", Explanation: "=HYPERLINK(\"http://x\")",
			AsOf: "2020-01-01", Judgement: true}}
		if err := db.CreateLawAnswer(ctx, store.ActorOf(u), a); err != nil {
			t.Fatal(err)
		}
		if err := db.ReviewLawAnswer(ctx, store.ActorOf(w.users["lab_reviewer"]), a.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.PublishLawAnswer(ctx, store.ActorOf(w.users["lab_editor"]), a.ID); err != nil {
			t.Fatal(err)
		}
		_, body, _ = w.do("", "GET", "/lab/law.csv?j=CA", nil)
		if !strings.Contains(body, `"'=HYPERLINK(`) {
			t.Fatalf("formula not neutralised\n%s", body)
		}
	})
}

func TestLabAnswerFormRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		seedLab(t, w)
		form := url.Values{"lab_jurisdiction": {"PT"}, "lab_question": {"LM-AWARD"}, "lab_answer": {"yes"},
			"lab_explanation": {"Typed <b>explanation</b>"}, "lab_as_of": {"2024-01-01"}}
		code, body, _ := w.do("cso_viewer", "POST", "/lab/propose/answer", form)
		if code != 422 || !strings.Contains(body, "Cite the law, or tick that the answer is your judgement") || !strings.Contains(body, "Typed &lt;b&gt;explanation&lt;/b&gt;") {
			t.Fatalf("no citation: %d\n%.3000s", code, body)
		}
		form.Set("lab_cite_instrument", "Código dos Contratos Públicos")
		form.Set("lab_as_of", time.Now().AddDate(0, 0, 3).Format("2006-01-02"))
		code, body, _ = w.do("cso_viewer", "POST", "/lab/propose/answer", form)
		if code != 422 || !strings.Contains(body, "The date cannot be in the future") || !strings.Contains(body, `href="#f-lab_as_of"`) {
			t.Fatalf("future date: %d", code)
		}
		form.Set("lab_as_of", "2024-01-01")
		form.Del("lab_cite_instrument")
		form.Set("lab_judgement", "yes")
		if code, _, _ = w.do("cso_viewer", "POST", "/lab/propose/answer", form); code != 303 {
			t.Fatalf("judgement without citation: %d", code)
		}
		// A draft is not on the public map until a Lab reviewer approves
		// it and a Lab editor publishes it.
		_, body, _ = w.do("", "GET", "/lab/law/PT", nil)
		if strings.Contains(body, "Typed &lt;b&gt;") {
			t.Fatal("draft answer public")
		}
		drafts, _ := db.DraftLawAnswers(ctx)
		if len(drafts) != 1 {
			t.Fatalf("%d drafts", len(drafts))
		}
		id := itoa(drafts[0].ID)
		for _, name := range []string{"cso_viewer", "site_admin", "city_admin", "lab_editor"} {
			if code, _, _ = w.do(name, "POST", "/lab/review/answers/"+id+"/approve", nil); code != 403 {
				t.Fatalf("%s approved: %d", name, code)
			}
		}
		w.post("lab_reviewer", "/lab/review/answers/"+id+"/approve", nil, 303)
		if _, body, _ = w.do("", "GET", "/lab/law/PT", nil); strings.Contains(body, "Typed &lt;b&gt;") {
			t.Fatal("approved but unpublished answer public")
		}
		w.post("lab_editor", "/lab/review/answers/"+id+"/publish", nil, 303)
		_, body, _ = w.do("", "GET", "/lab/law/PT", nil)
		if !strings.Contains(body, "Typed &lt;b&gt;explanation&lt;/b&gt;") {
			t.Fatal("published answer missing or not escaped")
		}
	})
}

func TestLabPracticesHubsAndDrafts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		pub := labPractice("<script>alert(1)</script> monitoring of laptop factories", model.StageImplementation)
		if err := db.CreatePractice(ctx, store.System, pub, true); err != nil {
			t.Fatal(err)
		}
		early := labPractice("Market dialogue on supply-chain transparency", model.StageMarketEngagement)
		if err := db.CreatePractice(ctx, store.System, early, true); err != nil {
			t.Fatal(err)
		}
		draft := labPractice("Unpublished draft about cobalt", model.StageContract)
		if err := db.CreatePractice(ctx, store.System, draft, false); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/lab/practices", "/lab/practices?q=cobalt", "/lab/practices?stage=contract", "/lab/hubs/electronics", "/lab/hubs", "/lab"} {
			code, body, _ := w.do("", "GET", path, nil)
			if code != 200 || strings.Contains(body, "Unpublished draft") {
				t.Fatalf("%s: %d or draft shown", path, code)
			}
			if strings.Contains(body, "<script>alert") {
				t.Fatalf("%s: hostile title not escaped", path)
			}
		}
		if code, _, _ := w.do("", "GET", "/lab/practices/"+itoa(draft.ID), nil); code != 404 {
			t.Fatalf("draft page: %d", code)
		}
		code, body, _ := w.do("", "GET", "/lab/practices?q=laptop", nil)
		if code != 200 || !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt; monitoring") || strings.Contains(body, "Market dialogue") {
			t.Fatalf("search %d\n%.2000s", code, body)
		}
		// The electronics hub report puts each practice under its stage.
		_, body, _ = w.do("", "GET", "/lab/hubs/electronics", nil)
		impl := strings.Index(body, `id="st-implementation"`)
		renew := strings.Index(body, `id="st-renewal_exit"`)
		at := strings.Index(body, "monitoring of laptop factories")
		market := strings.Index(body, "Market dialogue")
		if impl < 0 || at < impl || at > renew || market > strings.Index(body, `id="st-tender_design"`) {
			t.Fatalf("stages wrong: impl %d at %d renew %d market %d", impl, at, renew, market)
		}
		if code, _, _ := w.do("", "GET", "/lab/hubs/nowhere", nil); code != 404 {
			t.Fatalf("unknown hub: %d", code)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
