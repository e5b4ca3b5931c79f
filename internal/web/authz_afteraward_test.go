package web_test

import (
	"net/url"
	"strconv"
	"strings"

	"buyright/internal/disclosure"
	"buyright/internal/model"
	"buyright/internal/store"
)

// Suppliers after the award and documents on the register. The vendor is
// invited to every fresh purchase; prepare makes it hold the contract, or
// readies a document to publish, so each route is tried where it can
// succeed. Without the award the vendor sees none of it.
func init() {
	featureRoutes = append(featureRoutes, func() []route {
		holders := append(append([]string{}, recorders...), "vendor_supplier")
		vendor := []string{"vendor_supplier"}
		sub := url.Values{"sub_name": {"TextFast"}, "sub_role": {"subcontractor"}, "sub_work": {"Reminders"}, "sub_data": {"none"}, "sub_since": {"2026-01-01"}}
		return []route{
			{method: "GET", path: "/supplier/due-diligence", ok: 200, allowed: []string{"vendor_supplier", "rival_supplier"}},
			{method: "POST", path: "/supplier/due-diligence", form: url.Values{"q_policy": {"Our policy"}}, ok: 303, allowed: []string{"vendor_supplier", "rival_supplier"}},
			{method: "GET", path: "/purchases/%d/obligations", ok: 200, allowed: holders, onPurchase: true, prepare: awardVendor},
			// Invited but not holding the contract: the vendor is refused.
			{method: "GET", path: "/purchases/%d/obligations", ok: 200, allowed: recorders, onPurchase: true},
			{method: "POST", path: "/purchases/%d/obligations/incidents", form: url.Values{"occurred_on": {"2026-01-01"}, "severity": {"low"}, "what": {"x"}}, ok: 303, allowed: nil, onPurchase: true},
			{method: "POST", path: "/purchases/%d/obligations/award", form: url.Values{"awarded": {"%vendor"}}, ok: 303, allowed: editors, onPurchase: true},
			// No such indicator on a fresh purchase: those allowed get 404.
			{method: "POST", path: "/purchases/%d/obligations/feeds", form: url.Values{"indicator": {"999999"}, "every": {"1"}, "first_period": {"2026-01-01"}}, ok: 404, allowed: assessors, onPurchase: true, prepare: awardVendor},
			// No indicator is fed by the vendor on a fresh purchase: the form error.
			{method: "POST", path: "/purchases/%d/obligations/values", form: url.Values{"indicator": {"1"}, "period": {"2026-01-01"}, "value": {"1"}}, ok: 422, allowed: vendor, onPurchase: true, prepare: awardVendor},
			{method: "POST", path: "/purchases/%d/obligations/incidents", form: url.Values{"occurred_on": {"2026-01-01"}, "severity": {"low"}, "what": {"x"}}, ok: 303, allowed: vendor, onPurchase: true, prepare: awardVendor},
			{method: "POST", path: "/purchases/%d/obligations/subcontractors", form: sub, ok: 303, allowed: vendor, onPurchase: true, prepare: awardVendor},
			{method: "POST", path: "/purchases/%d/obligations/subcontractors/999999", form: sub, ok: 404, allowed: vendor, onPurchase: true, prepare: awardVendor},

			{method: "GET", path: "/purchases/%d/disclosure", ok: 200, allowed: recorders, onPurchase: true},
			// Not a multipart body: people allowed in get the form error.
			{method: "POST", path: "/purchases/%d/disclosure", form: url.Values{"doc_kind": {"contract"}}, ok: 422, allowed: editors, onPurchase: true},
			{method: "POST", path: "/purchases/%d/disclosure/DOC/redactions", form: url.Values{"ground": {"security"}, "location": {"Annex 6"}, "reason": {"Network addresses"}}, ok: 303, allowed: editors, onPurchase: true, prepare: draftDocument},
			{method: "POST", path: "/purchases/%d/disclosure/DOC/redactions/RED/remove", ok: 303, allowed: editors, onPurchase: true, prepare: draftDocument},
			{method: "POST", path: "/purchases/%d/disclosure/DOC/publish", ok: 303, allowed: approvers, onPurchase: true, prepare: draftDocument},
			{method: "POST", path: "/purchases/%d/disclosure/DOC/full", form: url.Values{"note": {"Tender closed"}}, ok: 303, allowed: approvers, onPurchase: true, prepare: publishedDocument},
			{method: "POST", path: "/purchases/%d/disclosure/DOC/redactions/RED/review", form: url.Values{"new_lapse": {""}, "note": {"Still bidding"}}, ok: 303, allowed: approvers, onPurchase: true, prepare: publishedDocument},
		}
	})
}

func awardVendor(w *world, p *model.Purchase, path string) string {
	w.t.Helper()
	if err := w.db.SetAwarded(ctx, store.ActorOf(w.users["city_officer"]), p, []int64{w.orgs["vendor"].ID}); err != nil {
		w.t.Fatal(err)
	}
	return path
}

// draftDocument readies a draft contract with one redaction and names it
// in the path (DOC, RED).
func draftDocument(w *world, p *model.Purchase, path string) string {
	w.t.Helper()
	d, r := w.document(p, false)
	return strings.NewReplacer("DOC", strconv.FormatInt(d.ID, 10), "RED", strconv.FormatInt(r.ID, 10)).Replace(path)
}

// publishedDocument is the same, published by the city's approver.
func publishedDocument(w *world, p *model.Purchase, path string) string {
	w.t.Helper()
	d, r := w.document(p, true)
	return strings.NewReplacer("DOC", strconv.FormatInt(d.ID, 10), "RED", strconv.FormatInt(r.ID, 10)).Replace(path)
}

// document keeps a contract with one part held back, published or not.
func (w *world) document(p *model.Purchase, publish bool) (*disclosure.Document, *disclosure.Redaction) {
	w.t.Helper()
	a := store.ActorOf(w.users["city_officer"])
	d := &disclosure.Document{Kind: disclosure.KindContract, Title: "Signed contract"}
	full := &store.PurchaseFile{Name: "full.txt", CType: "text/plain; charset=utf-8", Data: []byte("Engineer: Maria Quintela")}
	red := &store.PurchaseFile{Name: "redacted.txt", CType: "text/plain; charset=utf-8", Data: []byte("Engineer: [personal data]")}
	if err := w.db.CreateDisclosure(ctx, a, p, d, full, red); err != nil {
		w.t.Fatal(err)
	}
	r := &disclosure.Redaction{Ground: disclosure.GroundPersonal, Location: "Annex 4", Reason: "Staff contact details"}
	if err := w.db.AddRedaction(ctx, a, p, d.ID, r); err != nil {
		w.t.Fatal(err)
	}
	if publish {
		if err := w.db.PublishDisclosure(ctx, store.ActorOf(w.users["city_approver"]), p, d.ID); err != nil {
			w.t.Fatal(err)
		}
	}
	return d, r
}
