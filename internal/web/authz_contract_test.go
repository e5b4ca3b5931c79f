package web_test

import "net/url"

func init() {
	featureRoutes = append(featureRoutes, func() []route {
		contract := url.Values{"suppliers": {"Vendor"}, "value": {"100"}, "currency": {"EUR"}, "signed_on": {"2026-01-01"},
			"starts_on": {"2026-01-02"}, "ends_on": {"2027-01-01"}, "rev": {"0"}}
		return []route{
			{method: "GET", path: "/purchases/%d/contract", ok: 200, allowed: recorders, onPurchase: true},
			{method: "POST", path: "/purchases/%d/contract", form: contract, ok: 303, allowed: editors, onPurchase: true},
			{method: "POST", path: "/purchases/%d/contract/safeguards", ok: 303, allowed: editors, onPurchase: true},
			// No contract recorded on a fresh purchase: those allowed get the form error.
			{method: "POST", path: "/purchases/%d/contract/amendments", form: url.Values{"made_on": {"2026-01-05"}, "summary": {"s"}, "reason": {"r"}}, ok: 422, allowed: editors, onPurchase: true},
			{method: "GET", path: "/purchases/%d/reviews", ok: 200, allowed: recorders, onPurchase: true},
			{method: "POST", path: "/purchases/%d/reviews", form: url.Values{"kind": {"review"}, "due_on": {"2027-01-01"}}, ok: 303, allowed: editors, onPurchase: true},
			{method: "GET", path: "/purchases/%d/reviews/999999", ok: 404, allowed: recorders, onPurchase: true},
			{method: "POST", path: "/purchases/%d/reviews/999999", ok: 404, allowed: editors, onPurchase: true},
			{method: "POST", path: "/purchases/%d/exit", form: url.Values{"data_return": {"CSV"}, "rev": {"0"}}, ok: 303, allowed: editors, onPurchase: true},
		}
	})
}

func init() {
	featureRoutes = append(featureRoutes, func() []route {
		return []route{{method: "GET", path: "/admin/outbox", ok: 200, allowed: siteAdmins}}
	})
}
