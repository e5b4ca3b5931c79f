package web

import (
	"net/http"
	"strconv"

	"buyright/internal/access"
	"buyright/internal/model"
	"buyright/internal/opinion"
)

// The opinions page of a purchase (/purchases/{id}/opinions) gathers what
// oversight bodies say about it: where each gate ahead stands (opinions
// asked for by a rule, with their time limits), every opinion given (none
// is ever changed; a later one follows an earlier one), their conditions
// and how each is met, the accountable head's decisions to go on, and the
// bodies' notes and comments on parts of the assessment. It is where a
// body issues an opinion and writes a note, and where the accountable head
// records a decision.

func (s *Server) opinionRoutes(member func(string, handlerFunc)) {
	member("GET /purchases/{id}/opinions", s.opinionsView)
	member("POST /purchases/{id}/opinions", s.opinionIssue)
	member("POST /purchases/{id}/opinions/{op}/decision", s.opinionDecide)
	member("POST /purchases/{id}/oversight-notes", s.oversightNoteAdd)
	member("GET /oversight/opinions", s.opinionSettings)
	member("POST /oversight/opinion-rules", s.opinionRuleAdd)
	member("POST /oversight/opinion-rules/{rule}/retire", s.opinionRuleRetire)
	member("GET /oversight/purchases", s.oversightPurchases)
	member("GET /oversight/purchases.csv", s.oversightPurchasesCSV)
	member("GET /oversight/purchases.json", s.oversightPurchasesJSON)
	member("GET /oversight/suppliers", s.oversightSuppliers)
	member("GET /oversight/technologies", s.oversightTechnologies)
	member("GET /admin/accountable-heads", s.headsView)
	member("POST /admin/accountable-heads", s.headsSave)
}

// opinionView is one opinion as the page shows it.
type opinionView struct {
	*opinion.Opinion
	InForce    bool
	Superseded bool
	Late       bool
	Decision   *opinion.Decision
	Conditions []conditionView
	CanDecide  bool // an unfavourable opinion in force, for a gate ahead, with no decision yet
	Form       *formState
}

type conditionView struct {
	ID string
	opinion.Condition
	Met           bool
	Key           string
	Args          []any
	CheckedAtGate model.Stage // the stage the purchase leaves when the condition is checked
}

type standingView struct {
	opinion.Standing
	State opinion.State
}

// partChoice is an impact, mitigation or meeting of the assessment a note
// may be about.
type partChoice struct {
	Value string // "impact:3"
	Part  opinion.Part
	ID    int
	Label string
}

type noteView struct {
	opinion.Note
	PartLabel string // the part's words, quoted; "" for the whole purchase or a part since removed
	PartGone  bool
}

type opinionsData struct {
	P         *model.Purchase
	Standings []standingView
	Opinions  []opinionView // newest first
	Notes     []noteView
	Parts     []partChoice
	Ahead     []model.Stage // gates ahead, for the forms
	CanGive   bool
	CanNote   bool
	IsOwner   bool
	IsHead    bool
	// CanDesignate: an administrator of the buying body, who designates
	// its accountable heads.
	CanDesignate bool
	Heads        []string // names of the buying body's accountable heads
	Today        model.Date

	Verdicts  []opinion.Verdict
	NoteKinds []opinion.NoteKind
	Give      *formState // the opinion form, as typed when refused
	CondRows  []int      // condition rows on the form, from 1
	Note      *formState
	ErrList   []errItem
}

func (s *Server) opinionsView(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.View)
	if err != nil {
		return err
	}
	d, err := s.opinionsPage(r, p, rel)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "opinions", "opinion.page_title", d)
}

