package access

import "buyright/internal/model"

// State requests are not tied to a purchase: an authority may make one
// under law alone. Each side keeps its own record of a request - the
// company the one it received, the authority the one it made - and only
// that side writes it. The oversight bodies whose remit covers the
// authority read both sides, and the mismatches between them.

// Side is whose record of a State request it is.
type Side string

const (
	CompanySide   Side = "company"
	AuthoritySide Side = "authority"
)

// RecordSide says which side u records requests for: people of a supplier
// for the company, people of a public body for the authority; viewers, and
// people of other organisations, for neither.
func RecordSide(u *model.User) (Side, bool) {
	if u == nil || u.Disabled || u.Org == nil {
		return "", false
	}
	switch u.Org.Kind {
	case model.OrgSupplier:
		return CompanySide, u.Role == model.RoleAdmin || u.Role == model.RoleSupplier
	case model.OrgPublicBody:
		return AuthoritySide, u.Role == model.RoleAdmin || u.Role == model.RoleOfficer || u.Role == model.RoleApprover
	}
	return "", false
}

// ReadsRequests reports whether u has any request records to read: the
// people of a supplier, a public body or an oversight body, but not a
// body's complaints handler, whose role is its complaints only.
func ReadsRequests(u *model.User) bool {
	if u == nil || u.Disabled || u.Org == nil || u.Role == model.RoleComplaints {
		return false
	}
	k := u.Org.Kind
	return k == model.OrgSupplier || k == model.OrgPublicBody || k == model.OrgOversight
}

// CanSeeRequest reports whether u may read a record of side side between
// company and authority; inRemit says whether u's organisation is an
// oversight body with the authority in its remit.
func CanSeeRequest(u *model.User, side Side, company, authority int64, inRemit bool) bool {
	if !ReadsRequests(u) {
		return false
	}
	switch u.Org.Kind {
	case model.OrgSupplier:
		return side == CompanySide && u.OrgID == company
	case model.OrgPublicBody:
		return side == AuthoritySide && u.OrgID == authority
	case model.OrgOversight:
		return inRemit
	}
	return false
}

// CanEditRequest reports whether u may change a record: its own side's
// recorders only. Oversight reads; it never edits either side.
func CanEditRequest(u *model.User, side Side, company, authority int64) bool {
	s, ok := RecordSide(u)
	if !ok || s != side {
		return false
	}
	if side == CompanySide {
		return u.OrgID == company
	}
	return u.OrgID == authority
}
