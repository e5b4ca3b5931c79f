package web

import (
	"fmt"
	"net/http"
	"strconv"

	"buyright/internal/access"
	"buyright/internal/model"
	"buyright/internal/opinion"
	"buyright/internal/store"
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

// opinionForm reads the opinion form: the gate, the verdict, reasons,
// references and the condition rows (cond_text_N, cond_before_N).
func opinionForm(r *http.Request) (*opinion.Opinion, map[string]string, int) {
	o := &opinion.Opinion{Before: model.Stage(r.PostFormValue("before")), Verdict: opinion.Verdict(r.PostFormValue("verdict")),
		Reasons: r.PostFormValue("reasons"), References: r.PostFormValue("references")}
	typed := map[string]string{"before": r.PostFormValue("before"), "verdict": r.PostFormValue("verdict"),
		"reasons": r.PostFormValue("reasons"), "references": r.PostFormValue("references")}
	rows := 0
	for n := 1; n <= opinion.MaxConditions+1; n++ {
		k := strconv.Itoa(n)
		text, ok := r.PostForm["cond_text_"+k]
		if !ok {
			break
		}
		rows = n
		before := r.PostFormValue("cond_before_" + k)
		typed["cond_text_"+k], typed["cond_before_"+k] = text[0], before
		o.Conditions = append(o.Conditions, opinion.Condition{Text: text[0], Before: model.Stage(before)})
	}
	return o, typed, rows
}

// opinionIssue issues an oversight body's opinion. "More rows" sends the
// form back with room for more conditions, saving nothing, so a body can
// write as many as it needs without script.
func (s *Server) opinionIssue(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.View)
	if err != nil {
		return err
	}
	u := currentUser(r)
	if !access.CanOpinion(u, rel, access.GiveOpinion, false) {
		return model.Forbidden()
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		return model.FieldErrors{"reasons": "invalid.too_long"}.Err()
	}
	o, typed, rows := opinionForm(r)
	more := r.PostFormValue("more") == "yes"
	var fe model.FieldErrors
	if !more {
		err = s.db.IssueOpinion(r.Context(), store.ActorOf(u), u, p, o)
		fe = model.FieldErrors{}
		if err != nil && !mergeErrors(fe, err) {
			return err
		}
		if len(fe) == 0 {
			http.Redirect(w, r, fmt.Sprintf("/purchases/%d/opinions?done=saved#opinion-%d", p.ID, o.ID), http.StatusSeeOther)
			return nil
		}
	}
	d, err := s.opinionsPage(r, p, rel)
	if err != nil {
		return err
	}
	d.Give = &formState{Key: "op", Values: typed, Errors: fe}
	if rows < 4 {
		rows = 4
	}
	if more && rows < opinion.MaxConditions {
		rows = min(rows+4, opinion.MaxConditions)
	}
	d.CondRows = d.CondRows[:0]
	for n := 1; n <= rows; n++ {
		d.CondRows = append(d.CondRows, n)
	}
	status := http.StatusOK
	if len(fe) > 0 {
		status = http.StatusUnprocessableEntity
		for k, v := range fe {
			item := errItem{Href: "#f-op-" + k, Label: "opinion.field." + k, Msg: v}
			if n, ok := cutPrefixNumber(k, "cond_"); ok {
				item = errItem{Href: "#f-op-cond_text_" + n, Label: "opinion.field.condition", Arg: n, Msg: v}
			}
			d.ErrList = append(d.ErrList, item)
		}
		sortErrs(d.ErrList)
	}
	return s.render(w, r, status, "opinions", "opinion.page_title", d)
}

func cutPrefixNumber(s, prefix string) (string, bool) {
	if len(s) <= len(prefix) || s[:len(prefix)] != prefix {
		return "", false
	}
	if _, err := strconv.Atoi(s[len(prefix):]); err != nil {
		return "", false
	}
	return s[len(prefix):], true
}