// opinionsPage builds the page for a person allowed to read the record.
func (s *Server) opinionsPage(r *http.Request, p *model.Purchase, rel access.Relation) (*opinionsData, error) {
	ctx := r.Context()
	u := currentUser(r)
	if !access.CanOpinion(u, rel, access.ReadOpinions, false) {
		return nil, model.Forbidden()
	}
	f, err := s.db.OpinionFacts(ctx, p)
	if err != nil {
		return nil, err
	}
	head := false
	if rel == access.Owner {
		if head, err = s.db.IsAccountableHead(ctx, u, p.OrgID); err != nil {
			return nil, err
		}
	}
	d := &opinionsData{P: p, Today: model.DateOf(s.now()), IsOwner: rel == access.Owner, IsHead: head,
		CanDesignate: rel == access.Owner && access.CanDesignateHeads(u),
		CanGive:      access.CanOpinion(u, rel, access.GiveOpinion, false) && p.Stage.Open(),
		CanNote:      access.CanOpinion(u, rel, access.WriteNote, false),
		Verdicts:     opinion.Verdicts, NoteKinds: opinion.NoteKinds, CondRows: []int{1, 2, 3, 4},
		Give: &formState{Key: "op", Values: map[string]string{"verdict": string(opinion.Favourable)}, Errors: map[string]string{}},
		Note: &formState{Key: "note", Values: map[string]string{"note_kind": string(opinion.KindNote), "shared": "yes"}, Errors: map[string]string{}},
	}
	for _, st := range model.Stages {
		if st.Index() > p.Stage.Index() && p.Stage.Open() {
			d.Ahead = append(d.Ahead, st)
		}
	}
	if len(d.Ahead) > 0 {
		d.Give.Values["before"] = string(d.Ahead[0])
	}
	for _, before := range d.Ahead {
		for _, st := range f.Standings(p, before) {
			d.Standings = append(d.Standings, standingView{Standing: st, State: st.State(d.Today)})
		}
	}
	inForce := map[int64]bool{}
	for _, o := range f.InForce() {
		inForce[o.ID] = true
	}
	status := map[string]opinion.ConditionStatus{}
	for _, c := range f.ConditionStatuses() {
		status[c.ID] = c
	}
	for i := len(f.Opinions) - 1; i >= 0; i-- {
		o := &f.Opinions[i]
		v := opinionView{Opinion: o, InForce: inForce[o.ID], Superseded: f.Superseded(o), Late: o.Late(), Decision: f.Decisions[o.ID]}
		for _, c := range o.Conditions {
			id := opinion.RequirementID(o.ID, c.N)
			cv := conditionView{ID: id, Condition: c, CheckedAtGate: c.Gate()}
			if st, ok := status[id]; ok {
				cv.Met, cv.Key, cv.Args = st.Met, st.Key, st.Args
			}
			v.Conditions = append(v.Conditions, cv)
		}
		v.CanDecide = head && access.CanOpinion(u, rel, access.DecideToProceed, head) && v.InForce && o.Verdict == opinion.Unfavourable &&
			v.Decision == nil && o.Before.Index() > p.Stage.Index() && p.Stage.Open()
		v.Form = &formState{Key: "dec-" + strconv.FormatInt(o.ID, 10), Values: map[string]string{}, Errors: map[string]string{}}
		d.Opinions = append(d.Opinions, v)
	}
	if d.IsOwner || d.CanGive {
		if d.Heads, err = s.headNames(r, p.OrgID); err != nil {
			return nil, err
		}
	}
	notes, err := s.db.OversightNotes(ctx, u, p.ID)
	if err != nil {
		return nil, err
	}
	parts, err := s.assessmentParts(r, p)
	if err != nil {
		return nil, err
	}
	label := map[string]string{}
	for _, x := range parts {
		label[x.Value] = x.Label
	}
	for _, n := range notes {
		nv := noteView{Note: n}
		if n.Part != opinion.Whole {
			nv.PartLabel = label[partValue(n.Part, n.PartID)]
			nv.PartGone = nv.PartLabel == ""
		}
		d.Notes = append(d.Notes, nv)
	}
	if d.CanNote {
		d.Parts = parts
	}
	return d, nil
}

func partValue(p opinion.Part, id int) string { return string(p) + ":" + strconv.Itoa(id) }

// assessmentParts lists the impacts, mitigations and meetings of the
// newest assessment version, each with a few words to recognise it by.
func (s *Server) assessmentParts(r *http.Request, p *model.Purchase) ([]partChoice, error) {
	v, err := s.db.Assessment(r.Context(), p.ID)
	if err != nil || v == nil {
		return nil, err
	}
	cat := s.catalog(r)
	short := func(s string) string {
		rs := []rune(s)
		if len(rs) > 90 {
			return string(rs[:89]) + "…"
		}
		return s
	}
	var out []partChoice
	for _, x := range v.Doc.Impacts {
		out = append(out, partChoice{Value: partValue(opinion.Impact, x.ID), Part: opinion.Impact, ID: x.ID,
			Label: cat.T("opinion.part.impact", x.ID, short(x.Group+": "+x.Description))})
	}
	for _, x := range v.Doc.Mitigations {
		out = append(out, partChoice{Value: partValue(opinion.Mitigation, x.ID), Part: opinion.Mitigation, ID: x.ID,
			Label: cat.T("opinion.part.mitigation", x.ID, short(x.Action))})
	}
	for _, x := range v.Doc.Engagements {
		out = append(out, partChoice{Value: partValue(opinion.Meeting, x.ID), Part: opinion.Meeting, ID: x.ID,
			Label: cat.T("opinion.part.engagement", x.ID, short(x.Who+" "+x.When))})
	}
	return out, nil
}

// headNames names the accountable heads of a public body.
func (s *Server) headNames(r *http.Request, orgID int64) ([]string, error) {
	heads, err := s.db.AccountableHeads(r.Context(), orgID)
	if err != nil || len(heads) == 0 {
		return nil, err
	}
	people, err := s.db.Users(r.Context(), orgID)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, u := range people {
		if _, ok := heads[u.ID]; ok && access.CanBeHead(u) {
			out = append(out, displayName(u))
		}
	}
	return out, nil
}

func displayName(u *model.User) string {
	if u.Name != "" {
		return u.Name
	}
	return u.Email
}
