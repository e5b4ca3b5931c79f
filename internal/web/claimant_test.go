package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// getIn reads a public page in a language chosen as the chooser does.
func getIn(t *testing.T, w *world, lang, path string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", w.srv.URL+path, nil)
	req.AddCookie(&http.Cookie{Name: "buyright_lang", Value: lang})
	resp, err := client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s in %s: %d", path, lang, resp.StatusCode)
	}
	return string(b)
}

// A claimant reading the register in Portuguese sees each card's summary in
// Portuguese where the body wrote one, and the others marked as English
// with a sentence saying so; "Not yet screened" filters to the entries with
// no impact level.
func TestRegisterListInReadersLanguage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		both := w.purchase("Benefits scoring")
		only := w.purchase("Library booking")
		for p, form := range map[int64]url.Values{
			both.ID: {"publish": {"yes"}, "summary": {"Scores claims."}, "summary_pt": {"Classifica os pedidos de prestações."}},
			only.ID: {"publish": {"yes"}, "summary": {"Books library rooms."}},
		} {
			if s, body, _ := w.do("city_officer", "POST", fmt.Sprintf("/purchases/%d/publication", p), form); s != 303 {
				t.Fatalf("publish: %d %.500s", s, body)
			}
		}
		pt := getIn(t, w, "pt", "/register")
		if !strings.Contains(pt, "<p>Classifica os pedidos de prestações.</p>") || strings.Contains(pt, "Scores claims.") {
			t.Error("the Portuguese list does not show the Portuguese summary in place of the English one")
		}
		if !strings.Contains(pt, `<p lang="en">Books library rooms.</p><p class="hint">Este resumo só está disponível em inglês.</p>`) {
			t.Error("an English-only summary is not marked as English and said to be so")
		}
		entry := getIn(t, w, "pt", fmt.Sprintf("/register/%d", only.ID))
		if !strings.Contains(entry, `lang="en">Books library rooms.</p>`) || !strings.Contains(entry, "só está disponível em inglês") {
			t.Error("the entry page does not mark its English-only summary")
		}
		en := getIn(t, w, "en", "/register")
		if strings.Contains(en, `lang="en"><p`) || strings.Contains(en, "available in English only") || !strings.Contains(en, "Scores claims.") {
			t.Error("the English list changed")
		}

		// Neither purchase is screened: both are "Not yet screened", and the
		// facet's link filters to them and marks itself current.
		if !strings.Contains(pt, `href="/register?level=none"`) {
			t.Fatalf("no link for the unscreened facet:\n%s", pt[strings.Index(pt, "facets-h"):])
		}
		w.screenPlainly(both, nil)
		if s, _, _ := w.do("city_officer", "POST", fmt.Sprintf("/purchases/%d/publication", both.ID), url.Values{"publish": {"yes"}, "summary": {"Scores claims."}}); s != 303 {
			t.Fatal("republish")
		}
		none := getIn(t, w, "pt", "/register?level=none")
		if !strings.Contains(none, "Library booking") || strings.Contains(none, "Benefits scoring") {
			t.Errorf("level=none does not filter to the unscreened entry")
		}
		if !strings.Contains(none, `href="/register?level=none" aria-current="true"`) {
			t.Error("the unscreened facet is not marked current")
		}
	})
}

// The AI Act's dates on the Lab's EU page say which language their words
// are in: a Portuguese reader's page marks each row's text lang="pt" where
// the catalogue has it in Portuguese and lang="en" where it does not.
func TestAIActDatesMarkTheirLanguage(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	w := newWorld(t, db)
	seedLab(t, w)
	page := getIn(t, w, "pt", "/lab/law/EU")
	rows := strings.Count(page, `<tr id="date-`)
	marked := strings.Count(page, `<td lang="pt"><strong>`) + strings.Count(page, `<td lang="en"><strong>`)
	if rows == 0 || marked != rows {
		t.Fatalf("%d date rows, %d with the language of their text", rows, marked)
	}
}

// The Lab's content that exists only in English is marked lang="en" on a
// Portuguese reader's page, with a sentence saying so: the starting law
// answers, question titles the catalogue has no Portuguese for, and the
// illustrative practices. The page itself stays lang="pt".
func TestLabMarksEnglishOnlyTextOnPortuguesePages(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	w := newWorld(t, db)
	seedLab(t, w)
	pr := labPractice("Illustrative factory monitoring", model.StageContract)
	pr.Illustrative = true
	if err := db.CreatePractice(ctx, store.System, pr, true); err != nil {
		t.Fatal(err)
	}
	law := getIn(t, w, "pt", "/lab/law/EU")
	if !strings.Contains(law, `<html lang="pt">`) || !strings.Contains(law, "As respostas iniciais só estão disponíveis em inglês.") {
		t.Error("the Portuguese law page does not say its starting answers are in English only")
	}
	if n := strings.Count(law, `<p lang="en">`); n == 0 || n != strings.Count(law, "Este texto só está disponível em inglês.") {
		t.Errorf("starting answers marked lang=en: %d, each with the sentence saying so", n)
	}
	if en := getIn(t, w, "en", "/lab/law/EU"); strings.Contains(en, "available in English only") {
		t.Error("the English page marks its own language")
	}
	matrix := getIn(t, w, "pt", "/lab/law?j=EU")
	if !strings.Contains(matrix, `<p class="answer-text" lang="en">`) {
		t.Error("the comparison does not mark the starting answers lang=en")
	}
	for _, path := range []string{"/lab/practices", fmt.Sprintf("/lab/practices/%d", pr.ID), "/lab/hubs/electronics"} {
		page := getIn(t, w, "pt", path)
		if !strings.Contains(page, `lang="en">Illustrative factory monitoring</`) || !strings.Contains(page, "Este texto só está disponível em inglês.") {
			t.Errorf("%s does not mark the illustrative practice as English only", path)
		}
	}
}
