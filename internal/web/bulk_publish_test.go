package web_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

func TestBulkPublishImported(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		importJournalistRows(t, w)
		made := w.purchase("Made here by hand")
		id := map[string]int64{}
		for _, org := range []string{"city", "town"} {
			var pid int64
			var ocid string
			rows := []string{"ocds-j-1", "ocds-j-2", "ocds-j-3", "ocds-j-4"}
			for _, o := range rows {
				if err := db.QueryRowForTest(fmt.Sprintf("SELECT id, ocid FROM purchases WHERE ocid = '%s' AND org_id = %d", o, w.orgs[org].ID), &pid, &ocid); err == nil {
					id[ocid] = pid
				}
			}
		}
		if len(id) != 4 {
			t.Fatalf("imported ids: %v", id)
		}
		ids := func(xs ...int64) url.Values {
			v := url.Values{}
			for _, x := range xs {
				v.Add("id", fmt.Sprint(x))
			}
			return v
		}
		published := func() int {
			var n int
			if err := db.QueryRowForTest("SELECT COUNT(*) FROM publications WHERE published", &n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		choice := ids(id["ocds-j-1"], id["ocds-j-2"], made.ID, id["ocds-j-4"])

		// Only a public body's administrator may publish in bulk.
		for _, who := range []string{"city_officer", "city_approver", "site_admin", "nhri_oversight", "town_officer"} {
			if s, _, _ := w.do(who, "POST", "/purchases/bulk-publish", choice); s != 403 {
				t.Errorf("%s: %d, want 403", who, s)
			}
		}
		// The list offers it to the administrator only.
		if _, body, _ := w.do("city_officer", "GET", "/purchases", nil); strings.Contains(body, "bulk-publish") {
			t.Error("the officer's list offers bulk publication")
		}
		if _, body, _ := w.do("city_admin", "GET", "/purchases", nil); !strings.Contains(body, `action="/purchases/bulk-publish`) {
			t.Error("the administrator's list does not offer bulk publication")
		}

		// The first step only shows what would happen, and why not for some.
		s, body, _ := w.do("city_admin", "POST", "/purchases/bulk-publish", choice)
		if s != 200 || !strings.Contains(body, "2 purchases will be published") || !strings.Contains(body, "Case management software") ||
			!strings.Contains(body, "Made here by hand: not imported") || !strings.Contains(body, "not a purchase of your body") || strings.Contains(body, "Town cameras") {
			t.Fatalf("confirmation: %d\n%.4000s", s, body)
		}
		if n := published(); n != 0 {
			t.Fatalf("%d published before confirmation", n)
		}

		// "All matching this filter" takes the body's imported purchases
		// with the flag, and nothing of another body.
		all := url.Values{"all": {"yes"}, "confirm": {"yes"}}
		s, body, _ = w.do("city_admin", "POST", "/purchases/bulk-publish?flag=biometrics", all)
		if s != 200 || !strings.Contains(body, "1 purchase was published") || !strings.Contains(body, "Facial recognition cameras") {
			t.Fatalf("all matching: %d\n%.4000s", s, body)
		}
		if n := published(); n != 1 {
			t.Fatalf("%d published, want 1", n)
		}

		// Confirmed selection: the other imported one is published; the
		// one already public, the hand-made one and the town's are not.
		choice.Set("confirm", "yes")
		s, body, _ = w.do("city_admin", "POST", "/purchases/bulk-publish", choice)
		if s != 200 || !strings.Contains(body, "1 purchase was published") || !strings.Contains(body, "already on the register") {
			t.Fatalf("confirmed: %d\n%.4000s", s, body)
		}
		if n := published(); n != 2 {
			t.Fatalf("%d published, want 2", n)
		}
		var audits int
		db.QueryRowForTest("SELECT COUNT(*) FROM audit_log WHERE action = 'publish'", &audits)
		if audits != 2 {
			t.Errorf("%d publish lines in the audit log, want one per publication (2)", audits)
		}
		// The entry claims no screening: its summary says so, and the
		// register's flag filter finds it.
		_, body, _ = w.do("", "GET", fmt.Sprintf("/register/%d", id["ocds-j-2"]), nil)
		if !strings.Contains(body, "has not been screened or assessed") {
			t.Errorf("register entry:\n%.3000s", body)
		}
		_, body, _ = w.do("", "GET", "/register?flag=biometrics", nil)
		if !strings.Contains(body, "1 entry found") || !strings.Contains(body, "Facial recognition") || strings.Contains(body, "Case management") {
			t.Errorf("register flag filter:\n%.3000s", body)
		}
		_, body, _ = w.do("", "GET", "/register?flag=single-tenderer", nil)
		if !strings.Contains(body, "2 entries found") || !strings.Contains(body, "Only one tenderer") {
			t.Errorf("register flag filter and facet:\n%.3000s", body)
		}
	})
}

func TestPurchaseListFiltersByRedFlag(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		importJournalistRows(t, w)
		w.purchase("Made here by hand")
		_, body, _ := w.do("city_officer", "GET", "/purchases?flag=single-tenderer", nil)
		if !strings.Contains(body, "Facial recognition cameras") || !strings.Contains(body, "Case management software") ||
			strings.Contains(body, "Office chairs") || strings.Contains(body, "Made here by hand") {
			t.Errorf("flag filter:\n%.4000s", body)
		}
		_, body, _ = w.do("city_officer", "GET", "/purchases?flag=nonsense", nil)
		if !strings.Contains(body, "Office chairs") || !strings.Contains(body, "Made here by hand") {
			t.Errorf("an unknown flag should be ignored:\n%.4000s", body)
		}
	})
}