// opinionDecide records the accountable head's decision to go on after an
// unfavourable opinion. Who may is decided in the store as well; here a
// person who could never decide is told so before anything is read.
func (s *Server) opinionDecide(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.View)
	if err != nil {
		return err
	}
	u := currentUser(r)
	head, err := s.db.IsAccountableHead(r.Context(), u, p.OrgID)
	if err != nil {
		return err
	}
	if !access.CanOpinion(u, rel, access.DecideToProceed, head) {
		return model.Forbidden()
	}
	opID, err := strconv.ParseInt(r.PathValue("op"), 10, 64)
	if err != nil {
		return model.NotFound("opinion")
	}
	reasons := r.PostFormValue("decision")
	_, err = s.db.DecideToProceed(r.Context(), store.ActorOf(u), u, p, opID, reasons)
	fe := model.FieldErrors{}
	if err != nil && !mergeErrors(fe, err) {
		return err
	}
	if len(fe) == 0 {
		http.Redirect(w, r, fmt.Sprintf("/purchases/%d/opinions?done=saved#opinion-%d", p.ID, opID), http.StatusSeeOther)
		return nil
	}
	d, err := s.opinionsPage(r, p, rel)
	if err != nil {
		return err
	}
	key := "dec-" + strconv.FormatInt(opID, 10)
	for i := range d.Opinions {
		if d.Opinions[i].ID == opID {
			d.Opinions[i].Form = &formState{Key: key, Values: map[string]string{"decision": reasons}, Errors: fe}
		}
	}
	for k, v := range fe {
		d.ErrList = append(d.ErrList, errItem{Href: "#f-" + key + "-" + k, Label: "opinion.field." + k, Msg: v})
	}
	sortErrs(d.ErrList)
	return s.render(w, r, http.StatusUnprocessableEntity, "opinions", "opinion.page_title", d)
}

// oversightNoteAdd records a note, an own assessment or a comment on one
// part of the assessment.
func (s *Server) oversightNoteAdd(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.View)
	if err != nil {
		return err
	}
	u := currentUser(r)
	if !access.CanOpinion(u, rel, access.WriteNote, false) {
		return model.Forbidden()
	}
	n := &opinion.Note{Kind: opinion.NoteKind(r.PostFormValue("note_kind")), Title: r.PostFormValue("note_title"),
		Body: r.PostFormValue("note_body"), Shared: r.PostFormValue("shared") == "yes"}
	fe := model.FieldErrors{}
	if part := r.PostFormValue("part"); part != "" {
		kind, id, ok := cutLast(part, ":")
		x, err := strconv.Atoi(id)
		if !ok || err != nil || x <= 0 {
			fe.Add("part", "invalid.choice")
		}
		n.Part, n.PartID = opinion.Part(kind), x
	}
	if len(fe) == 0 {
		if err := s.db.AddOversightNote(r.Context(), store.ActorOf(u), u, p, n); err != nil && !mergeErrors(fe, err) {
			return err
		}
	}
	if len(fe) == 0 {
		http.Redirect(w, r, fmt.Sprintf("/purchases/%d/opinions?done=saved#note-%d", p.ID, n.ID), http.StatusSeeOther)
		return nil
	}
	d, err := s.opinionsPage(r, p, rel)
	if err != nil {
		return err
	}
	shared := ""
	if n.Shared {
		shared = "yes"
	}
	d.Note = &formState{Key: "note", Errors: fe, Values: map[string]string{"note_kind": r.PostFormValue("note_kind"), "part": r.PostFormValue("part"),
		"note_title": r.PostFormValue("note_title"), "note_body": r.PostFormValue("note_body"), "shared": shared}}
	for k, v := range fe {
		d.ErrList = append(d.ErrList, errItem{Href: "#f-note-" + k, Label: "opinion.field." + k, Msg: v})
	}
	sortErrs(d.ErrList)
	return s.render(w, r, http.StatusUnprocessableEntity, "opinions", "opinion.page_title", d)
}
