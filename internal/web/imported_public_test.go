package web_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// importJournalistRows imports three releases into the city and one into
// the town, the first two with red flags; officers then type things on
// one of them that the public view must not show.
func importJournalistRows(t *testing.T, w *world) {
	t.Helper()
	award, _ := model.ParseDate("2025-03-01")
	row := func(ocid, title string, flags ...string) store.ImportRow {
		r := store.ImportRow{Purchase: &model.Purchase{Title: title, OCID: ocid, Sector: "other", Stage: model.StageAward,
			ValueMinor: 1234500, Currency: "EUR", AwardDate: award},
			ReleaseID: "r-" + ocid, ReleaseDate: "2025-03-01T00:00:00.000000000Z"}
		for _, f := range flags {
			r.Flags = append(r.Flags, store.PurchaseFlag{ID: f, Reason: "because of " + f, Path: "tender.documents"})
		}
		return r
	}
	if _, err := w.db.ImportPurchases(ctx, store.Actor{Label: "test"}, w.orgs["city"].ID, []store.ImportRow{
		row("ocds-j-1", "Facial recognition cameras for the metro", "biometrics", "single-tenderer", "no-impact-assessment"),
		row("ocds-j-2", "Case management software", "single-tenderer"),
		row("ocds-j-3", "Office chairs"),
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.ImportPurchases(ctx, store.Actor{Label: "test"}, w.orgs["town"].ID, []store.ImportRow{
		row("ocds-j-4", "Town cameras", "biometrics"),
	}); err != nil {
		t.Fatal(err)
	}
}

func TestPublicImportedView(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		importJournalistRows(t, w)

		// Signed out, everything imported is there, marked as not screened.
		s, body, _ := w.do("", "GET", "/imported", nil)
		if s != 200 {
			t.Fatalf("GET /imported: %d\n%.2000s", s, body)
		}
		for _, want := range []string{"4 releases found", "Facial recognition cameras for the metro", "Office chairs", "Town cameras",
			"Imported, not screened", "Only one tenderer", "ocds-j-2", "tender.documents"} {
			if !strings.Contains(body, want) {
				t.Errorf("/imported lacks %q", want)
			}
		}
		// A red flag filters; the facet counts every flag among the matches.
		_, body, _ = w.do("", "GET", "/imported?flag=single-tenderer", nil)
		if !strings.Contains(body, "2 releases found") || strings.Contains(body, "Office chairs") || strings.Contains(body, "Town cameras") {
			t.Errorf("flag filter:\n%.3000s", body)
		}
		// Words and the body filter combine with it.
		_, body, _ = w.do("", "GET", fmt.Sprintf("/imported?q=CAMERAS&flag=biometrics&body=%d", w.orgs["town"].ID), nil)
		if !strings.Contains(body, "1 release found") || !strings.Contains(body, "Town cameras") || strings.Contains(body, "for the metro") {
			t.Errorf("text and body filter:\n%.3000s", body)
		}
		// A flag that does not exist is ignored rather than an error.
		if s, body, _ := w.do("", "GET", "/imported?flag=%3Cscript%3E&page=-4", nil); s != 200 || !strings.Contains(body, "4 releases found") {
			t.Errorf("unknown flag: %d", s)
		}

		// The CSV carries the filter's matches, with each flag's reason.
		s, body, h := w.do("", "GET", "/imported.csv?flag=single-tenderer", nil)
		if s != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") {
			t.Fatalf("csv: %d %s", s, h.Get("Content-Type"))
		}
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil || len(rows) != 3 {
			t.Fatalf("csv rows %d %v:\n%s", len(rows), err, body)
		}
		col := map[string]int{}
		for i, c := range rows[0] {
			col[c] = i
		}
		got := map[string][]string{}
		for _, r := range rows[1:] {
			got[r[col["ocid"]]] = r
		}
		m := got["ocds-j-1"]
		if m == nil || m[col["flags"]] != "biometrics;single-tenderer;no-impact-assessment" || m[col["flag_paths"]] != "tender.documents" ||
			m[col["value"]] != "12345" || m[col["currency"]] != "EUR" || m[col["award_date"]] != "2025-03-01" || m[col["screened_by_body"]] != "false" ||
			!strings.Contains(m[col["flag_reasons"]], "because of biometrics") {
			t.Errorf("csv row: %v", m)
		}

		// The JSON holds the same releases.
		_, body, _ = w.do("", "GET", "/imported.json?flag=single-tenderer", nil)
		var js []struct {
			OCID  string                `json:"ocid"`
			Buyer string                `json:"buyer"`
			Flags []struct{ ID string } `json:"flags"`
			Scr   bool                  `json:"screened_by_body"`
		}
		if err := json.Unmarshal([]byte(body), &js); err != nil || len(js) != 2 || js[0].Buyer == "" || len(js[0].Flags) == 0 {
			t.Fatalf("json %v: %s", err, body)
		}

		// In Portuguese the page and the flag names are translated.
		_, body, _ = w.doLang("pt-PT,pt;q=0.9", "/imported?flag=single-tenderer")
		if !strings.Contains(body, "Dados de contratação aberta importados") || !strings.Contains(body, "Apenas um concorrente") || strings.Contains(body, "Only one tenderer") {
			t.Errorf("Portuguese page:\n%.3000s", body)
		}
	})
}

// Nothing people typed in buyright after the import reaches the public
// view: only the source's fields and the screener's flags.
func TestPublicImportedViewShowsOnlySourceData(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		importJournalistRows(t, w)
		ps, err := db.Purchases(ctx, w.users["city_officer"], store.PurchaseFilter{})
		if err != nil || len(ps.Items) == 0 {
			t.Fatal(err)
		}
		p, _, err := db.Purchase(ctx, w.users["city_officer"], ps.Items[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		p.AffectedPeople = "Residents of the Hillside shelter"
		p.LegalBasis = "Internal memo 17"
		if err := db.UpdatePurchase(ctx, store.ActorOf(w.users["city_officer"]), p); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/imported", "/imported.csv", "/imported.json"} {
			if _, body, _ := w.do("", "GET", path, nil); strings.Contains(body, "Hillside") || strings.Contains(body, "memo 17") {
				t.Errorf("%s shows what an officer typed", path)
			}
		}
	})
}
