package web_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"buyright/internal/demo"
	"buyright/internal/grievance"
	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
	"buyright/internal/web"
)

// demoSite is the demo running on loopback, signed in as its people.
type demoSite struct {
	t       *testing.T
	db      *store.DB
	srv     *httptest.Server
	pw      map[string]string
	cookies map[string]*http.Cookie
}

func newDemoSite(t *testing.T, db *store.DB) *demoSite {
	t.Helper()
	accounts, err := demo.Seed(ctx, db, cheap)
	if err != nil {
		t.Fatal(err)
	}
	d := &demoSite{t: t, db: db, pw: map[string]string{}, cookies: map[string]*http.Cookie{}}
	for _, a := range accounts {
		d.pw[a.Email] = a.Password
	}
	key, _ := grievance.ParseKey(grievance.NewKey())
	srv, err := web.New(web.Config{DB: db, Hasher: cheap, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), ComplaintKey: key})
	if err != nil {
		t.Fatal(err)
	}
	d.srv = httptest.NewServer(srv)
	t.Cleanup(d.srv.Close)
	return d
}

func (d *demoSite) do(email, method, path string, form url.Values, want int) string {
	d.t.Helper()
	c, ok := d.cookies[email]
	if !ok {
		resp, err := client().PostForm(d.srv.URL+"/signin", url.Values{"email": {email}, "password": {d.pw[email]}})
		if err != nil {
			d.t.Fatal(err)
		}
		resp.Body.Close()
		for _, x := range resp.Cookies() {
			if x.Name == "buyright_session" {
				c = x
			}
		}
		if c == nil {
			d.t.Fatalf("sign-in of %s failed", email)
		}
		d.cookies[email] = c
	}
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, d.srv.URL+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.AddCookie(c)
	resp, err := client().Do(req)
	if err != nil {
		d.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		d.t.Fatalf("%s %s as %s: %d, want %d\n%.4000s", method, path, email, resp.StatusCode, want, b)
	}
	return string(b)
}

// move goes one stage on. Gates this journey is about must pass; the
// others (the assessment's own requirements, which other tests cover) are
// overridden by the approver with a reason, as a body would.
func (d *demoSite) move(p *model.Purchase, to string, mustPass ...string) string {
	d.t.Helper()
	ana, _, _ := d.db.UserForSignIn(ctx, "ana@portavera.example")
	cur, _, err := d.db.Purchase(ctx, ana, p.ID)
	if err != nil {
		d.t.Fatal(err)
	}
	page := d.do("ana@portavera.example", "GET", fmt.Sprintf("/purchases/%d/transition?to=%s", p.ID, to), nil, 200)
	for _, rule := range mustPass {
		if gate(page, rule) != "pass" {
			d.t.Fatalf("gate %s does not pass on the way to %s:\n%s", rule, to, page[strings.Index(page, "<main"):])
		}
	}
	form := url.Values{"to": {to}, "version": {fmt.Sprint(cur.Version)}}
	if strings.Contains(page, `class="fail"`) {
		form.Set("override", "yes")
		form.Set("reason", "The assessment checklist is kept on paper for this pilot; reviewed at the gate.")
		d.do("rui@portavera.example", "POST", fmt.Sprintf("/purchases/%d/transition", p.ID), form, 303)
	} else {
		d.do("ana@portavera.example", "POST", fmt.Sprintf("/purchases/%d/transition", p.ID), form, 303)
	}
	return page
}

// gate returns "pass" or "fail" for a rule on a transition page, "" when
// the rule is not there.
func gate(page, rule string) string {
	for _, li := range strings.Split(page, `<li class="`)[1:] {
		if strings.Contains(li[:strings.Index(li+"</li>", "</li>")], "<code>"+rule+"</code>") {
			return li[:4]
		}
	}
	return ""
}

var itemRe = regexp.MustCompile(`id="item-([A-Z0-9-]+)"`)

