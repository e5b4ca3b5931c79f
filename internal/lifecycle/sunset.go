package lifecycle

import "buyright/internal/model"

// An emergency measure is lawful only until its sunset date. Past it, the
// purchase may only be wound down: moved to renewal or exit, closed, or
// cancelled. No gate override moves it anywhere else; continuing the
// measure takes a new legal basis and a new screening, recorded as a
// continuation that moves the sunset date (see store.ContinueEmergency).

// PastSunset reports whether p is an emergency measure whose sunset date
// has passed (the sunset day itself is still within it).
func PastSunset(p *model.Purchase, today model.Date) bool {
	return p.Emergency && !p.SunsetDate.IsZero() && p.SunsetDate.Before(today)
}

// SunsetAllows reports whether p may move to stage to: always, unless it
// is past its sunset, when only the moves that end it are allowed.
func SunsetAllows(p *model.Purchase, to model.Stage, today model.Date) bool {
	if !PastSunset(p, today) {
		return true
	}
	return to == model.StageRenewalExit || to == model.StageClosed || to == model.StageCancelled
}
