package store_test

import (
	"strings"
	"testing"
	"time"

	"buyright/internal/model"
	"buyright/internal/screening"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// emergency makes an emergency measure with its sunset days from today
// (negative: past), at the contract stage.
func emergency(t *testing.T, db *store.DB, u *model.User, sunsetIn int) *model.Purchase {
	t.Helper()
	today := model.DateOf(time.Now())
	p := &model.Purchase{OrgID: u.OrgID, Title: "Emergency contact tracing", Sector: "health", LeadUserID: u.ID,
		Need: "n", Purpose: "p", LegalBasis: "Decree 1/2026, art. 5", AffectedPeople: "a", Emergency: true, SunsetDate: today.AddDays(60)}
	if err := db.CreatePurchase(ctx, store.ActorOf(u), p); err != nil {
		t.Fatal(err)
	}
	for p.Stage != model.StageContract {
		if err := db.Transition(ctx, store.ActorOf(u), p, store.Move{To: p.Stage.Next(), Override: true, Reason: "test",
			Failed: []model.GateFailure{{Rule: "x", Message: "x"}}}); err != nil {
			t.Fatal(err)
		}
	}
	// Moving the sunset earlier is always allowed.
	p.SunsetDate = today.AddDays(sunsetIn)
	if err := db.UpdatePurchase(ctx, store.ActorOf(u), p); err != nil {
		t.Fatal(err)
	}
	return p
}

func screen(t *testing.T, db *store.DB, u *model.User, p *model.Purchase, res screening.Result) {
	t.Helper()
	if err := db.SaveScreening(ctx, store.ActorOf(u), p, map[string]any{"emergency": "yes"}, res); err != nil {
		t.Fatal(err)
	}
}

// Past its sunset an emergency measure moves only toward its end, whatever
// the caller says about overrides; its sunset cannot be pushed back or
// removed by an edit.
func TestPastSunsetOnlyWindsDown(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		city := storetest.Org(t, db, "city", model.OrgPublicBody)
		rui := storetest.User(t, db, city, "rui@city.example", model.RoleApprover)
		a := store.ActorOf(rui)
		p := emergency(t, db, rui, -1)
		override := store.Move{To: model.StageImplementation, Override: true, Reason: "The minister insists", Failed: []model.GateFailure{{Rule: "x", Message: "x"}}}
		if err := db.Transition(ctx, a, p, override); model.ErrorCode(err) != model.EInvalid || !strings.Contains(err.Error(), "past its sunset") {
			t.Fatalf("forward move with an override past the sunset: %v", err)
		}
		if err := db.Transition(ctx, a, p, store.Move{To: model.StageTenderDesign, Reason: "redo"}); model.ErrorCode(err) != model.EInvalid {
			t.Fatalf("backward move past the sunset: %v", err)
		}
		for name, edit := range map[string]func(q *model.Purchase){
			"later sunset":  func(q *model.Purchase) { q.SunsetDate = q.SunsetDate.AddDays(90) },
			"no sunset":     func(q *model.Purchase) { q.SunsetDate = model.Date{} },
			"not emergency": func(q *model.Purchase) { q.Emergency = false },
		} {
			q := *p
			edit(&q)
			if err := db.UpdatePurchase(ctx, a, &q); model.ErrorCode(err) != model.EInvalid {
				t.Errorf("%s: %v", name, err)
			}
		}
		if past, _ := db.PastSunsetAmong(ctx, []int64{p.ID, p.ID + 1000}, model.DateOf(time.Now())); !past[p.ID] || len(past) != 1 {
			t.Errorf("past sunset among: %v", past)
		}
		// Winding down is allowed: cancelling it.
		if err := db.Transition(ctx, a, p, store.Move{To: model.StageCancelled, Reason: "The decree lapsed."}); err != nil {
			t.Fatalf("cancel past the sunset: %v", err)
		}
	})
}

