package web_test

import "net/url"

// Oversight opinions and the views across agencies. Only the people who
// speak for an oversight body in whose remit the purchase is give an
// opinion or write a note; only a designated accountable head decides to
// go on (nobody is designated in the matrix's world, so everyone who may
// see the purchase is refused); every person of an oversight body uses the
// views across bodies, and only its speakers set its rules; a public
// body's administrator designates its accountable heads.
func init() {
	featureRoutes = append(featureRoutes, func() []route {
		speakers := []string{"nhri_oversight"}
		oversightMembers := []string{"nhri_oversight", "nhri_viewer", "dpa_oversight"}
		opinion := url.Values{"before": {"market_engagement"}, "verdict": {"favourable"}, "reasons": {"Nothing in this purchase raises concerns at this stage."}}
		note := url.Values{"note_kind": {"note"}, "note_body": {"A remark on the purchase."}, "shared": {"yes"}}
		rule := url.Values{"min_level": {"4"}, "before": {"tender_design"}, "days": {"30"}}
		return []route{
			{method: "GET", path: "/purchases/%d/opinions", ok: 200, allowed: recorders, onPurchase: true},
			{method: "POST", path: "/purchases/%d/opinions", form: opinion, ok: 303, allowed: speakers, onPurchase: true},
			{method: "POST", path: "/purchases/%d/opinions", form: url.Values{"more": {"yes"}, "cond_text_1": {"x"}}, ok: 200, allowed: speakers, onPurchase: true},
			{method: "POST", path: "/purchases/%d/opinions/999999/decision", form: url.Values{"decision": {"We go on, for reasons given at length here."}}, ok: 303, allowed: nil, onPurchase: true},
			{method: "POST", path: "/purchases/%d/oversight-notes", form: note, ok: 303, allowed: speakers, onPurchase: true},
			{method: "GET", path: "/oversight/opinions", ok: 200, allowed: oversightMembers},
			{method: "POST", path: "/oversight/opinion-rules", form: rule, ok: 303, allowed: []string{"nhri_oversight", "dpa_oversight"}},
			{method: "POST", path: "/oversight/opinion-rules/999999/retire", ok: 404, allowed: []string{"nhri_oversight", "dpa_oversight"}},
			{method: "GET", path: "/oversight/purchases?level=3&level=4&sort=level&overdue=1&open=1&unscreened=1&supplier=Org+vendor&page=2", ok: 200, allowed: oversightMembers},
			{method: "GET", path: "/oversight/purchases.csv?level=4", ok: 200, allowed: oversightMembers},
			{method: "GET", path: "/oversight/purchases.json", ok: 200, allowed: oversightMembers},
			{method: "GET", path: "/oversight/suppliers", ok: 200, allowed: oversightMembers},
			{method: "GET", path: "/oversight/technologies", ok: 200, allowed: oversightMembers},
			{method: "GET", path: "/admin/accountable-heads", ok: 200, allowed: []string{"city_admin"}},
			// An officer may not be an accountable head: the administrator gets the refusal (422).
			{method: "POST", path: "/admin/accountable-heads", form: url.Values{"user_id": {"%u"}, "designate": {"yes"}}, ok: 422, allowed: []string{"city_admin"}},
			{method: "GET", path: "/purchases/%d/requirements", ok: 200, allowed: recorders, onPurchase: true},
		}
	})
}
