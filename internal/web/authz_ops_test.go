package web_test

import "net/url"

func init() {
	featureRoutes = append(featureRoutes, func() []route {
		return []route{
			{method: "GET", path: "/admin/retention", ok: 200, allowed: siteAdmins},
			{method: "POST", path: "/admin/retention", form: url.Values{"kind": {"outbox"}, "days": {"30"}}, ok: 303, allowed: siteAdmins},
		}
	})
}
