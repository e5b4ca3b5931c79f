// Package contract is what a public body records once a purchase is
// awarded: the signed contract and the safeguards it really contains, the
// amendments made since, the reviews and the decision to renew or exit,
// and the exit plan. It holds the types and their rules; internal/store
// saves them and internal/web shows them.
package contract

import (
	"strings"
	"time"

	"buyright/internal/model"
)

// Contract is the signed contract of a purchase.
type Contract struct {
	PurchaseID int64
	Reference  string
	Suppliers  []string // awarded suppliers, consortium members first to last
	ValueMinor int64
	Currency   string
	SignedOn   model.Date
	StartsOn   model.Date
	EndsOn     model.Date
	Rev        int64
	UpdatedBy  string
	UpdatedAt  time.Time
}

// Validate returns what is wrong with c, by form field.
func (c *Contract) Validate() model.FieldErrors {
	fe := model.FieldErrors{}
	var sup []string
	for _, s := range c.Suppliers {
		if s = model.CleanLine(s); s != "" {
			sup = append(sup, s)
		}
	}
	c.Suppliers = sup
	c.Reference = model.CleanLine(c.Reference)
	c.Currency = strings.ToUpper(model.CleanLine(c.Currency))
	switch {
	case len(sup) == 0:
		fe.Add("suppliers", "invalid.required")
	case len(sup) > 20 || model.TooLong(strings.Join(sup, "\n"), 2000):
		fe.Add("suppliers", "invalid.too_long")
	}
	if model.TooLong(c.Reference, 200) {
		fe.Add("reference", "invalid.too_long")
	}
	if c.ValueMinor < 0 {
		fe.Add("value", "invalid.money")
	}
	if c.Currency != "" && (len(c.Currency) != 3 || strings.Trim(c.Currency, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "") {
		fe.Add("currency", "invalid.currency")
	}
	if c.SignedOn.IsZero() {
		fe.Add("signed_on", "invalid.required")
	}
	if c.StartsOn.IsZero() {
		fe.Add("starts_on", "invalid.required")
	}
	if c.EndsOn.IsZero() {
		fe.Add("ends_on", "invalid.required")
	} else if !c.StartsOn.IsZero() && c.EndsOn.Before(c.StartsOn) {
		fe.Add("ends_on", "invalid.end_before_start")
	}
	return fe
}

// Safeguard is a tender-pack item and whether the signed contract has it.
type Safeguard struct {
	ItemID string
	Signed bool
	Note   string // what happened in negotiation; required when not signed
}

// Amendment is a change to the signed contract.
type Amendment struct {
	ID             int64
	PurchaseID     int64
	Number         int
	MadeOn         model.Date
	Summary        string
	Reason         string
	WidensScope    bool
	WidensData     bool
	WidensDuration bool
	NewEndsOn      model.Date
	NewValueMinor  int64 // 0: unchanged
	CreatedBy      string
	CreatedAt      time.Time
}

// Widens reports whether the amendment widens what the contract does to
// people (its scope, its use of data or how long it runs), which is what
// makes the earlier screening stale.
func (a Amendment) Widens() bool { return a.WidensScope || a.WidensData || a.WidensDuration }

// Validate returns what is wrong with a, by form field.
func (a *Amendment) Validate(today model.Date) model.FieldErrors {
	fe := model.FieldErrors{}
	a.Summary, a.Reason = model.CleanText(a.Summary), model.CleanText(a.Reason)
	if a.MadeOn.IsZero() {
		fe.Add("made_on", "invalid.required")
	} else if today.Before(a.MadeOn) {
		fe.Add("made_on", "contract.err.future")
	}
	if a.Summary == "" {
		fe.Add("summary", "invalid.required")
	} else if model.TooLong(a.Summary, 4000) {
		fe.Add("summary", "invalid.too_long")
	}
	if a.Reason == "" {
		fe.Add("reason", "invalid.required")
	} else if model.TooLong(a.Reason, 4000) {
		fe.Add("reason", "invalid.too_long")
	}
	if a.NewValueMinor < 0 {
		fe.Add("new_value", "invalid.money")
	}
	if a.WidensDuration && a.NewEndsOn.IsZero() {
		fe.Add("new_ends_on", "contract.err.new_end_needed")
	}
	return fe
}
