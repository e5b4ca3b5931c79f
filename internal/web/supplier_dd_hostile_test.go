package web_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// Whatever a supplier types in its answers or names its evidence, and
// whatever the body writes in its review, every page that shows it shows
// text, never markup; a download's name cannot break its headers.
func TestSupplierDueDiligenceShowsHostileStringsAsText(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	w := newWorld(t, db)
	p := w.purchase("Hostile answers")
	base := fmt.Sprintf("/purchases/%d", p.ID)
	vendor := fmt.Sprint(w.orgs["vendor"].ID)
	raw := []string{"<script>alert", "<img src=x", "<svg/onload", `" autofocus onfocus`}
	check := func(name, who, path, value string) {
		t.Helper()
		s, body, _ := w.do(who, "GET", path, nil)
		if s != 200 {
			t.Errorf("%s: %s gets %s: %d", name, who, path, s)
			return
		}
		for _, bad := range raw {
			if strings.Contains(value, strings.TrimPrefix(bad, `" `)) && strings.Contains(body, bad) {
				t.Errorf("%s: %s's page %s contains raw %q", name, who, path, bad)
			}
		}
	}
	accepted := 0
	for _, h := range hostileStrings(t) {
		// The hostile string in two answers, one in each part.
		s, body, _ := w.do("vendor_supplier", "POST", base+"/due-diligence", url.Values{"q_policy": {h.Value}, "q_misuse": {"Misuse " + h.Value}})
		if s == 422 {
			continue // empty after cleaning: refused, fine as long as nothing breaks
		}
		if s != 303 {
			t.Errorf("%s: answer status %d\n%.300s", h.Name, s, body)
			continue
		}
		accepted++
		check(h.Name, "vendor_supplier", base+"/due-diligence", h.Value)
		check(h.Name, "city_officer", base+"/due-diligence/"+vendor, h.Value)
		check(h.Name, "nhri_oversight", base+"/due-diligence/"+vendor, h.Value)

		// The body's review comment, on the version just submitted.
		vs, err := db.SupplierAnswers(ctx, p.ID, w.orgs["vendor"].ID)
		if err != nil || len(vs) == 0 {
			t.Fatalf("%s: versions: %v", h.Name, err)
		}
		if s, body, _ := w.do("city_officer", "POST", base+"/due-diligence/"+vendor+"/review", url.Values{"version": {fmt.Sprint(vs[0].Version)}, "score_policy": {"partial"}, "comment": {"Comment " + h.Value}}); s != 303 {
			t.Errorf("%s: review status %d\n%.300s", h.Name, s, body)
			continue
		}
		check(h.Name+" (review)", "vendor_supplier", base+"/due-diligence", h.Value)
		check(h.Name+" (review)", "city_officer", base+"/due-diligence/"+vendor, h.Value)

		// Evidence named with the hostile string.
		// A name with control characters does not survive the multipart
		// header and the upload is refused as having no file: fine too.
		if s := w.evidence("vendor_supplier", p, "policy", h.Value+".pdf", []byte("%PDF-1.4\n%%EOF\n")); s != 303 && s != 422 {
			t.Errorf("%s: evidence status %d", h.Name, s)
		}
	}
	if accepted < 3 {
		t.Fatalf("only %d hostile answers accepted: the test proves little", accepted)
	}
	check("file names", "vendor_supplier", base+"/due-diligence", strings.Join(raw, ""))
	check("file names", "city_officer", base+"/due-diligence/"+vendor, strings.Join(raw, ""))
	files, err := db.PurchaseFiles(ctx, p.ID, "supplier")
	if err != nil || len(files) == 0 {
		t.Fatalf("files: %v %v", files, err)
	}
	for _, f := range files {
		s, _, hdr := w.do("city_officer", "GET", fmt.Sprintf("%s/due-diligence/files/%d", base, f.ID), nil)
		cd := hdr.Get("Content-Disposition")
		if s != 200 || !strings.HasPrefix(cd, "attachment") || strings.ContainsAny(cd, "\r\n") || hdr.Get("Set-Cookie") != "" {
			t.Errorf("download of %q: %d %q", f.Name, s, cd)
		}
		if !strings.HasSuffix(f.Name, ".pdf") || strings.ContainsAny(f.Name, "/\\\x00\u202e") {
			t.Errorf("stored name %q", f.Name)
		}
	}
}
