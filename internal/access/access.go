// Package access is buyright's authorisation policy in one place: given who
// asks, how their organisation relates to a purchase and what they want to
// do, may they? The store decides the relation from the database; handlers
// ask Can before every action. Keeping the table here makes it reviewable
// and lets one test walk every role against every action.
package access

import "buyright/internal/model"

// Relation is how the asker's organisation stands to a purchase.
type Relation int

const (
	None      Relation = iota // another organisation: sees nothing
	Owner                     // the public body that buys
	Oversight                 // an oversight body with the owner in its remit
	Supplier                  // a supplier invited to the purchase
)

func (r Relation) String() string {
	return [...]string{"none", "owner", "oversight", "supplier"}[r]
}

// Action is something a person may want to do with a purchase.
type Action string

const (
	View       Action = "view"        // the purchase's own fields
	ViewRecord Action = "view_record" // history, audit, comments, overrides
	Create     Action = "create"
	Edit       Action = "edit"
	Transition Action = "transition"
	Override   Action = "override" // pass a failed gate with a reason
	Comment    Action = "comment"
	Assess     Action = "assess"   // edit the human-rights impact assessment
	SignOff    Action = "sign_off" // sign off an assessment version
	// AnswerDD is a supplier answering its due-diligence questionnaire;
	// ReviewDD is the body reviewing a supplier's answers.
	AnswerDD Action = "answer_dd"
	ReviewDD Action = "review_dd"
	// ViewFirewall is reading a relationship's firewall record (its rules
	// and the incidents where a barrier failed); ReportBarrier is
	// reporting such an incident, which the company party to the
	// relationship may do as well as the body.
	ViewFirewall  Action = "view_firewall"
	ReportBarrier Action = "report_barrier"
	// ViewObligations is reading what the supplier holding the contract
	// signed and owes; FeedAsSupplier is that supplier reporting incidents,
	// monitoring values and its sub-processors. For a supplier both also
	// need the contract to be its own, which the store knows.
	ViewObligations Action = "view_obligations"
	FeedAsSupplier  Action = "feed_as_supplier"
	// Disclose is preparing a document for the public register, with its
	// redactions; ApproveDisclosure is agreeing to them and publishing it.
	Disclose          Action = "disclose"
	ApproveDisclosure Action = "approve_disclosure"
)

// Actions lists every action, for tests that walk the whole table.
var Actions = []Action{View, ViewRecord, Create, Edit, Transition, Override, Comment, Assess, SignOff, AnswerDD, ReviewDD,
	ViewFirewall, ReportBarrier, ViewObligations, FeedAsSupplier, Disclose, ApproveDisclosure}

// Can reports whether u may do act on a purchase to which u's organisation
// stands in relation rel. A disabled person may do nothing.
func Can(u *model.User, rel Relation, act Action) bool {
	if u == nil || u.Disabled {
		return false
	}
	r := u.Role
	switch rel {
	case Owner:
		switch act {
		case View, ViewRecord, ViewFirewall, ViewObligations:
			return true
		case Create, Edit, Transition, Disclose:
			return r == model.RoleAdmin || r == model.RoleOfficer || r == model.RoleApprover
		case Override, SignOff, ApproveDisclosure:
			return r == model.RoleApprover
		case Assess, ReviewDD, ReportBarrier:
			return r == model.RoleAdmin || r == model.RoleOfficer || r == model.RoleApprover || r == model.RoleAssessor
		case Comment:
			return r != model.RoleViewer
		}
	case Oversight:
		switch act {
		case View, ViewRecord, ViewFirewall, ViewObligations:
			return true
		case Comment:
			return r == model.RoleOversight || r == model.RoleAdmin
		}
	case Supplier:
		// A supplier sees the purchase it is invited to, never its history,
		// comments or audit trail, which could reveal other bidders; it
		// answers its own questionnaire (viewers read it only). It reads the
		// firewall around the data it holds and reports where it failed.
		// Once it holds the contract it reads what it signed and feeds what
		// it owes.
		return act == View || act == ViewFirewall || act == ViewObligations ||
			((act == AnswerDD || act == ReportBarrier || act == FeedAsSupplier) && (r == model.RoleSupplier || r == model.RoleAdmin))
	}
	return false
}

// CanReadComplainant reports whether u may read the name and contact a
// complainant gave (sealed at rest; every reading is written to the audit
// log). Only the complaints handler of the body the complaint is addressed
// to (rel Owner) may, and, once the complaint is escalated, the oversight
// staff of the body it went to (rel Oversight): not the body's
// administrators, officers or assessors, whose work on the purchase the
// complaint may be about.
func CanReadComplainant(u *model.User, rel Relation, escalated bool) bool {
	if u == nil || u.Disabled {
		return false
	}
	switch rel {
	case Owner:
		return u.Role == model.RoleComplaints
	case Oversight:
		return escalated && u.Role == model.RoleOversight
	}
	return false
}

// CanCreate reports whether u may register new purchases for their own
// organisation.
func CanCreate(u *model.User) bool {
	return u != nil && u.Org != nil && u.Org.Kind == model.OrgPublicBody && Can(u, Owner, Create)
}

// CanAdminOrg reports whether u may manage the people of organisation orgID.
func CanAdminOrg(u *model.User, orgID int64) bool {
	if u == nil || u.Disabled {
		return false
	}
	return u.SiteAdmin || (u.Role == model.RoleAdmin && u.OrgID == orgID)
}

// CanAdminUser reports whether u may open and change target's account
// (name, role, disabled). An organisation's administrator manages the
// people of that organisation, but never a site administrator, even one
// who belongs to it: the operators of the installation are managed only
// by each other. Site administrators manage every account.
func CanAdminUser(u, target *model.User) bool {
	if u == nil || u.Disabled || target == nil {
		return false
	}
	if u.SiteAdmin {
		return true
	}
	return !target.SiteAdmin && CanAdminOrg(u, target.OrgID)
}

// CanAdminSite reports whether u may create organisations and set remits.
func CanAdminSite(u *model.User) bool { return u != nil && !u.Disabled && u.SiteAdmin }
