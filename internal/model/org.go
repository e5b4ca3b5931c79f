package model

import (
	"strings"
	"time"
)

// OrgKind is what kind of organisation a tenant is; it decides what its
// people can see.
type OrgKind string

const (
	OrgPublicBody   OrgKind = "public_body"
	OrgOversight    OrgKind = "oversight_body"
	OrgSupplier     OrgKind = "supplier"
	OrgCivilSociety OrgKind = "civil_society"
)

var OrgKinds = []OrgKind{OrgPublicBody, OrgOversight, OrgSupplier, OrgCivilSociety}

func (k OrgKind) Valid() bool {
	for _, x := range OrgKinds {
		if x == k {
			return true
		}
	}
	return false
}

// Organisation is a tenant: a public body, an oversight body, a supplier or
// a civil-society organisation.
type Organisation struct {
	ID           int64
	Slug         string // short stable name used on the command line
	Name         string
	Kind         OrgKind
	Jurisdiction string // ISO 3166 country code or a bloc such as EU
	CreatedAt    time.Time
}

// Validate checks an organisation before it is saved.
func (o *Organisation) Validate() error {
	fe := FieldErrors{}
	o.Name = CleanLine(o.Name)
	o.Slug = strings.ToLower(strings.TrimSpace(o.Slug))
	o.Jurisdiction = strings.ToUpper(strings.TrimSpace(o.Jurisdiction))
	if o.Name == "" {
		fe.Add("name", "invalid.required")
	} else if len(o.Name) > 200 {
		fe.Add("name", "invalid.too_long")
	}
	if !validSlug(o.Slug) {
		fe.Add("slug", "invalid.slug")
	}
	if !o.Kind.Valid() {
		fe.Add("kind", "invalid.choice")
	}
	if len(o.Jurisdiction) > 10 {
		fe.Add("jurisdiction", "invalid.too_long")
	}
	return fe.Err()
}

func validSlug(s string) bool {
	if len(s) < 2 || len(s) > 60 {
		return false
	}
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		case r == '-' && i > 0 && i < len(s)-1:
		default:
			return false
		}
	}
	return true
}
