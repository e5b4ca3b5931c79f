package web_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// pastSunset makes a published emergency measure at the contract stage
// whose sunset date was three days ago.
func (w *world) pastSunset(title string) *model.Purchase {
	w.t.Helper()
	return w.emergencyPublished(title, -3)
}

// emergencyPublished makes an emergency measure at the contract stage
// whose sunset date is days from today, and publishes it.
func (w *world) emergencyPublished(title string, days int) *model.Purchase {
	w.t.Helper()
	off := w.users["city_officer"]
	today := model.DateOf(time.Now())
	p := &model.Purchase{OrgID: off.OrgID, Title: title, Sector: "health", Need: "n", Purpose: "p", LegalBasis: "Decree 1/2026, art. 5",
		AffectedPeople: "a", LeadUserID: off.ID, Emergency: true, SunsetDate: today.AddDays(30)}
	if err := w.db.CreatePurchase(ctx, store.ActorOf(off), p); err != nil {
		w.t.Fatal(err)
	}
	for p.Stage != model.StageContract {
		if err := w.db.Transition(ctx, store.ActorOf(w.users["city_approver"]), p, store.Move{To: p.Stage.Next(), Override: true, Reason: "set-up",
			Failed: []model.GateFailure{{Rule: "x", Message: "x"}}}); err != nil {
			w.t.Fatal(err)
		}
	}
	p.SunsetDate = today.AddDays(days)
	if err := w.db.UpdatePurchase(ctx, store.ActorOf(off), p); err != nil {
		w.t.Fatal(err)
	}
	w.post("city_officer", fmt.Sprintf("/purchases/%d/publication", p.ID), url.Values{"publish": {"yes"}, "summary": {"A contact-tracing app."}}, 303)
	return p
}

// Past its sunset the measure is marked on the purchase page and the public
// register; the transition page offers no override and the move is refused
// through the form and the API; an edit cannot push the sunset back; an
// approver continues it on a new legal basis and a new screening (refused
// without the screening, keeping what was typed), which the register
// publishes, and the purchase moves on.
func TestPastSunsetCannotMoveOnUntilContinued(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.pastSunset("Emergency contact tracing")
		base := fmt.Sprintf("/purchases/%d", p.ID)
		sunset := model.DateOf(time.Now()).AddDays(-3).String()

		if body := w.page("city_officer", base); !strings.Contains(body, "Past its sunset date ("+sunset+")") || !strings.Contains(body, `href="`+base+`/emergency"`) {
			t.Error("the purchase page does not say the measure is past its sunset")
		}
		if body := w.page("", "/register"); !strings.Contains(body, "past sunset") {
			t.Error("the register list does not mark the measure")
		}
		entry := w.page("", fmt.Sprintf("/register/%d", p.ID))
		if !strings.Contains(entry, "This emergency measure is past its sunset date ("+sunset+")") {
			t.Error("the register entry does not say the measure is past its sunset")
		}

		body := w.page("city_approver", base+"/transition?to=implementation")
		if !strings.Contains(body, "This move is not possible") || strings.Contains(body, `name="override"`) || strings.Contains(body, `action="`+base+`/transition"`) {
			t.Error("the transition page offers the move or an override")
		}
		if strings.Contains(body, "?to=tender_design") {
			t.Error("a move back into use is offered")
		}
		body = w.post("city_approver", base+"/transition", url.Values{"to": {"implementation"}, "version": {fmt.Sprint(p.Version)}, "override": {"yes"}, "reason": {"The minister insists."}}, 422)
		if !strings.Contains(body, "No override changes that") {
			t.Error("the refused move does not say why")
		}
		if s, out := w.api(w.token("city_approver"), "POST", fmt.Sprintf("/api/v1/purchases/%d/transition", p.ID), `{"to":"implementation","override":true,"reason":"API"}`); s != 422 || !strings.Contains(out, "No override changes that") {
			t.Errorf("API move past the sunset: %d %s", s, out)
		}
		if body := w.page("city_approver", base+"/transition?to=cancelled"); !strings.Contains(body, `action="`+base+`/transition"`) {
			t.Error("cancelling is not offered")
		}

		edit := url.Values{"title": {p.Title}, "sector": {"health"}, "need": {"n"}, "purpose": {"p"}, "legal_basis": {p.LegalBasis}, "affected_people": {"a"},
			"emergency": {"on"}, "sunset_date": {model.DateOf(time.Now()).AddDays(60).String()}, "version": {fmt.Sprint(p.Version)}, "lead_user_id": {fmt.Sprint(p.LeadUserID)}}
		if body := w.post("city_officer", base, edit, 422); !strings.Contains(body, "cannot be moved later or removed by editing") {
			t.Error("an edit pushing the sunset back is not refused with its reason")
		}

		if body := w.page("city_officer", base+"/emergency"); strings.Contains(body, `name="legal_basis"`) || !strings.Contains(body, "An approver of the body can continue it") {
			t.Error("an officer is offered the continuation")
		}
		cont := url.Values{"legal_basis": {"Decree 7/2026 (second wave), art. 2"}, "new_sunset": {model.DateOf(time.Now()).AddDays(20).String()}, "reason": {"Cases rise again."}}
		w.post("city_officer", base+"/emergency", cont, 403)
		body = w.post("city_approver", base+"/emergency", cont, 422)
		if !strings.Contains(body, "Complete the screening again first") || !strings.Contains(body, "Decree 7/2026 (second wave), art. 2") {
			t.Error("a continuation without a new screening is not refused with its reason, or loses the input")
		}
		w.screen(p, portal)
		w.post("city_approver", base+"/emergency", cont, 303)
		body = w.page("city_officer", base+"/emergency")
		if !strings.Contains(body, "the sunset date moved from "+sunset) || !strings.Contains(body, "Recorded by city_approver") {
			t.Error("the continuation is not listed")
		}
		entry = w.page("", fmt.Sprintf("/register/%d", p.ID))
		for _, want := range []string{"Continued past its sunset", "Decree 7/2026 (second wave), art. 2", "Cases rise again.", "On a new screening"} {
			if !strings.Contains(entry, want) {
				t.Errorf("the register entry lacks %q", want)
			}
		}
		if strings.Contains(entry, "past its sunset date (") || strings.Contains(entry, "city_approver") {
			t.Error("the entry still says past sunset, or names the approver")
		}
		_, raw, _ := w.do("", "GET", fmt.Sprintf("/register/%d/record.json", p.ID), nil)
		var rec struct {
			Use struct {
				LegalBasis    string `json:"legal_basis"`
				PastSunset    bool   `json:"past_sunset"`
				Continuations []struct {
					LegalBasis string `json:"legal_basis"`
					Previous   string `json:"previous_legal_basis"`
				} `json:"continuations"`
			} `json:"responsible_use"`
		}
		if err := json.Unmarshal([]byte(raw), &rec); err != nil || rec.Use.PastSunset || len(rec.Use.Continuations) != 1 ||
			rec.Use.Continuations[0].Previous != "Decree 1/2026, art. 5" || rec.Use.LegalBasis != "Decree 7/2026 (second wave), art. 2" {
			t.Errorf("record: %+v %v", rec, err)
		}
		cur, _, _ := db.Purchase(ctx, w.users["city_approver"], p.ID)
		w.post("city_approver", base+"/transition", url.Values{"to": {"implementation"}, "version": {fmt.Sprint(cur.Version)}, "override": {"yes"}, "reason": {"Contract gates overridden for the test."}}, 303)
	})
}
