package web_test

import (
	"fmt"
	"net/url"
	"slices"
	"testing"
	"time"

	"buyright/internal/model"
	"buyright/internal/staterequest"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// The nexus beyond a purchase: a relationship's terms and firewall (on a
// fresh purchase, like every purchase route), and the State request and
// report routes, which belong to no purchase.
var (
	// Record requests: people of a supplier (admin, supplier) and of a
	// public body (admin, officer, approver).
	requestRecorders = []string{"city_admin", "city_officer", "city_approver", "town_officer", "vendor_supplier", "rival_supplier"}
	// Read request records: every person of a supplier, a public body or
	// an oversight body.
	requestReaders = []string{"city_admin", "city_officer", "city_assessor", "city_approver", "city_viewer", "town_officer",
		"nhri_oversight", "nhri_viewer", "dpa_oversight", "vendor_supplier", "rival_supplier"}
	barrierReporters = []string{"city_admin", "city_officer", "city_assessor", "city_approver", "vendor_supplier"}
)

func init() {
	featureRoutes = append(featureRoutes, func() []route {
		rule := url.Values{"data": {"Proximity keys"}, "barred_uses": {"Policing"}, "technical": {"Keys stay on phones"}}
		incident := url.Values{"occurred_on": {"2026-01-02"}, "found_on": {"2026-01-03"}, "barrier": {"technical"}, "what": {"A debug export was readable"}}
		req := url.Values{"authority_id": {"%city"}, "company_id": {"%vendor"}, "authority_reference": {"REF-%n"}, "request_date": {"2020-01-15"},
			"legal_basis": {"Code of Criminal Procedure, art. 187"}, "legal_process": {"court_order"}, "request_type": {"user_data"},
			"urgency": {"routine"}, "response": {"partly"}, "users_notified": {"not_yet"}, "accounts": {"3"}}
		return []route{
			{method: "GET", path: "/purchases/%d/relationship", ok: 200, allowed: seers, onPurchase: true},
			{method: "POST", path: "/purchases/%d/relationship", form: url.Values{"conditions": {"Coverage"}, "rev": {"0"}}, ok: 303, allowed: editors, onPurchase: true},
			{method: "GET", path: "/purchases/%d/firewall", ok: 200, allowed: seers, onPurchase: true},
			{method: "POST", path: "/purchases/%d/firewall/rules", form: rule, ok: 303, allowed: editors, onPurchase: true},
			{method: "POST", path: "/purchases/%d/firewall/incidents", form: incident, ok: 303, allowed: barrierReporters, onPurchase: true},
			{method: "GET", path: "/requests", ok: 200, allowed: requestReaders},
			{method: "GET", path: "/requests/new", ok: 200, allowed: requestRecorders},
			{method: "POST", path: "/requests", form: req, ok: 303, allowed: requestRecorders},
			{method: "GET", path: "/requests/reports", ok: 200, allowed: requestRecorders},
			{method: "GET", path: "/requests/reports?period=2025-H2", ok: 200, allowed: requestRecorders},
			// A half-year that has not ended: those allowed get the form back.
			{method: "POST", path: "/requests/reports", form: url.Values{"period": {"2999-H1"}, "narrative": {"x"}}, ok: 422, allowed: requestRecorders},
			{method: "GET", path: "/requests/999999", ok: 404, allowed: everyone},
		}
	})
}

// record makes a request record on by's side, with the other side the
// world's city or vendor.
func (w *world) record(by string, ref string) *staterequest.Request {
	w.t.Helper()
	u := w.users[by]
	r := &staterequest.Request{Reference: ref, MadeOn: model.DateOf(time.Now()).AddDays(-3), LegalBasis: "Law 1/2020, art. 2",
		Process: staterequest.AdminOrder, Type: staterequest.UserData, Urgency: "routine", Response: staterequest.Complied, Notified: "no",
		AuthorityID: w.orgs["city"].ID, CompanyID: w.orgs["vendor"].ID}
	if err := w.db.CreateStateRequest(ctx, store.ActorOf(u), u, r); err != nil {
		w.t.Fatal(err)
	}
	return r
}

// A request record is read by its own side and by the oversight bodies
// with the authority in their remit, changed only by its own side's
// recorders; oversight may see but not change (403), everyone else finds
// nothing (404).
func TestRequestRecordAuthorisation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		oversight := []string{"nhri_oversight", "nhri_viewer"}
		cases := []struct {
			by               string
			readers, editors []string
		}{
			{"vendor_supplier", append([]string{"vendor_supplier"}, oversight...), []string{"vendor_supplier"}},
			{"city_officer", append([]string{"city_admin", "city_officer", "city_assessor", "city_approver", "city_viewer"}, oversight...),
				[]string{"city_admin", "city_officer", "city_approver"}},
		}
		n := 0
		for _, c := range cases {
			for _, name := range append([]string{""}, everyone...) {
				n++
				rec := w.record(c.by, fmt.Sprintf("AUTHZ-%d", n))
				id := fmt.Sprint(rec.ID)
				want := func(ok int, allowed []string) int {
					switch {
					case name == "":
						return 303
					case slices.Contains(allowed, name):
						return ok
					case slices.Contains(c.readers, name):
						return 403
					}
					return 404
				}
				form := url.Values{"authority_id": {fmt.Sprint(w.orgs["city"].ID)}, "company_id": {fmt.Sprint(w.orgs["vendor"].ID)},
					"authority_reference": {rec.Reference}, "request_date": {rec.MadeOn.String()}, "legal_basis": {"Law 1/2020, art. 3"},
					"legal_process": {"administrative_order"}, "request_type": {"user_data"}, "urgency": {"routine"}, "response": {"refused"},
					"users_notified": {"no"}, "rev": {"1"}}
				for _, x := range []struct {
					method, path string
					form         url.Values
					want         int
				}{
					{"GET", "/requests/" + id, nil, want(200, c.readers)},
					{"GET", "/requests/" + id + "/edit", nil, want(200, c.editors)},
					{"POST", "/requests/" + id, form, want(303, c.editors)},
				} {
					if got, body, _ := w.do(name, x.method, x.path, x.form); got != x.want {
						t.Errorf("%s's record: %s %s as %q: %d, want %d\n%.300s", c.by, x.method, x.path, name, got, x.want, body)
					}
				}
			}
		}
	})
}

