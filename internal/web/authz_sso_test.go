package web_test

import "net/url"

// Single sign-on settings: an organisation's administrators manage their
// own organisation's provider, a site administrator any organisation's
// (with ?org=); nobody else. The sign-in routes are for everyone.
func init() {
	featureRoutes = append(featureRoutes, func() []route {
		provider := url.Values{"sso_label": {"City ID"}, "issuer": {"https://login.example.org/realms/x"}, "client_id": {"buyright"},
			"client_secret": {"s3cret-value"}, "email_domains": {"d%n.example.org"}, "role": {"viewer"}}
		return []route{
			{method: "GET", path: "/admin/sso", ok: 200, allowed: orgAdmins},
			{method: "GET", path: "/admin/sso?org=%city", ok: 200, allowed: orgAdmins},
			{method: "POST", path: "/admin/sso", form: provider, ok: 303, allowed: orgAdmins},
			{method: "POST", path: "/admin/sso?org=%city", form: provider, ok: 303, allowed: orgAdmins},
			{method: "POST", path: "/admin/sso?org=%rival", form: provider, ok: 303, allowed: siteAdmins},
			{method: "POST", path: "/admin/sso/remove?org=%vendor", ok: 404, allowed: siteAdmins},
		}
	})
}
