package web_test

import (
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"strings"
	"testing"

	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
	"buyright/internal/web"
)

// importOne imports a purchase for city the way `buyright import` does,
// with red flags.
func (w *world) importOne(ocid, title string, flags ...store.PurchaseFlag) *model.Purchase {
	w.t.Helper()
	p := &model.Purchase{OCID: ocid, Title: title, Stage: model.StageTenderDesign}
	st, err := w.db.ImportPurchases(ctx, store.Actor{Label: "cli"}, w.orgs["city"].ID, []store.ImportRow{{Purchase: p, ReleaseID: ocid + "-1", Flags: flags}})
	if err != nil || st.New != 1 {
		w.t.Fatal(st, err)
	}
	return p
}

func TestImportedFlagsOnPurchasePage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.importOne("ocds-abc123-9", "Cameras <b>bold</b>",
			store.PurchaseFlag{ID: "surveillance", Reason: `buys surveillance technology (code "CPV 351253")`, Path: "tender.items[0].classification.id"},
			store.PurchaseFlag{ID: "limited-method", Reason: "procurement method is <direct>", Path: "tender.procurementMethod"})
		s, body, _ := w.do("city_officer", "GET", fmt.Sprintf("/purchases/%d", p.ID), nil)
		if s != 200 {
			t.Fatalf("status %d", s)
		}
		for _, want := range []string{"Red flags from open contracting data", "surveillance", "tender.items[0].classification.id",
			html.EscapeString("procurement method is <direct>"), "limited-method"} {
			if !strings.Contains(body, want) {
				t.Fatalf("purchase page lacks %q", want)
			}
		}
		if strings.Contains(body, "<direct>") || strings.Contains(body, "<b>bold</b>") {
			t.Fatal("flag reason or title not escaped")
		}
		// Another body's officer still gets 404.
		if s, _, _ := w.do("town_officer", "GET", fmt.Sprintf("/purchases/%d", p.ID), nil); s != 404 {
			t.Fatalf("town officer got %d", s)
		}
	})
}

func TestOCDSReleasesAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		var pub []*model.Purchase
		for i := 0; i < 205; i++ {
			pub = append(pub, w.importOne(fmt.Sprintf("ocds-abc123-%d", i), fmt.Sprintf("Purchase %d \"<script>\u2028", i)))
		}
		secret := w.importOne("ocds-abc123-secret", "Not published")
		if err := db.BulkPublish(ctx, store.System, pub, "Summary"); err != nil {
			t.Fatal(err)
		}
		type pkg struct {
			URI        string            `json:"uri"`
			Version    string            `json:"version"`
			Extensions []string          `json:"extensions"`
			Releases   []json.RawMessage `json:"releases"`
			Links      struct{ Next string }
		}
		seen := map[string]bool{}
		next := "/api/v1/ocds/releases"
		pages := 0
		for next != "" {
			s, body, h := w.do("", "GET", next, nil)
			if s != 200 || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
				t.Fatalf("%s: status %d %s", next, s, body)
			}
			var p pkg
			if err := json.Unmarshal([]byte(body), &p); err != nil {
				t.Fatal(err)
			}
			if p.Version != "1.1" || len(p.Extensions) != 1 || !strings.HasSuffix(p.Extensions[0], "/ocds/extension/extension.json") {
				t.Fatalf("package head %+v", p)
			}
			for _, r := range p.Releases {
				var rel struct {
					OCID   string
					Tender struct{ Title string }
				}
				json.Unmarshal(r, &rel)
				if seen[rel.OCID] || rel.OCID == secret.OCID {
					t.Fatalf("release %s twice or unpublished", rel.OCID)
				}
				if !strings.Contains(rel.Tender.Title, `"<script>`) {
					t.Fatalf("title %q", rel.Tender.Title)
				}
				seen[rel.OCID] = true
			}
			next = strings.TrimPrefix(p.Links.Next, w.srv.URL)
			pages++
		}
		if len(seen) != 205 || pages != 3 {
			t.Fatalf("%d releases in %d pages", len(seen), pages)
		}
		if s, _, _ := w.do("", "GET", "/api/v1/ocds/releases?page=zero", nil); s != 422 {
			t.Fatalf("bad page answered %d", s)
		}

		s, body, h := w.do("", "GET", "/ocds/releases.jsonl", nil)
		lines := strings.Split(strings.TrimSuffix(body, "\n"), "\n")
		if s != 200 || len(lines) != 205 || !strings.HasPrefix(h.Get("Content-Type"), "application/x-ndjson") {
			t.Fatalf("jsonl: %d, %d lines", s, len(lines))
		}
		for _, l := range lines {
			if !json.Valid([]byte(l)) {
				t.Fatalf("invalid line %q", l)
			}
		}

		s, body, _ = w.do("", "GET", "/ocds/extension/extension.json", nil)
		if s != 200 || !strings.Contains(body, w.srv.URL+"/ocds/extension/README.md") {
			t.Fatalf("extension.json: %d %s", s, body)
		}
		for _, f := range []string{"release-schema.json", "README.md", "codelists/+documentType.csv", "codelists/assessmentStatus.csv"} {
			if s, _, _ := w.do("", "GET", "/ocds/extension/"+f, nil); s != 200 {
				t.Fatalf("%s: %d", f, s)
			}
		}
		if s, _, _ := w.do("", "GET", "/ocds/extension/../embed.go", nil); s == 200 {
			t.Fatal("path escape served a file")
		}
		if s, _, _ := w.do("", "GET", "/ocds/extension/embed.go", nil); s != 404 {
			t.Fatalf("embed.go: %d", s)
		}
		s, body, _ = w.do("", "GET", "/register", nil)
		if s != 200 || !strings.Contains(body, `href="/api/v1/ocds/releases"`) || !strings.Contains(body, `href="/ocds/releases.jsonl"`) {
			t.Fatal("register does not link the OCDS downloads")
		}
	})
}

