package access

import "buyright/internal/model"

// Consultations on a purchase, and civil society's place in the product.
// The public page of a consultation and its response form need no sign-in
// and no rule here; these are the rules for people who are signed in.

// ConsultAction is something a person may do with a purchase's
// consultations.
type ConsultAction string

const (
	// ConsultRead is reading the body's working page: every response in
	// full (hidden ones too), their files, drafts, the answers being written.
	ConsultRead ConsultAction = "consult_read"
	// ConsultManage is writing and opening a consultation, inviting
	// organisations, hiding a response with a reason, answering, adding an
	// impact raised to the assessment, publishing the report and recording
	// why no consultation is held: the assessment's work.
	ConsultManage ConsultAction = "consult_manage"
	// ConsultIdentity is reading the sealed name and contact a person gave
	// with a response, as the body's staff read a complainant's.
	ConsultIdentity ConsultAction = "consult_identity"
)

// ConsultActions lists every action, for tests that walk the whole table.
var ConsultActions = []ConsultAction{ConsultRead, ConsultManage, ConsultIdentity}

// CanConsult reports whether u may do act on the consultations of a
// purchase to which u's organisation stands in relation rel. The owner's
// staff read everything; those who may work on the assessment manage; an
// oversight body with the owner in its remit reads the working page but
// never a respondent's name; a supplier sees nothing of it.
func CanConsult(u *model.User, rel Relation, act ConsultAction) bool {
	if u == nil || u.Disabled {
		return false
	}
	switch rel {
	case Owner:
		switch act {
		case ConsultRead:
			return true
		case ConsultManage:
			return Can(u, rel, Assess)
		case ConsultIdentity:
			// Those who run the consultation, and no one else at the body:
			// not viewers, and not the complaints handler, whose access to
			// identities is for complaints only.
			return Can(u, rel, Assess) && u.Role != model.RoleComplaints
		}
	case Oversight:
		return act == ConsultRead
	}
	return false
}

// civilSociety reports whether u is an active person of a civil-society
// organisation.
func civilSociety(u *model.User) bool {
	return u != nil && !u.Disabled && u.Org != nil && u.Org.Kind == model.OrgCivilSociety
}

// CanRespondForOrg reports whether u may send a response under their
// organisation's name, with files, from their account: any person of a
// civil-society organisation or representative group the body invited.
func CanRespondForOrg(u *model.User, invited bool) bool { return invited && civilSociety(u) }

// CanFollow reports whether u may follow published purchases and be told
// of their new assessment versions, consultations and findings.
func CanFollow(u *model.User) bool { return civilSociety(u) }

// CanReadOrgResponse reports whether u may read a response an organisation
// sent from its account, with its files, whatever became of it: its own
// people may, always.
func CanReadOrgResponse(u *model.User, responderOrg int64) bool {
	return u != nil && !u.Disabled && responderOrg != 0 && u.OrgID == responderOrg
}
