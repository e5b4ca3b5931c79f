package web_test

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"testing"

	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// hostileValues are query values an outside probe would send: numbers that
// overflow an int, an int32 or OFFSET, NUL bytes, invalid UTF-8, SQL,
// very long text, bidi controls, dates and paths that are not.
var hostileValues = []string{
	"99999999999999999999", "9223372036854775807", "-9223372036854775808", "2147483648", "4294967296", "-1", "0",
	"1e9", "NaN", "0x10", "\x00", "a\x00b", "\xff\xfe", "%", "' OR 1=1 --", "1; DROP TABLE users", strings.Repeat("x", 5000),
	"\u202eevil", "../../etc/passwd", "2026-13-45", "<script>alert(1)</script>", " ", "\r\nSet-Cookie: a=b",
}

// queryParams are every query parameter a page or list reads.
var queryParams = []string{"q", "page", "per_page", "sort", "stage", "sector", "tech", "level", "body", "year", "status", "mine",
	"from", "to", "version", "v", "kind", "j", "edit", "token", "as_of", "hub", "jurisdiction", "next", "done", "purchase", "org", "question", "lang",
	"step", "saved", "n"}

// A table of hostile query strings over every list, search and page a
// visitor or a signed-in person can open, on both databases: nothing
// answers with a server error, and both databases answer alike.
func TestHostileQueryStrings(t *testing.T) {
	results := map[string]map[string]int{} // dialect → request → status
	described := map[string]string{}       // request → what it was, for messages
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.publish("Published purchase", "Plain words.")
		token := w.token("city_officer")
		paths := []struct{ who, path string }{
			{"", "/register"}, {"", "/register.csv"}, {"", "/register.json"}, {"", "/register/feed.atom"},
			{"", fmt.Sprintf("/register/%d", p.ID)}, {"", fmt.Sprintf("/register/%d/record.json", p.ID)},
			{"", "/api/v1/ocds/releases"}, {"", "/ocds/releases.jsonl"}, {"", "/complaints/new"}, {"", "/complaints/follow"},
			{"", "/signin"}, {"", "/lab"}, {"", "/lab/events"}, {"", "/lab/feed.atom"}, {"", "/lab/hubs"}, {"", "/lab/hubs/electronics"},
			{"", "/lab/law"}, {"", "/lab/law.csv"}, {"", "/lab/law.json"}, {"", "/lab/law/NL"}, {"", "/lab/materials"},
			{"", "/lab/practices"}, {"", "/lab/subscribe"}, {"", "/lab/subscribe/confirm"}, {"", "/lab/unsubscribe"},
			{"", "/complaints/receipt"}, {"", "/api/v1/openapi.json"},
			{"city_officer", "/dashboard"}, {"city_officer", "/purchases"}, {"city_officer", "/purchases/new"}, {"city_officer", "/overrides"},
			{"city_officer", "/complaints"}, {"city_officer", "/account"}, {"city_officer", "/lab/review"}, {"city_officer", "/lab/members"},
			{"city_officer", "/lab/propose/answer"}, {"city_officer", "/lab/propose/practice"},
			{"city_officer", fmt.Sprintf("/purchases/%d", p.ID)}, {"city_officer", fmt.Sprintf("/purchases/%d/edit", p.ID)},
			{"city_officer", fmt.Sprintf("/purchases/%d/transition", p.ID)}, {"city_officer", fmt.Sprintf("/purchases/%d/screening", p.ID)},
			{"city_officer", fmt.Sprintf("/purchases/%d/assessment", p.ID)}, {"city_officer", fmt.Sprintf("/purchases/%d/assessment.json", p.ID)},
			{"city_officer", fmt.Sprintf("/purchases/%d/assessment/diff", p.ID)}, {"city_officer", fmt.Sprintf("/purchases/%d/assessment/report", p.ID)},
			{"city_officer", fmt.Sprintf("/purchases/%d/tender", p.ID)}, {"city_officer", fmt.Sprintf("/purchases/%d/tender.md", p.ID)},
			{"city_officer", fmt.Sprintf("/purchases/%d/tender/document", p.ID)}, {"city_officer", fmt.Sprintf("/purchases/%d/contract", p.ID)},
			{"city_officer", fmt.Sprintf("/purchases/%d/tender/bidders", p.ID)},
			{"city_officer", fmt.Sprintf("/purchases/%d/reviews", p.ID)}, {"city_officer", fmt.Sprintf("/purchases/%d/monitoring", p.ID)},
			{"city_officer", fmt.Sprintf("/purchases/%d/monitoring.csv", p.ID)}, {"city_officer", fmt.Sprintf("/purchases/%d/due-diligence", p.ID)},
			{"city_officer", fmt.Sprintf("/purchases/%d/due-diligence/%d", p.ID, w.orgs["vendor"].ID)},
			{"vendor_supplier", fmt.Sprintf("/purchases/%d/due-diligence", p.ID)}, {"vendor_supplier", "/dashboard"},
			{"nhri_oversight", "/oversight"}, {"nhri_oversight", "/complaints"}, {"nhri_oversight", "/purchases"},
			{"city_admin", "/admin/users"}, {"site_admin", "/admin/users"}, {"site_admin", "/admin/orgs"},
			{"site_admin", fmt.Sprintf("/admin/orgs/%d", w.orgs["nhri"].ID)}, {"site_admin", "/admin/outbox"}, {"site_admin", "/admin/catalogs"},
			{"token", "/api/v1/purchases"}, {"token", fmt.Sprintf("/api/v1/purchases/%d", p.ID)},
		}
		got := map[string]int{}
		for ri, rt := range paths {
			for vi, v := range hostileValues {
				queries := []string{}
				all := url.Values{}
				for _, k := range queryParams {
					all.Set(k, v)
				}
				queries = append(queries, all.Encode(), url.Values{"page": {v}}.Encode(), url.Values{"q": {v}}.Encode())
				// Raw bytes too, as a client that does not escape would send.
				queries = append(queries, "q="+strings.ReplaceAll(url.QueryEscape(v), "%00", "%00%00")+"&page="+url.QueryEscape(v))
				for qi, q := range queries {
					var status int
					var body string
					if rt.who == "token" {
						status, body = w.api(token, "GET", rt.path+"?"+q, "")
					} else {
						status, body, _ = w.do(rt.who, "GET", rt.path+"?"+q, nil)
					}
					// Ids differ between the databases; the key is the row.
					key := fmt.Sprintf("%d/%d/%d", ri, vi, qi)
					got[key] = status
					described[key] = fmt.Sprintf("%s %s?%.60s", rt.who, rt.path, q)
					if status >= 500 {
						t.Errorf("%s %s?%.100s: %d %.200s", rt.who, rt.path, q, status, body)
					}
				}
			}
		}
		results[string(db.Dialect())] = got
	})
	sq, pg := results["sqlite"], results["postgres"]
	if sq == nil || pg == nil {
		return
	}
	var differ []string
	for k, s := range sq {
		if pg[k] != s {
			differ = append(differ, fmt.Sprintf("%s: SQLite %d, PostgreSQL %d", described[k], s, pg[k]))
		}
	}
	sort.Strings(differ)
	for i, d := range differ {
		if i == 20 {
			t.Errorf("... and %d more", len(differ)-20)
			break
		}
		t.Error(d)
	}
}
