package web_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// Every hostile string as a sub-processor's name and work, an incident, a
// company answer, and a document's title with a redaction's place and
// reason comes back as text: on the supplier's and the body's obligations
// pages, the company answers page, the body's documents page and the
// public register entry.
func TestAfterAwardShowsHostileStringsAsText(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	w := newWorld(t, db)
	raw := []string{"<script>alert", "<img src=x", "<svg/onload", "<iframe", `" autofocus onfocus`}
	check := func(name, where, body string) {
		t.Helper()
		for _, bad := range raw {
			if strings.Contains(body, bad) {
				t.Errorf("%s: %s contains raw %q", name, where, bad)
			}
		}
	}
	p := w.purchase("Hostile after award")
	base := fmt.Sprintf("/purchases/%d", p.ID)
	w.post("city_officer", base+"/obligations/award", url.Values{"awarded": {fmt.Sprint(w.orgs["vendor"].ID)}}, 303)
	w.post("city_officer", base+"/publication", url.Values{"publish": {"yes"}, "summary": {"Plain words"}}, 303)
	today := model.DateOf(db.Now()).String()
	accepted := 0
	for i, h := range hostileStrings(t) {
		s1, _, _ := w.do("vendor_supplier", "POST", base+"/obligations/subcontractors", url.Values{"sub_name": {fmt.Sprintf("Sub %d %s", i, h.Value)},
			"sub_role": {"subcontractor"}, "sub_work": {"Work " + h.Value}, "sub_data": {"none"}, "sub_country": {h.Value}, "sub_since": {today}})
		s2, _, _ := w.do("vendor_supplier", "POST", base+"/obligations/incidents", url.Values{"occurred_on": {today}, "severity": {"low"}, "what": {"Incident " + h.Value}, "affected": {h.Value}})
		s3, _, _ := w.do("vendor_supplier", "POST", "/supplier/due-diligence", url.Values{"q_policy": {fmt.Sprintf("Policy %d %s", i, h.Value)}})
		for _, s := range []int{s1, s2, s3} {
			if s != 303 && s != 422 {
				t.Fatalf("%s: status %d", h.Name, s)
			}
		}
		if s1 == 303 && s2 == 303 && s3 == 303 {
			accepted++
		}
		st, _ := w.postDocument("city_officer", base+"/disclosure", map[string]string{"doc_kind": "contract", "doc_title": fmt.Sprintf("Doc %d %s", i, h.Value)}, "full "+fmt.Sprint(i), "redacted "+fmt.Sprint(i))
		if st != 303 && st != 422 {
			t.Fatalf("%s: document status %d", h.Name, st)
		}
		if st != 303 {
			continue
		}
		docs, _ := db.Disclosures(ctx, p.ID, false)
		doc := docs[len(docs)-1]
		dbase := fmt.Sprintf("%s/disclosure/%d", base, doc.ID)
		if s, _, _ := w.do("city_officer", "POST", dbase+"/redactions", url.Values{"ground": {"personal_data"}, "location": {"Annex " + h.Value}, "reason": {"Reason " + h.Value}}); s != 303 && s != 422 {
			t.Fatalf("%s: redaction status %d", h.Name, s)
		}
		if s, _, _ := w.do("city_approver", "POST", dbase+"/publish", url.Values{}); s != 303 && s != 409 {
			t.Fatalf("%s: publish status %d", h.Name, s)
		}
	}
	if accepted < 10 {
		t.Fatalf("only %d hostile strings accepted: the test checks too little", accepted)
	}
	check("all", "the supplier's obligations", w.page("vendor_supplier", base+"/obligations"))
	check("all", "the body's obligations", w.page("city_officer", base+"/obligations"))
	check("all", "the company answers", w.page("vendor_supplier", "/supplier/due-diligence"))
	check("all", "the documents page", w.page("city_approver", base+"/disclosure"))
	check("all", "the register entry", w.page("", fmt.Sprintf("/register/%d", p.ID)))
	if docs, _ := db.Disclosures(ctx, p.ID, true); len(docs) < 10 {
		t.Errorf("only %d documents published", len(docs))
	}
}
