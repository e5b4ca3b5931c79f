package web_test

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// publicOutputs fetches everything a visitor without an account can read
// about the register and returns it by name.
func (w *world) publicOutputs(id int64) map[string]string {
	w.t.Helper()
	out := map[string]string{}
	for name, path := range map[string]string{
		"register page": "/register", "search": "/register?q=title", "CSV": "/register.csv", "JSON": "/register.json",
		"entry": fmt.Sprintf("/register/%d", id), "record": fmt.Sprintf("/register/%d/record.json", id),
		"OCDS API": "/api/v1/ocds/releases", "OCDS lines": "/ocds/releases.jsonl", "feed": "/register/feed.atom",
		"complaint form": fmt.Sprintf("/complaints/new?purchase=%d", id),
	} {
		_, body, _ := w.do("", "GET", path, nil)
		out[name] = body
	}
	return out
}

// rename changes a purchase's internal title, as its officer would.
func (w *world) rename(id int64, title string) {
	w.t.Helper()
	p, _, err := w.db.Purchase(ctx, w.users["city_officer"], id)
	if err != nil {
		w.t.Fatal(err)
	}
	p.Title = title
	if err := w.db.UpdatePurchase(ctx, store.ActorOf(w.users["city_officer"]), p); err != nil {
		w.t.Fatal(err)
	}
}

// Every public output shows only what the body published: a rename while
// published is published (everywhere alike, the feed naming each change
// by the title it had then); after a withdrawal, no output shows the entry
// any more or any title it gets afterwards, and the feed's withdrawal line
// names the title that was last public. (There is no sitemap to check.)
func TestPublicOutputsShowOnlyWhatWasPublished(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.publish("First public title", "Plain words.")
		code := w.fileComplaintAbout(p.ID)

		w.rename(p.ID, "Second public title")
		out := w.publicOutputs(p.ID)
		for _, name := range []string{"register page", "search", "CSV", "JSON", "entry", "record", "OCDS API", "OCDS lines", "feed", "complaint form"} {
			if !strings.Contains(out[name], "Second public title") {
				t.Errorf("after a rename while published, %s does not show the new title", name)
			}
		}
		if feed := out["feed"]; !regexp.MustCompile(`<title>First public title</title>`).MatchString(feed) {
			t.Errorf("the feed's first change lost the title it was published with:\n%.1500s", feed)
		}

		if s, body, _ := w.do("city_officer", "POST", fmt.Sprintf("/purchases/%d/publication", p.ID), url.Values{"publish": {"no"}}); s != 303 {
			t.Fatalf("withdraw: %d %.300s", s, body)
		}
		w.rename(p.ID, "Internal title after withdrawal")
		out = w.publicOutputs(p.ID)
		for name, body := range out {
			if strings.Contains(body, "Internal title after withdrawal") {
				t.Errorf("after withdrawal and a rename, %s shows the internal title", name)
			}
			if name != "feed" && strings.Contains(body, "public title") {
				t.Errorf("after withdrawal, %s still shows the entry", name)
			}
		}
		if !strings.Contains(out["feed"], "<title>Second public title</title>") {
			t.Errorf("the feed's withdrawal line does not name the title that was public:\n%.1500s", out["feed"])
		}
		for _, path := range []string{fmt.Sprintf("/register/%d", p.ID), fmt.Sprintf("/register/%d/record.json", p.ID)} {
			if s, _, _ := w.do("", "GET", path, nil); s != 404 {
				t.Errorf("%s after withdrawal: %d, want 404", path, s)
			}
		}
		// The person who complained follows their case with the code: the
		// page names the purchase as it was public, not as it is now.
		_, page, _ := w.do("", "POST", "/complaints/follow", url.Values{"code": {code}})
		if strings.Contains(page, "Internal title after withdrawal") || !strings.Contains(page, "Second public title") {
			t.Errorf("the complainant's page names the purchase %q", regexp.MustCompile(`(?s)about[^<]*<[^>]*>[^<]*<a[^>]*>[^<]*`).FindString(page))
		}
	})
}

// fileComplaintAbout files an anonymous complaint about a published
// purchase and returns its receipt code.
func (w *world) fileComplaintAbout(id int64) string {
	w.t.Helper()
	s, page := w.complain(url.Values{"purchase": {fmt.Sprint(id)}, "complaint": {"It decided wrongly."}, "identify": {"no"}})
	m := codeRE.FindStringSubmatch(page)
	if s != 200 || m == nil {
		w.t.Fatalf("complaint: %d %.300s", s, page)
	}
	return m[1]
}
