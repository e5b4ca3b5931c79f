package web_test

import "net/url"

func init() {
	featureRoutes = append(featureRoutes, func() []route {
		return []route{
			{method: "GET", path: "/purchases/%d/monitoring", ok: 200, allowed: recorders, onPurchase: true},
			{method: "GET", path: "/purchases/%d/monitoring.csv", ok: 200, allowed: recorders, onPurchase: true},
			{method: "POST", path: "/purchases/%d/monitoring/indicators", form: url.Values{"catalog_id": {"IND-UPTIME"}}, ok: 303, allowed: assessors, onPurchase: true},
			// No such indicator on a fresh purchase: those allowed get 404 after the access check, the others 403 or 404 as usual.
			{method: "GET", path: "/purchases/%d/monitoring/indicators/999999", ok: 404, allowed: assessors, onPurchase: true},
			{method: "POST", path: "/purchases/%d/monitoring/indicators/999999", form: url.Values{"title": {"x"}, "unit": {"count"}, "direction": {"lower"}}, ok: 404, allowed: assessors, onPurchase: true},
			// No indicator yet on a fresh purchase: those allowed get the form error.
			{method: "POST", path: "/purchases/%d/monitoring/measurements", form: url.Values{"indicator": {"1"}, "period": {"2026-01-01"}, "value": {"1"}}, ok: 422, allowed: assessors, onPurchase: true},
			{method: "POST", path: "/purchases/%d/monitoring/outcomes", form: url.Values{"o_period": {"2026-01-01"}, "o_group": {"a"}, "favourable": {"1"}, "total": {"2"}}, ok: 303, allowed: assessors, onPurchase: true},
			{method: "POST", path: "/purchases/%d/monitoring/csv", ok: 422, allowed: assessors, onPurchase: true},
			{method: "POST", path: "/purchases/%d/monitoring/csv/confirm", form: url.Values{"csv": {"period,group,favourable,total\n2026-01,a,1,2\n"}}, ok: 303, allowed: assessors, onPurchase: true},
			{method: "POST", path: "/purchases/%d/monitoring/incidents", form: url.Values{"occurred_on": {"2026-01-01"}, "severity": {"low"}, "what": {"x"}}, ok: 303, allowed: assessors, onPurchase: true},
			{method: "POST", path: "/purchases/%d/monitoring/reassess", ok: 303, allowed: assessors, onPurchase: true},
		}
	})
}
