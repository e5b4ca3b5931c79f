package model

import (
	"net/mail"
	"strings"
	"time"
)

// Role is what a person may do inside their organisation.
type Role string

const (
	RoleAdmin     Role = "admin"
	RoleOfficer   Role = "officer"
	RoleAssessor  Role = "assessor"
	RoleApprover  Role = "approver"
	RoleOversight Role = "oversight"
	RoleSupplier  Role = "supplier"
	RoleViewer    Role = "viewer"
	// RoleComplaints handles a public body's complaints: the one role there
	// that reads the name and contact a complainant gave.
	RoleComplaints Role = "complaints_handler"
)

var Roles = []Role{RoleAdmin, RoleOfficer, RoleAssessor, RoleApprover, RoleOversight, RoleSupplier, RoleViewer, RoleComplaints}

func (r Role) Valid() bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// RolesFor lists the roles that make sense in an organisation of kind k, so
// that nobody becomes an "approver" at a supplier by mistake.
func RolesFor(k OrgKind) []Role {
	switch k {
	case OrgPublicBody:
		return []Role{RoleAdmin, RoleOfficer, RoleAssessor, RoleApprover, RoleViewer, RoleComplaints}
	case OrgOversight:
		return []Role{RoleAdmin, RoleOversight, RoleViewer}
	case OrgSupplier:
		return []Role{RoleAdmin, RoleSupplier, RoleViewer}
	default:
		return []Role{RoleAdmin, RoleViewer}
	}
}

// RoleAllowed reports whether role r may be given in an organisation of kind k.
func RoleAllowed(k OrgKind, r Role) bool {
	for _, x := range RolesFor(k) {
		if x == r {
			return true
		}
	}
	return false
}

// User is a person who signs in. SiteAdmin marks the operators of this
// installation, who manage organisations and oversight remits.
type User struct {
	ID        int64
	OrgID     int64
	Email     string
	Name      string
	Role      Role
	SiteAdmin bool
	Disabled  bool
	CreatedAt time.Time

	Org *Organisation // filled by the store when loaded with the user
}

// NormalizeEmail lower-cases and trims an address so sign-in is not
// case-sensitive.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Validate checks a user's own fields (not the password).
func (u *User) Validate(k OrgKind) error {
	fe := FieldErrors{}
	u.Email = NormalizeEmail(u.Email)
	u.Name = CleanLine(u.Name)
	if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email || len(u.Email) > 254 {
		fe.Add("email", "invalid.email")
	}
	if len(u.Name) > 200 {
		fe.Add("name", "invalid.too_long")
	}
	if !u.Role.Valid() || !RoleAllowed(k, u.Role) {
		fe.Add("role", "invalid.role_for_org")
	}
	return fe.Err()
}

// ValidatePassword enforces a length policy only: long passphrases beat
// composition rules (NIST SP 800-63B).
func ValidatePassword(p string) error {
	fe := FieldErrors{}
	switch {
	case len([]rune(p)) < 12:
		fe.Add("password", "invalid.password_short")
	case len(p) > 1024:
		fe.Add("password", "invalid.too_long")
	}
	return fe.Err()
}