// The "done when": following the demo's level III purchase from
// the tender pack to its exit.
func TestJourneyLevelIIIPurchaseFromTenderPackToExit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDemoSite(t, db)
		ana, chen := "ana@portavera.example", "chen@civitas.example"
		u, _, _ := db.UserForSignIn(ctx, ana)
		list, _ := db.Purchases(ctx, u, store.PurchaseFilter{Query: "Online portal for housing-benefit applications"})
		if len(list.Items) != 1 {
			t.Fatalf("demo portal purchase: %d", len(list.Items))
		}
		p := list.Items[0]
		base := fmt.Sprintf("/purchases/%d", p.ID)
		if sc, _ := db.Screening(ctx, p.ID); sc == nil || sc.Result.Level != 3 {
			t.Fatalf("the demo purchase is not screened at level III: %+v", sc)
		}

		// 1. A tender pack that covers every mandatory requirement.
		page := d.do(ana, "GET", base+"/tender", nil, 200)
		if !strings.Contains(page, "not covered by an accepted item") {
			t.Fatal("the tender pack starts covered")
		}
		for _, m := range itemRe.FindAllStringSubmatch(page, -1) {
			d.do(ana, "POST", base+"/tender", url.Values{"item": {m[1]}, "decision": {"accepted"}}, 303)
		}
		if page := d.do(ana, "GET", base+"/tender", nil, 200); !strings.Contains(page, "Every mandatory requirement for tender design and the contract is covered") {
			t.Fatal("accepting the proposal does not cover the mandatory requirements")
		}

		// 2. Invite a supplier, who answers from its own account.
		civitas, _, _ := db.UserForSignIn(ctx, chen)
		d.do(ana, "POST", base+"/suppliers", url.Values{"org_id": {fmt.Sprint(civitas.OrgID)}}, 303)
		d.do(chen, "POST", base+"/due-diligence", url.Values{"q_policy": {"Published policy, board-approved."}, "q_data": {"Hosted in the EU; deleted after 30 days."},
			"q_breaching_request": {"We would refuse and inform the data-protection officer."}}, 303)
		if page := d.do(ana, "GET", base, nil, 200); !strings.Contains(page, "answered (version 1), waiting for review") {
			t.Error("the body does not see the supplier's answers")
		}
		d.move(p, "award", "tender_pack")
		d.move(p, "contract")

		// 3. The contract, its safeguards and an amendment that re-opens screening.
		d.do(ana, "POST", base+"/contract", url.Values{"suppliers": {"Civitas Analytics Ltd"}, "value": {"410,000"}, "currency": {"EUR"},
			"signed_on": {model.DateOf(time.Now()).AddDays(-30).String()}, "starts_on": {model.DateOf(time.Now()).AddDays(-20).String()},
			"ends_on": {model.DateOf(time.Now()).AddDays(700).String()}, "rev": {"0"}}, 303)
		page = d.do(ana, "GET", base+"/contract", nil, 200)
		marks := url.Values{}
		for _, m := range regexp.MustCompile(`name="sg_([A-Z0-9-]+)"`).FindAllStringSubmatch(page, -1) {
			marks.Set("sg_"+m[1], "signed")
		}
		if len(marks) == 0 {
			t.Fatal("no tender-pack safeguards to mark")
		}
		d.do(ana, "POST", base+"/contract/safeguards", marks, 303)
		d.do(ana, "POST", base+"/contract/amendments", url.Values{"made_on": {model.DateOf(time.Now()).String()}, "summary": {"Applicants' bank details are checked against the tax register."},
			"reason": {"Requested by the finance department."}, "widens_data": {"yes"}}, 303)
		if page := d.do(ana, "GET", base, nil, 200); !strings.Contains(page, "Screen again: amendment 1 widens the contract") {
			t.Fatal("the amendment did not re-open the screening")
		}
		page = d.do(ana, "GET", base+"/transition?to=implementation", nil, 200)
		if gate(page, "screening_current") != "fail" {
			t.Fatal("the gate does not hold the purchase until it is screened again")
		}
		sc, _ := db.Screening(ctx, p.ID)
		form := url.Values{}
		for id, v := range sc.Answers {
			form.Add("shown", id)
			switch x := v.(type) {
			case []any:
				for _, e := range x {
					form.Add("q_"+id, fmt.Sprint(e))
				}
			default:
				form.Add("q_"+id, fmt.Sprint(x))
			}
		}
		d.do(ana, "POST", base+"/screening", form, 303)
		d.do(ana, "POST", base+"/reviews", url.Values{"kind": {"renewal"}, "due_on": {model.DateOf(time.Now()).AddDays(60).String()}}, 303)
		d.move(p, "implementation", "contract_recorded", "safeguards_signed", "screening_current")

		// 4. Monitoring results that breach a threshold open a task.
		d.do(ana, "POST", base+"/monitoring/indicators", url.Values{"catalog_id": {"IND-ON-TIME"}}, 303)
		plan, _ := db.Indicators(ctx, p.ID)
		d.do(ana, "POST", base+"/monitoring/measurements", url.Values{"indicator": {fmt.Sprint(plan[0].ID)}, "period": {model.DateOf(time.Now()).String()},
			"group": {"people aged 75 and over"}, "value": {"62"}}, 303)
		if page := d.do(ana, "GET", base, nil, 200); !strings.Contains(page, "<ul class=\"plain tasks\"><li>Monitoring: Applications decided within the legal deadline, by group is 62") {
			t.Fatal("the breach did not open a task on the purchase page")
		}

		// 5. Renewal or exit: the body decides to exit and carries out the exit plan.
		d.move(p, "renewal_exit")
		rs, _ := db.Reviews(ctx, p.ID)
		d.do(ana, "POST", fmt.Sprintf("%s/reviews/%d", base, rs[0].ID), url.Values{"outcome": {"renew"}, "held_on": {model.DateOf(time.Now()).String()},
			"findings": {"Works for most."}, "new_ends_on": {"2030-01-01"}}, 422)
		d.do(ana, "POST", fmt.Sprintf("%s/reviews/%d", base, rs[0].ID), url.Values{"outcome": {"exit"}, "held_on": {model.DateOf(time.Now()).String()},
			"findings": {"Older applicants wait too long; the council will bring the service back in house."}}, 303)
		page = d.do(ana, "GET", base+"/transition?to=closed", nil, 200)
		if gate(page, "exit_plan_evidenced:missing_plan") != "fail" {
			t.Fatal("the purchase could close without an exit plan")
		}
		d.do(ana, "POST", base+"/exit", url.Values{"data_return": {"All applications and documents, as CSV and PDF, to the council."}, "deletion": {"Civitas deletes every copy, backups included, and certifies it."},
			"transition": {"Council staff take over; applicants are told by letter and on the website."}, "returned_on": {model.DateOf(time.Now()).String()},
			"deleted_on": {model.DateOf(time.Now()).String()}, "rev": {"0"}}, 303)
		if err := db.AddPurchaseFile(ctx, store.ActorOf(u), p, &store.PurchaseFile{Kind: "exit", Name: "deletion-certificate.pdf", CType: "application/pdf", Data: []byte("%PDF-1.4\n")}); err != nil {
			t.Fatal(err)
		}
		d.move(p, "closed", "exit_decided", "exit_plan_evidenced")
		final, _, _ := db.Purchase(ctx, u, p.ID)
		if final.Stage != model.StageClosed {
			t.Fatalf("stage %s", final.Stage)
		}
	})
}