// The public side needs no account and answers everyone alike: the list
// of transparency reports, a report as a page, CSV and JSON, the register
// of emergency measures and its JSON; a report that does not exist is 404.
func TestNexusPublicRoutes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		u := w.users["vendor_supplier"]
		r := w.record("vendor_supplier", "PUB-1")
		r.MadeOn = staterequest.PeriodOf(model.DateOf(time.Now())).Prev().Start()
		if err := db.UpdateStateRequest(ctx, store.ActorOf(u), u, r, 1); err != nil {
			t.Fatal(err)
		}
		rep, err := db.PublishReport(ctx, store.ActorOf(u), u, staterequest.PeriodOf(r.MadeOn), "Our account")
		if err != nil {
			t.Fatal(err)
		}
		id := fmt.Sprint(rep.ID)
		for _, name := range append([]string{""}, everyone...) {
			for path, want := range map[string]int{
				"/transparency": 200, "/transparency/" + id: 200, "/transparency/" + id + "/report.csv": 200,
				"/transparency/" + id + "/report.json": 200, "/transparency/999999": 404, "/transparency/x/report.csv": 404,
				"/register/emergency": 200, "/register/emergency.json": 200,
			} {
				if got, body, _ := w.do(name, "GET", path, nil); got != want {
					t.Errorf("GET %s as %q: %d, want %d\n%.200s", path, name, got, want, body)
				}
			}
		}
	})
}
