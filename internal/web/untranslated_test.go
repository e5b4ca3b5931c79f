package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"buyright/internal/i18n"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// crawlPeople are the demo's people whose pages the crawl walks: the
// public, and one person for each kind of work.
var crawlPeople = []string{
	"", "ana@portavera.example", "rui@portavera.example", "ines@portavera.example", "sara@portavera.example",
	"bruno@nhri.example", "chen@civitas.example", "operator@buyright.example",
	"sofia@research.example", "teresa@claimants.example",
}

var (
	hrefRe = regexp.MustCompile(`href="(/[^"#]*)"`)
	// A page's words: text between tags and the attributes people hear or see.
	tagRe  = regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>|<code[^>]*>.*?</code>|<[^>]*>`)
	attrRe = regexp.MustCompile(`\b(?:aria-label|title|placeholder|alt|value)="([^"]*)"`)
	// A key is dotted lower-case words: "audit.import", "facet.unscreened".
	keyRe   = regexp.MustCompile(`[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)+`)
	digitRe = regexp.MustCompile(`[0-9]+`)
	// A file's name in the data ("assessment.html") is not a key.
	fileName = regexp.MustCompile(`\.(html|pdf|csv|md|json|jsonl|docx|odt|txt|xml|png|jpg|zip)$`)
)

// skipCrawl are links that are files, feeds or actions, not pages.
func skipCrawl(p string) bool {
	for _, s := range []string{".json", ".csv", ".md", ".xml", ".jsonl", ".ics", "/static/", "/files/", "/download", "/signout", "/export", "/feed", "/attachments/", "/report.pdf", "/lang"} {
		if strings.Contains(p, s) {
			return true
		}
	}
	return false
}

// untranslatedKeys returns the key-like words of a page whose first part
// names a catalogue namespace (so "portavera.example" is not one, but
// "audit.import" is).
func untranslatedKeys(page string, spaces map[string]bool) []string {
	if i := strings.Index(page, "<main"); i >= 0 {
		page = page[i:]
	}
	var words []string
	for _, m := range attrRe.FindAllStringSubmatch(page, -1) {
		words = append(words, m[1])
	}
	words = append(words, tagRe.ReplaceAllString(page, " "))
	var out []string
	for _, w := range words {
		for _, k := range keyRe.FindAllString(w, -1) {
			first, rest, _ := strings.Cut(k, ".")
			if spaces[first] && rest != "" && strings.ToLower(k) == k && !strings.ContainsAny(rest[:1], "0123456789") && !fileName.MatchString(k) {
				out = append(out, k)
			}
		}
	}
	return out
}

// Every page the demo's people can reach, in every language, shows words,
// never a catalogue key: the crawl follows the links from the home page
// and the dashboard (at most three pages of each shape, as digits vary)
// and reads each in English and the first of each shape in pt, es and fr.
func TestNoPageShowsAnUntranslatedKey(t *testing.T) {
	if testing.Short() || raceDetector {
		t.Skip("renders the whole demo in four languages (not with -short or -race)")
	}
	db := storetest.Open(t, store.SQLite)
	d := newDemoSite(t, db)
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	spaces := map[string]bool{}
	for _, k := range b.Catalog("en").Keys() {
		first, _, _ := strings.Cut(k, ".")
		spaces[first] = true
	}
	found := map[string][]string{} // key -> where
	pages := 0
	for _, who := range crawlPeople {
		seen := map[string]bool{}
		shapes := map[string]int{}
		queue := []string{"/", "/register", "/lab"}
		if who != "" {
			queue = append(queue, "/dashboard")
		}
		for len(queue) > 0 && len(seen) < 250 {
			p := queue[0]
			queue = queue[1:]
			shape := digitRe.ReplaceAllString(strings.SplitN(p, "?", 2)[0], "N")
			if seen[p] || skipCrawl(p) || shapes[shape] >= 3 {
				continue
			}
			seen[p] = true
			shapes[shape]++
			for _, lang := range b.Langs() {
				// Keys fall back alike in every language; only pages that
				// choose by language differ, so the other languages read
				// the first page of each shape.
				if lang != "en" && shapes[shape] > 1 {
					break
				}
				status, page := d.get(who, lang, p)
				if status != http.StatusOK {
					break
				}
				pages++
				for _, k := range untranslatedKeys(page, spaces) {
					found[k] = append(found[k], fmt.Sprintf("%s %s as %q", lang, p, who))
				}
				if lang != "en" {
					continue
				}
				for _, m := range hrefRe.FindAllStringSubmatch(page, -1) {
					if u, err := url.Parse(strings.ReplaceAll(m[1], "&amp;", "&")); err == nil && u.Path != "" {
						queue = append(queue, u.RequestURI())
					}
				}
			}
		}
	}
	keys := make([]string, 0, len(found))
	for k := range found {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Errorf("%q shows on %d page(s), e.g. %s", k, len(found[k]), found[k][0])
	}
	if pages < 1000 {
		t.Errorf("the crawl read only %d pages; the links it follows have changed", pages)
	}
	t.Logf("%d pages read", pages)
}

// get reads a page as a person in a language; it does not fail the test on
// a status other than 200 (the crawl meets links a person may not open).
func (d *demoSite) get(email, lang, path string) (int, string) {
	d.t.Helper()
	req, _ := http.NewRequest("GET", d.srv.URL+path, nil)
	req.AddCookie(&http.Cookie{Name: "buyright_lang", Value: lang})
	if email != "" {
		if _, ok := d.cookies[email]; !ok {
			d.do(email, "GET", "/dashboard", nil, 200) // signs in
		}
		req.AddCookie(d.cookies[email])
	}
	resp, err := client().Do(req)
	if err != nil {
		d.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}
