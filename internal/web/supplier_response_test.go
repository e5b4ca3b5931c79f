package web_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

func TestSupplierDeclinesWithAReasonTheBodyReads(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.purchase("Benefits portal")
		base := fmt.Sprintf("/purchases/%d", p.ID)
		if body := w.page("vendor_supplier", base); !strings.Contains(body, "You have not answered the invitation yet.") || !strings.Contains(body, base+"/due-diligence#invitation") {
			t.Error("the purchase page does not ask the supplier to answer the invitation")
		}
		page := w.page("vendor_supplier", base+"/due-diligence")
		if !strings.Contains(page, `name="response" value="declined"`) || !strings.Contains(page, `<label for="f-inv_reason">Reason</label>`) {
			t.Fatalf("no invitation form:\n%.3000s", page)
		}
		// Declining needs a reason; what was chosen stays.
		body := w.post("vendor_supplier", base+"/invitation", url.Values{"response": {"declined"}, "reason": {"  "}}, 422)
		if !strings.Contains(body, "give a reason for declining.") || !strings.Contains(body, `value="declined" checked`) || !strings.Contains(body, `href="#f-inv_reason"`) {
			t.Errorf("refused decline:\n%.3000s", body)
		}
		w.post("vendor_supplier", base+"/invitation", url.Values{"response": {"maybe"}}, 422)
		reason := `Our team is fully booked until 2027 <b>sorry</b>`
		w.post("vendor_supplier", base+"/invitation", url.Values{"response": {"declined"}, "reason": {reason}}, 303)

		// The body reads it on the purchase and on the suppliers' list, as text.
		for _, path := range []string{base, base + "/due-diligence"} {
			body := w.page("city_officer", path)
			if !strings.Contains(body, "Our team is fully booked until 2027 &lt;b&gt;sorry&lt;/b&gt;") || !strings.Contains(body, "declined on ") {
				t.Errorf("%s does not show the reason to the body:\n%.4000s", path, body)
			}
		}
		if body := w.page("vendor_supplier", base); !strings.Contains(body, "You declined this invitation.") {
			t.Error("the supplier's panel does not say it declined")
		}
		// It may change its mind; another supplier or the body cannot answer for it.
		w.post("vendor_supplier", base+"/invitation", url.Values{"response": {"accepted"}}, 303)
		body = w.page("city_officer", base)
		panel := body[strings.Index(body, `id="supplierdd-h"`):]
		panel = panel[:strings.Index(panel, "</section>")]
		if !strings.Contains(panel, "takes part") || strings.Contains(panel, "fully booked") {
			t.Errorf("acceptance not shown, or the old reason still shown:\n%s", panel)
		}
		for name, want := range map[string]int{"rival_supplier": 404, "city_officer": 403} {
			if s, _, _ := w.do(name, "POST", base+"/invitation", url.Values{"response": {"declined"}, "reason": {"x"}}); s != want {
				t.Errorf("%s answers the invitation: %d, want %d", name, s, want)
			}
		}
		n := 0
		entries, _ := db.AuditFor(ctx, "purchase", p.ID, 50)
		for _, e := range entries {
			if strings.HasPrefix(e.Action, "invitation_") {
				n++
			}
		}
		if n != 2 {
			t.Errorf("want 2 audited answers, have %d", n)
		}
	})
}

func TestSupplierDraftStaysWithTheSupplierUntilSubmitted(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.purchase("Benefits portal")
		base := fmt.Sprintf("/purchases/%d", p.ID)
		vendor := w.orgs["vendor"].ID
		// A draft is kept even when it would not pass as an answer.
		draft := url.Values{"draft": {"yes"}, "q_policy": {"Half-written policy <i>note</i>"}}
		w.post("vendor_supplier", base+"/due-diligence", draft, 303)
		page := w.page("vendor_supplier", base+"/due-diligence")
		if !strings.Contains(page, "Half-written policy &lt;i&gt;note&lt;/i&gt;") || !strings.Contains(page, "not submitted: the buying body does not see it") {
			t.Fatalf("the draft does not come back:\n%.3000s", page)
		}
		// The body sees nothing of it.
		for _, path := range []string{base, base + "/due-diligence", fmt.Sprintf("%s/due-diligence/%d", base, vendor)} {
			if _, body, _ := w.do("city_officer", "GET", path, nil); strings.Contains(body, "Half-written") {
				t.Errorf("the body reads the draft on %s", path)
			}
		}
		if vs, _ := db.SupplierAnswers(ctx, p.ID, vendor); len(vs) != 0 {
			t.Fatalf("a draft made %d versions", len(vs))
		}
		// Submitting turns it into a version and the draft is gone.
		w.post("vendor_supplier", base+"/due-diligence", url.Values{"q_policy": {"Board-approved policy"}, "q_breaching_request": {"We would refuse."}}, 303)
		if d, _ := db.SupplierDraftOf(ctx, p.ID, vendor); d != nil {
			t.Error("the draft outlived the submission")
		}
		if body := w.page("city_officer", fmt.Sprintf("%s/due-diligence/%d", base, vendor)); !strings.Contains(body, "Board-approved policy") {
			t.Error("the submitted answer is not shown to the body")
		}
		// Only the invited supplier keeps a draft.
		if s, _, _ := w.do("rival_supplier", "POST", base+"/due-diligence", draft); s != 404 {
			t.Errorf("another supplier saves a draft: %d", s)
		}
	})
}

func TestBiddersReadOnlyThePublishedPack(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.purchase("Benefits portal")
		w.screen(p, welfare)
		path := fmt.Sprintf("/purchases/%d/tender", p.ID)
		f := sectionForm(t, w.page("city_officer", path), "clause")
		f.Set("d-CL-EXIT", "rejected")
		f.Set("reason-CL-EXIT", "Internal reason bidders must not read")
		w.saveSection(p, f, 303)

		bidders := path + "/bidders"
		// Before the tender is out the supplier reads that it is being prepared.
		body := w.page("vendor_supplier", bidders)
		if !strings.Contains(body, "still being prepared") || strings.Contains(body, "Suspension when a risk to rights appears") {
			t.Errorf("unpublished pack shown to a bidder:\n%.3000s", body)
		}
		if !strings.Contains(w.page("city_officer", bidders), "Preview:") || !strings.Contains(w.page("city_officer", path), `href="`+bidders+`"`) {
			t.Error("the body sees no preview, or no link to it from the tender pack")
		}
		w.moveOverriding(p, "market_engagement")
		w.moveOverriding(p, "tender_design")
		w.moveOverriding(p, "award")
		body = w.page("vendor_supplier", bidders)
		if !strings.Contains(body, "Suspension when a risk to rights appears") {
			t.Errorf("published pack lacks an accepted clause:\n%.3000s", body)
		}
		for _, not := range []string{"Exit plan and hand-over", "Internal reason", "decided by", "Coverage", "Meets"} {
			if strings.Contains(body, not) {
				t.Errorf("bidders read %q", not)
			}
		}
		// The full pack, its documents and other suppliers stay closed.
		for _, x := range []struct {
			name, path string
			want       int
		}{{"vendor_supplier", path, 403}, {"vendor_supplier", path + "/document", 403}, {"vendor_supplier", path + ".md", 403}, {"rival_supplier", bidders, 404}} {
			if s, _, _ := w.do(x.name, "GET", x.path, nil); s != x.want {
				t.Errorf("%s GET %s: %d, want %d", x.name, x.path, s, x.want)
			}
		}
	})
}
