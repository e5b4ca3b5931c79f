package web_test

import "net/url"

// Supplier due diligence: the invited supplier (vendor) answers; the body
// reads and reviews; oversight reads.
func init() {
	featureRoutes = append(featureRoutes, func() []route {
		return []route{
			{method: "GET", path: "/purchases/%d/due-diligence", ok: 200, allowed: seers, onPurchase: true},
			{method: "POST", path: "/purchases/%d/due-diligence", form: url.Values{"q_policy": {"Our policy"}}, ok: 303, allowed: []string{"vendor_supplier"}, onPurchase: true},
			// Not a multipart body: the supplier gets the form error.
			{method: "POST", path: "/purchases/%d/due-diligence/files", form: url.Values{"question": {"policy"}}, ok: 422, allowed: []string{"vendor_supplier"}, onPurchase: true},
			{method: "GET", path: "/purchases/%d/due-diligence/files/999999", ok: 404, allowed: seers, onPurchase: true},
			{method: "GET", path: "/purchases/%d/due-diligence/%%vendor", ok: 200, allowed: recorders, onPurchase: true},
			// No answers yet: those allowed get "not found" for the version.
			{method: "POST", path: "/purchases/%d/due-diligence/%%vendor/review", form: url.Values{"version": {"1"}, "comment": {"x"}}, ok: 404, allowed: assessors, onPurchase: true},
		}
	})
}
