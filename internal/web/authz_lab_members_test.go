package web_test

import "net/url"

// The members' space: in the test world no organisation has joined the
// network, so only the site administrator (who runs it) and the people
// holding a Lab role get in; of them only the Lab editor publishes.
func init() {
	members := append([]string{"site_admin"}, labRoleHolders...)
	featureRoutes = append(featureRoutes, func() []route {
		return []route{
			{method: "GET", path: "/lab/members", ok: 200, allowed: members},
			{method: "POST", path: "/lab/members", form: url.Values{"org_id": {"%lab"}}, ok: 303, allowed: siteAdmins},
			{method: "POST", path: "/lab/materials", form: url.Values{"title": {"x"}}, ok: 422, allowed: members},
			{method: "POST", path: "/lab/materials/999999/comments", form: url.Values{"body": {"x"}}, ok: 404, allowed: members},
			{method: "POST", path: "/lab/materials/999999/publish", ok: 404, allowed: labEditors},
			{method: "POST", path: "/lab/events", form: url.Values{"title": {"x"}}, ok: 422, allowed: members},
			{method: "POST", path: "/lab/events/999999/publish", ok: 404, allowed: labEditors},
			{method: "POST", path: "/lab/review/practices/999999/return", form: url.Values{"note": {"x"}}, ok: 404, allowed: append([]string{"lab_editor"}, labPracticeReview...)},
		}
	})
}
