package access

import "buyright/internal/model"

// Oversight opinions. An oversight body's opinion counts at a purchase's
// gates, so who may give one, and who may decide to go on after an
// unfavourable one, is written out here.
//
// The accountable head of a public body is a person the body's
// administrator designates among its administrators and approvers: the
// one who answers for going on against an oversight body's advice, in
// public and with reasons. Designation is a record (store.DesignateHead);
// CanOpinion takes whether the person holds it.

// OpinionAction is something a person may want to do with the opinions on
// a purchase.
type OpinionAction string

const (
	ReadOpinions OpinionAction = "read_opinions" // opinions, decisions and shared notes
	GiveOpinion  OpinionAction = "give_opinion"  // issue an opinion, which may follow an earlier one
	WriteNote    OpinionAction = "write_note"    // a note, an own assessment, a comment on a part
	// DecideToProceed is the accountable head's decision to go on after
	// an unfavourable opinion.
	DecideToProceed OpinionAction = "decide_to_proceed"
)

// OpinionActions lists every opinion action, for tests that walk them all.
var OpinionActions = []OpinionAction{ReadOpinions, GiveOpinion, WriteNote, DecideToProceed}

// CanOpinion reports whether u, whose organisation stands to a purchase in
// relation rel, may do act; head says whether u is designated accountable
// head of their public body.
func CanOpinion(u *model.User, rel Relation, act OpinionAction, head bool) bool {
	if u == nil || u.Disabled {
		return false
	}
	switch act {
	case ReadOpinions:
		// The record's readers: the buying body and oversight, never a
		// supplier.
		return Can(u, rel, ViewRecord)
	case GiveOpinion, WriteNote:
		// The people who speak for an oversight body in its remit.
		return rel == Oversight && (u.Role == model.RoleOversight || u.Role == model.RoleAdmin)
	case DecideToProceed:
		return rel == Owner && head && CanBeHead(u)
	}
	return false
}

// CanBeHead reports whether u may be designated accountable head: an
// administrator or approver of a public body.
func CanBeHead(u *model.User) bool {
	return u != nil && !u.Disabled && u.Org != nil && u.Org.Kind == model.OrgPublicBody &&
		(u.Role == model.RoleAdmin || u.Role == model.RoleApprover)
}

// CanDesignateHeads reports whether u may designate the accountable heads
// of their own public body: its administrators.
func CanDesignateHeads(u *model.User) bool {
	return u != nil && !u.Disabled && u.Org != nil && u.Org.Kind == model.OrgPublicBody && u.Role == model.RoleAdmin
}

// CanSetOpinionRules reports whether u may set which purchases need their
// oversight body's opinion: the people who speak for it.
func CanSetOpinionRules(u *model.User) bool {
	return u != nil && !u.Disabled && u.Org != nil && u.Org.Kind == model.OrgOversight &&
		(u.Role == model.RoleOversight || u.Role == model.RoleAdmin)
}

// CanViewAcrossBodies reports whether u may use the views that run across
// every public body in an oversight body's remit (and download them).
func CanViewAcrossBodies(u *model.User) bool {
	return u != nil && !u.Disabled && u.Org != nil && u.Org.Kind == model.OrgOversight
}
