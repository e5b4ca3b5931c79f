package access

import (
	"slices"

	"buyright/internal/model"
)

// The Learning Lab's network roles. They are held by people, not by
// organisations, and are given by the network (a site administrator or a
// network lead), never by an organisation's own administrator: an
// organisation's rank inside itself says nothing about whether it may
// vouch for legal guidance that reaches every buyer's gates.

// LabRole is a role in the Lab's network.
type LabRole string

const (
	LabLead     LabRole = "lead"     // appoints and removes editors, reviewers and hub leads
	LabEditor   LabRole = "editor"   // publishes reviewed content; keeps jurisdictions and questions
	LabReviewer LabRole = "reviewer" // approves or returns law answers and practices
	LabHubLead  LabRole = "hub_lead" // reviews the practices of one sector hub
)

// LabRoles lists every network role, for forms and tests.
var LabRoles = []LabRole{LabLead, LabEditor, LabReviewer, LabHubLead}

// Valid reports whether r is a known network role.
func (r LabRole) Valid() bool { return slices.Contains(LabRoles, r) }

// LabGrant is one role a person holds; Hub is set for hub leads only.
type LabGrant struct {
	Role LabRole
	Hub  string
}

// LabAction is something a person may want to do in the Lab.
type LabAction string

const (
	LabPropose        LabAction = "propose"         // propose a law answer or a practice
	LabReadQueue      LabAction = "read_queue"      // read every organisation's unpublished proposals (hub leads read their hub's practices)
	LabReviewAnswer   LabAction = "review_answer"   // approve or return a law answer, confirm a seed answer
	LabReviewPractice LabAction = "review_practice" // approve or return a practice of a hub
	LabPublish        LabAction = "publish"         // publish reviewed answers and practices, materials, events
	LabEditMap        LabAction = "edit_map"        // add and edit jurisdictions and questions
	LabAppoint        LabAction = "appoint"         // appoint or remove editors, reviewers, hub leads
	LabAppointLead    LabAction = "appoint_lead"    // appoint or remove network leads
)

// LabActions lists every Lab action, for tests that walk the whole table.
var LabActions = []LabAction{LabPropose, LabReadQueue, LabReviewAnswer, LabReviewPractice, LabPublish, LabEditMap, LabAppoint, LabAppointLead}

// LabCan reports whether u, holding grants, may do act; hub names the
// sector hub of the practice concerned ("" when none). People of a
// supplier only ever propose: a supplier has a commercial stake in what
// buyers are told the law allows, whatever role someone gave it.
func LabCan(u *model.User, grants []LabGrant, act LabAction, hub string) bool {
	if u == nil || u.Disabled {
		return false
	}
	if act == LabPropose {
		return true
	}
	if u.Org != nil && u.Org.Kind == model.OrgSupplier {
		return false
	}
	has := func(r LabRole) bool {
		return slices.ContainsFunc(grants, func(g LabGrant) bool { return g.Role == r })
	}
	leadsHub := hub != "" && slices.Contains(grants, LabGrant{Role: LabHubLead, Hub: hub})
	switch act {
	case LabReadQueue:
		return has(LabReviewer) || has(LabEditor)
	case LabReviewAnswer:
		return has(LabReviewer)
	case LabReviewPractice:
		return has(LabReviewer) || leadsHub
	case LabPublish, LabEditMap:
		return has(LabEditor)
	case LabAppoint:
		return u.SiteAdmin || has(LabLead)
	case LabAppointLead:
		return u.SiteAdmin
	}
	return false
}

// Reasons a review is refused although the person holds the role. They
// are translation keys, shown to the person as the reason.
const (
	LabOwnWork       = "lab.refused.own"
	LabColleagueWork = "lab.refused.colleague"
)

// LabConflict says why u may not review a contribution written by
// authorID of organisation authorOrg, or "" when nothing stands in the way.
// Starting content shipped with buyright has neither, so anyone with the
// role may review it.
func LabConflict(u *model.User, authorID, authorOrg int64) string {
	switch {
	case u == nil:
		return LabOwnWork
	case authorID != 0 && authorID == u.ID:
		return LabOwnWork
	case authorOrg != 0 && authorOrg == u.OrgID:
		return LabColleagueWork
	}
	return ""
}