// Continuing it takes a legal basis other than the old one, a complete
// screening without a stop saved near the sunset, a later sunset and the
// reason; it changes the purchase, is listed and audited, lets the
// purchase move on, and the next continuation needs a newer screening.
func TestContinueEmergency(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		city := storetest.Org(t, db, "city", model.OrgPublicBody)
		rui := storetest.User(t, db, city, "rui@city.example", model.RoleApprover)
		a := store.ActorOf(rui)
		today := model.DateOf(time.Now())
		early := emergency(t, db, rui, 45)
		if err := db.ContinueEmergency(ctx, a, early, &store.Continuation{LegalBasis: "Decree 2/2026", NewSunset: today.AddDays(200), Reason: "r"}); model.ErrorCode(err) != model.EInvalid {
			t.Errorf("continued 45 days before the sunset: %v", err)
		}

		p := emergency(t, db, rui, -3)
		good := &store.Continuation{LegalBasis: "Decree 7/2026 on the epidemic's second wave, art. 2", NewSunset: today.AddDays(20), Reason: "Cases are rising again."}
		fieldErr(t, db.ContinueEmergency(ctx, a, p, good), "screening", "sunset.err.no_screening")
		screen(t, db, rui, p, screening.Result{Status: "complete", Level: 3, Stop: true})
		fieldErr(t, db.ContinueEmergency(ctx, a, p, good), "screening", "sunset.err.screening_stop")
		screen(t, db, rui, p, screening.Result{Status: "incomplete", Level: 3})
		fieldErr(t, db.ContinueEmergency(ctx, a, p, good), "screening", "sunset.err.no_screening")
		screen(t, db, rui, p, screening.Result{Status: "complete", Level: 3})
		same := *good
		same.LegalBasis = "  decree 1/2026,   ART. 5 "
		fieldErr(t, db.ContinueEmergency(ctx, a, p, &same), "legal_basis", "sunset.err.same_basis")
		past := *good
		past.NewSunset = today
		fieldErr(t, db.ContinueEmergency(ctx, a, p, &past), "new_sunset", "sunset.err.new_sunset_past")
		noReason := *good
		noReason.Reason = ""
		fieldErr(t, db.ContinueEmergency(ctx, a, p, &noReason), "reason", "invalid.required")

		if err := db.ContinueEmergency(ctx, a, p, good); err != nil {
			t.Fatal(err)
		}
		got, _, err := db.Purchase(ctx, rui, p.ID)
		if err != nil || got.LegalBasis != good.LegalBasis || got.SunsetDate.String() != today.AddDays(20).String() || got.Version != p.Version {
			t.Fatalf("purchase after continuing: %+v %v", got, err)
		}
		cs, err := db.Continuations(ctx, p.ID)
		if err != nil || len(cs) != 1 || cs[0].OldSunset.String() != today.AddDays(-3).String() || cs[0].OldLegalBasis != "Decree 1/2026, art. 5" ||
			cs[0].ScreeningLevel != 3 || cs[0].DecidedBy != "rui@city.example" || cs[0].Reason != "Cases are rising again." {
			t.Fatalf("continuations: %+v %v", cs, err)
		}
		entries, _ := db.AuditFor(ctx, "purchase", p.ID, 5)
		if entries[0].Action != "emergency_continued" || !strings.Contains(entries[0].Detail, "Decree 7/2026") {
			t.Errorf("audit: %+v", entries[0])
		}
		if err := db.Transition(ctx, a, got, store.Move{To: model.StageImplementation}); err != nil {
			t.Fatalf("moving on after the continuation: %v", err)
		}
		// The next continuation needs a screening newer than this one.
		again := &store.Continuation{LegalBasis: "Decree 9/2026", NewSunset: today.AddDays(120), Reason: "Still needed."}
		fieldErr(t, db.ContinueEmergency(ctx, a, got, again), "screening", "sunset.err.old_screening")

		// A screening from before the run-up to the sunset is not new.
		stale := emergency(t, db, rui, -3)
		clock := db.Now
		db.Now = func() time.Time { return time.Now().AddDate(0, 0, -60) }
		screen(t, db, rui, stale, screening.Result{Status: "complete", Level: 2})
		db.Now = clock
		fieldErr(t, db.ContinueEmergency(ctx, a, stale, &store.Continuation{LegalBasis: "Decree 3/2026", NewSunset: today.AddDays(10), Reason: "r"}), "screening", "sunset.err.old_screening")
		if _, _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}