// Every OCDS download says when its ocids use the placeholder prefix: a
// header on the package and JSON Lines, and a field in the package; a
// server given a registered prefix uses it and says nothing.
func TestOCDSPlaceholderPrefixFlagged(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	w := newWorld(t, db)
	p := w.purchase("Benefits scoring")
	if s, _, _ := w.do("city_officer", "POST", fmt.Sprintf("/purchases/%d/publication", p.ID), url.Values{"publish": {"yes"}, "summary": {"Scores claims."}}); s != 303 {
		t.Fatal("publish")
	}
	_, body, h := w.do("", "GET", "/api/v1/ocds/releases", nil)
	if !strings.Contains(h.Get("Buyright-Warning"), "ocds-000000 is a placeholder") || !strings.Contains(body, `"buyrightPlaceholderOcidPrefix": "ocid prefix ocds-000000 is a placeholder`) ||
		!strings.Contains(body, `"ocid": "ocds-000000-`) {
		t.Errorf("the placeholder is not flagged in the package: %q\n%.600s", h.Get("Buyright-Warning"), body)
	}
	if _, _, h := w.do("", "GET", "/ocds/releases.jsonl", nil); !strings.Contains(h.Get("Buyright-Warning"), "placeholder") {
		t.Error("the JSON Lines download does not flag the placeholder")
	}
	w2 := newWorldWith(t, storetest.Open(t, store.SQLite), func(c *web.Config) { c.OCDSPrefix = "ocds-abc123" })
	p2 := w2.purchase("Benefits scoring")
	w2.do("city_officer", "POST", fmt.Sprintf("/purchases/%d/publication", p2.ID), url.Values{"publish": {"yes"}, "summary": {"Scores claims."}})
	_, body, h = w2.do("", "GET", "/api/v1/ocds/releases", nil)
	if h.Get("Buyright-Warning") != "" || strings.Contains(body, "placeholder") || !strings.Contains(body, `"ocid": "ocds-abc123-`) {
		t.Errorf("a registered prefix is not used plainly:\n%.600s", body)
	}
}
