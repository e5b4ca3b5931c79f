package web_test

import "net/url"

// The consultation routes in the authorisation table. Those on a
// consultation that does not exist (999999) show the order of the checks:
// who may act gets 404 after the access check, who may see the purchase
// but not act gets 403, anyone else 404. The public pages need no sign-in
// and are checked in consultation_test.go.
var civilSociety = []string{"cso_viewer", "site_admin", "lab_lead", "lab_editor", "lab_reviewer", "lab_hublead"}

func init() {
	featureRoutes = append(featureRoutes, func() []route {
		c := "/purchases/%d/consultations/999999"
		return []route{
			{method: "GET", path: "/purchases/%d/consultations", ok: 200, allowed: recorders, onPurchase: true},
			{method: "POST", path: "/purchases/%d/consultations", form: url.Values{"new_lang": {"pt"}, "new_title": {"Consulta"}}, ok: 303, allowed: assessors, onPurchase: true},
			{method: "POST", path: "/purchases/%d/consultation-waiver", form: url.Values{"w_reason": {"Consulted in the national programme of 2026."}}, ok: 303, allowed: assessors, onPurchase: true},
			{method: "GET", path: c, ok: 404, allowed: recorders, onPurchase: true},
			{method: "POST", path: c, form: url.Values{"rev": {"1"}}, ok: 404, allowed: assessors, onPurchase: true},
			{method: "POST", path: c + "/open", ok: 404, allowed: assessors, onPurchase: true},
			{method: "POST", path: c + "/deadline", form: url.Values{"c_deadline": {"2099-01-01"}}, ok: 404, allowed: assessors, onPurchase: true},
			{method: "POST", path: c + "/invitations", form: url.Values{"inv_org": {"1"}}, ok: 404, allowed: assessors, onPurchase: true},
			{method: "POST", path: c + "/responses/1/hide", form: url.Values{"h_rule": {"spam"}, "h_reason": {"Advertising for a loan"}}, ok: 404, allowed: assessors, onPurchase: true},
			{method: "POST", path: c + "/responses/1/impact", ok: 404, allowed: assessors, onPurchase: true},
			{method: "GET", path: c + "/responses/1/files/1", ok: 404, allowed: recorders, onPurchase: true},
			{method: "POST", path: c + "/answers", ok: 404, allowed: assessors, onPurchase: true},
			{method: "POST", path: c + "/report", ok: 404, allowed: assessors, onPurchase: true},
			{method: "GET", path: "/participation", ok: 200, allowed: civilSociety},
			{method: "POST", path: "/participation/follow", form: url.Values{"purchase": {"999999"}}, ok: 404, allowed: civilSociety},
			{method: "POST", path: "/participation/unfollow", form: url.Values{"purchase": {"999999"}}, ok: 303, allowed: civilSociety},
			// Another organisation's response, or none: not found for all.
			{method: "GET", path: "/participation/responses/999999", ok: 404, allowed: everyone},
			{method: "GET", path: "/participation/responses/999999/files/1", ok: 404, allowed: everyone},
		}
	})
}
