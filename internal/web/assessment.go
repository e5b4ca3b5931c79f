package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"buyright/internal/access"
	"buyright/internal/assessment"
	"buyright/internal/catalog"
	"buyright/internal/evidence"
	"buyright/internal/model"
	"buyright/internal/screening"
	"buyright/internal/store"
)

type impactView struct {
	assessment.Impact
	RightTitle   string
	Severity     int
	Priority     int
	Band         string
	ResidualBand string
	Form         *formState
}

type entryView struct {
	ID   int
	Form *formState
	Text string // a one-line label, for mitigations: the impact it answers
}

// elementGroup is the DPIA or the FRIA as the workspace asks for it: one
// text per element the catalogue defines for that assessment.
type elementGroup struct {
	Assessment, Title string
	Required          bool // the screening requires this assessment
	Written           bool
	Elements          []elementView
}

type elementView struct {
	ID, Title, Text string
	Refs            []string
}
type assessmentData struct {
	P           *model.Purchase
	V           *store.AssessmentVersion // newest version, nil before the first save
	Doc         assessment.Doc
	CanEdit     bool
	Files       map[string][]store.PurchaseFile // engagement documents by entry id
	CanSignOff  bool
	CanComment  bool
	Screened    bool
	Complete    bool
	LevelName   string
	Level       int
	Assessments []string
	Rights      []optionView
	Forms       map[string]*formState
	// NewEntries are the empty entries of each list step, for adding one;
	// a refused save shows each typed new entry again.
	NewEntries   map[string][]*formState
	Engagements  []entryView
	Misuses      []entryView
	Impacts      []impactView
	Mitigations  []entryView
	Reqs         []reqStatus // every requirement and how it stands
	ReqsMet      int
	Exceptions   []reqStatus    // requirements due by now and not met: sign-off needs a reason for each
	Groups       []elementGroup // DPIA and FRIA sections
	Versions     []*store.AssessmentVersion
	EStates      []string
	MitStatuses  []string
	Ratings      []int
	SignOff      string // translation key of what blocks sign-off, if anything
	ReviewDue    bool
	ErrList      []errItem // the refused form's problems, for the summary
	SignOffForm  *formState
	NextVersion  int
	ImpactLabels map[int]string
	// CivilOrgs are the civil-society organisations a meeting may name as
	// participants.
	CivilOrgs []*model.Organisation
	Conflict  bool // someone else saved the refused form's section meanwhile
	// The steps the workspace is walked in (see assessment_steps.go): the
	// one shown, its number, its neighbours and everyone's progress.
	Step, PrevStep, NextStep string
	StepN                    int
	Steps                    []stepView
	// The risk map of the impacts as they stand, shown with the impacts.
	Inherent, Residual heatMap
	Axis, AxisY        []axisLabel
}

func (s *Server) assessmentView(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.ViewRecord)
	if err != nil {
		return err
	}
	d, err := s.assessmentPage(r, p, rel)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "assessment", "assessment.title", d)
}

// assessmentPage gathers the workspace of a purchase: the newest version
// with a form per section and entry, the checklist of the requirements the
// screening made applicable, and the versions so far.
func (s *Server) assessmentPage(r *http.Request, p *model.Purchase, rel access.Relation) (*assessmentData, error) {
	ctx := r.Context()
	u := currentUser(r)
	lang := langOf(r, s)
	set, _ := s.dd.current()
	d := &assessmentData{P: p, Forms: map[string]*formState{}, EStates: assessment.EngagementStates, MitStatuses: assessment.MitigationStatuses,
		Ratings:    []int{1, 2, 3, 4},
		CanEdit:    access.Can(u, rel, access.Assess) && p.Stage.Open(),
		CanSignOff: access.Can(u, rel, access.SignOff),
		CanComment: access.Can(u, rel, access.Comment), ImpactLabels: map[int]string{}}
	v, err := s.db.Assessment(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	if d.Files, err = s.engagementFiles(r, p.ID); err != nil {
		return nil, err
	}
	d.V = v
	d.Doc.Checklist = map[string]assessment.Check{}
	d.NextVersion = 1
	if v != nil {
		d.Doc = v.Doc
		d.NextVersion = v.Version
		if v.Signed() {
			d.NextVersion = v.Version + 1
			if rd, err := model.ParseDate(v.ReviewDate); err == nil && !rd.IsZero() && !model.DateOf(s.now()).Before(rd) {
				d.ReviewDue = true
			}
		}
	}
	if d.Versions, err = s.db.AssessmentVersions(ctx, p.ID); err != nil {
		return nil, err
	}
	sc, err := s.db.Screening(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	if sc != nil {
		d.Screened, d.Complete, d.Level, d.LevelName = true, sc.Result.Complete(), sc.Result.Level, sc.Result.LevelName
		for _, a := range sc.Result.Assessments {
			d.Assessments = append(d.Assessments, itemTitle(set, a, lang))
		}
	}
	var after []evidence.Row
	if d.Reqs, after, err = s.signOffStatuses(ctx, p, v, set, lang); err != nil {
		return nil, err
	}
	for _, rq := range d.Reqs {
		if rq.Met {
			d.ReqsMet++
		}
	}
	for _, row := range evidence.UnmetDue(after) {
		d.Exceptions = append(d.Exceptions, reqStatus{ID: row.ID, Title: itemTitle(set, row.ID, lang), Stage: row.Stage, Status: row.Status, Due: true})
	}
	if d.CivilOrgs, err = s.civilOrgs(r); err != nil {
		return nil, err
	}
	d.Groups = elementGroups(set, &d.Doc, sc, lang)
	rightTitle := map[string]string{}
	for _, it := range set.OfKind("right") {
		d.Rights = append(d.Rights, optionView{ID: it.ID, Label: it.Title.In(lang)})
		rightTitle[it.ID] = it.Title.In(lang)
	}
	for _, sec := range []string{"scope", "noengagement", "legality", "data", "summary", "elements"} {
		d.Forms[sec] = valuesOf(&d.Doc, sec, 0)
	}
	d.NewEntries = map[string][]*formState{}
	for _, sec := range []string{"engagement", "misuse", "impact", "mitigation"} {
		f := entryForm(&d.Doc, sec, 0)
		d.Forms[sec+"-new"] = f
		d.NewEntries[sec] = []*formState{f}
	}
	for _, e := range d.Doc.Engagements {
		d.Engagements = append(d.Engagements, entryView{ID: e.ID, Form: entryForm(&d.Doc, "engagement", e.ID)})
	}
	for _, m := range d.Doc.Misuses {
		d.Misuses = append(d.Misuses, entryView{ID: m.ID, Form: entryForm(&d.Doc, "misuse", m.ID)})
	}
	for _, im := range d.Doc.Impacts {
		rt := rightTitle[im.Right]
		if rt == "" {
			rt = im.Right
		}
		iv := impactView{Impact: im, RightTitle: rt, Severity: im.Severity(), Priority: im.Priority(), Band: assessment.Band(im.Severity(), im.Likelihood),
			Form: entryForm(&d.Doc, "impact", im.ID)}
		if im.Residual() {
			iv.ResidualBand = assessment.Band(im.ResidualSeverity, im.ResidualLikelihood)
		}
		d.Impacts = append(d.Impacts, iv)
		d.ImpactLabels[im.ID] = fmt.Sprintf("#%d %s · %s", im.ID, rt, im.Group)
	}
	sort.SliceStable(d.Impacts, func(i, j int) bool {
		if d.Impacts[i].Severity != d.Impacts[j].Severity {
			return d.Impacts[i].Severity > d.Impacts[j].Severity
		}
		return d.Impacts[i].Likelihood > d.Impacts[j].Likelihood
	})
	for _, m := range d.Doc.Mitigations {
		d.Mitigations = append(d.Mitigations, entryView{ID: m.ID, Form: entryForm(&d.Doc, "mitigation", m.ID), Text: d.ImpactLabels[m.ImpactID]})
	}
	d.SignOffForm = &formState{Key: "signoff", Values: map[string]string{}, Errors: map[string]string{}}
	if v != nil {
		d.SignOffForm.Values["review_date"] = v.ReviewDate
	}
	switch {
	case !d.Complete:
		d.SignOff = "assessment.signoff_needs_screening"
	default:
		d.SignOff = d.Doc.SignOffProblem(d.Level)
	}
	cat := s.catalog(r)
	d.Axis, d.AxisY = heatAxes()
	letter := func(b string) string { return cat.T("assessment.band_letter." + b) }
	d.Inherent = buildHeatMap("inherent", assessment.Inherent(d.Doc.Impacts), letter)
	d.Residual = buildHeatMap("residual", assessment.ResidualGrid(d.Doc.Impacts), letter)
	d.buildSteps(r.URL.Query().Get("step"))
	return d, nil
}

// refuse shows the workspace again with one form's typed values and
// problems.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, p *model.Purchase, rel access.Relation, f *formState, fe model.FieldErrors, status int) error {
	d, err := s.assessmentPage(r, p, rel)
	if err != nil {
		return err
	}
	f.Errors = fe
	// The refused form's step is shown, so what was typed is on the page,
	// with the stored section's fingerprint: saving it again is deliberate.
	d.buildSteps(stepOf(strings.SplitN(f.Key, "-", 2)[0]))
	if stored := d.formByKey(f.Key); stored != nil {
		f.seen = stored.Seen()
	}
	d.Conflict = status == http.StatusConflict
	keys := make([]string, 0, len(fe))
	for k := range fe {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		e := errItem{Href: "#f-" + f.Key + "-" + k, Label: "field." + k, Msg: fe[k]}
		if id, ok := strings.CutPrefix(k, "exc_"); ok {
			e.Label, e.Arg = "field.exc", id
		} else if id, ok := strings.CutPrefix(k, "x_"); ok {
			e.Label, e.Arg = "field.x_text", id
		}
		d.ErrList = append(d.ErrList, e)
	}
	if sec, slot, ok := strings.Cut(f.Key, "-"); ok && listSection(sec) {
		// An entry is shown in its step's form, its fields named by slot.
		f.Suffix = "-" + slot
		if slot == "new" {
			d.NewEntries[sec] = []*formState{f}
		}
	}
	if f.Key == "signoff" {
		d.SignOffForm = f
	} else {
		d.Forms[f.Key] = f
		for i := range d.Engagements {
			if d.Engagements[i].Form.Key == f.Key {
				d.Engagements[i].Form = f
			}
		}
		for i := range d.Misuses {
			if d.Misuses[i].Form.Key == f.Key {
				d.Misuses[i].Form = f
			}
		}
		for i := range d.Impacts {
			if d.Impacts[i].Form.Key == f.Key {
				d.Impacts[i].Form = f
			}
		}
		for i := range d.Mitigations {
			if d.Mitigations[i].Form.Key == f.Key {
				d.Mitigations[i].Form = f
			}
		}
	}
	return s.render(w, r, status, "assessment", "assessment.title", d)
}

// assessmentSave saves one section or one list entry of the draft. A save
// after sign-off starts the next version (see store.EditAssessment).
func (s *Server) assessmentSave(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.Assess)
	if err != nil {
		return err
	}
	section := r.PathValue("section")
	if _, ok := sectionFields[section]; !ok {
		return errNoRoute
	}
	if !p.Stage.Open() {
		return model.Forbidden()
	}
	if err := r.ParseForm(); err != nil {
		return model.Errorf(model.EInvalid, "error.invalid", "the form could not be read")
	}
	if _, ok := r.PostForm["entry"]; ok && listSection(section) {
		return s.assessmentSaveStep(w, r, p, rel, section)
	}
	// One section, or one entry by its number (item): the form of a
	// step before steps carried all their entries, kept for scripts.
	item := 0
	if listSection(section) && r.PostForm.Get("item") != "" {
		if item, err = strconv.Atoi(r.PostForm.Get("item")); err != nil || item < 0 {
			return model.NotFound("entry")
		}
	}
	del := r.PostForm.Get("delete") == "yes"
	set, _ := s.dd.current()
	isRight := func(id string) bool {
		it, ok := set.Item(id)
		return ok && it.Kind == "right"
	}
	isElement := func(id string) bool {
		it, ok := set.Item(id)
		return ok && it.Kind == "element"
	}
	civil, err := s.civilOrgs(r)
	if err != nil {
		return err
	}
	conflict := false
	_, err = s.db.EditAssessment(r.Context(), store.ActorOf(currentUser(r)), p, section, set.Hash(), func(d *assessment.Doc) error {
		if seen := r.PostForm.Get("seen"); seen != "" && !del && (item > 0 || !listSection(section)) && seen != fingerprint(valuesOf(d, section, item)) {
			conflict = true
			return errAssessmentConflict
		}
		fe, found := applySection(d, section, item, del, r.PostForm)
		if !found {
			return model.NotFound("entry")
		}
		if section == "engagement" && !del && !participantsKnown(d, civil) {
			fe.Add("e_participants", "invalid.choice")
		}
		if len(fe) > 0 {
			return fe.Err()
		}
		return d.Validate(isRight, isElement, model.DateOf(s.now()))
	})
	if conflict {
		return s.refuse(w, r, p, rel, typedForm(section, item, r.PostForm), nil, http.StatusConflict)
	}
	if err != nil {
		var e *model.Error
		if errors.As(err, &e) && e.Code == model.EInvalid && len(e.Fields) > 0 {
			return s.refuse(w, r, p, rel, typedForm(section, item, r.PostForm), e.Fields, http.StatusUnprocessableEntity)
		}
		return err
	}
	anchor, step := section, afterSave(r, section)
	if step != stepOf(section) {
		anchor = "main"
	}
	http.Redirect(w, r, fmt.Sprintf("/purchases/%d/assessment?step=%s&done=saved#%s", p.ID, step, anchor), http.StatusSeeOther)
	return nil
}

// errItem is one line of a form's error summary.
type errItem struct {
	Href, Label, Arg, Msg string
	// Entry names the entry of a step the problem is in ("Meeting %d",
	// with EntryN), so two entries' problems with one field tell apart.
	Entry  string
	EntryN int
}

func cutLast(s, sep string) (string, string, bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

func displayOr(u *model.User) string {
	if u.Name != "" {
		return u.Name
	}
	return u.Email
}

type diffRow struct {
	Section, Item, Field, Kind, Old, New string
}

type diffData struct {
	P        *model.Purchase
	From, To int
	Versions []*store.AssessmentVersion
	Rows     []diffRow
}

// assessmentDiff shows what changed between two versions, field by field.
func (s *Server) assessmentDiff(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.loadPurchase(r, access.ViewRecord)
	if err != nil {
		return err
	}
	vs, err := s.db.AssessmentVersions(r.Context(), p.ID)
	if err != nil {
		return err
	}
	if len(vs) == 0 {
		return model.NotFound("assessment")
	}
	last := vs[len(vs)-1].Version
	from, to := atoiOr(r.URL.Query().Get("from"), last-1), atoiOr(r.URL.Query().Get("to"), last)
	pick := func(n int) *store.AssessmentVersion {
		for _, v := range vs {
			if v.Version == n {
				return v
			}
		}
		return nil
	}
	d := &diffData{P: p, From: from, To: to, Versions: vs}
	a, b := pick(from), pick(to)
	if b == nil || (a == nil && from != 0) {
		return model.NotFound("assessment version")
	}
	empty := assessment.Doc{}
	ad := &empty
	if a != nil {
		ad = &a.Doc
	}
	set, _ := s.dd.current()
	lang := langOf(r, s)
	for _, c := range assessment.Diff(ad, &b.Doc) {
		row := diffRow{Section: c.Section, Item: c.Item, Field: diffField(c.Section, c.Field), Kind: c.Kind, Old: c.Old, New: c.New}
		if c.Section == "checklist" || c.Section == "elements" {
			row.Item = c.Item + " " + itemTitle(set, c.Item, lang)
		}
		if c.Field == "" {
			row.Field = ""
		}
		d.Rows = append(d.Rows, row)
	}
	return s.render(w, r, http.StatusOK, "assessment_diff", "assessment.diff_title", d)
}

func atoiOr(s string, def int) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return def
}

// snapshotOf returns the frozen snapshot of a signed version, or a fresh one
// of a draft against the catalogue in force.
func (s *Server) snapshotOf(r *http.Request, p *model.Purchase, v *store.AssessmentVersion) (*assessment.Snapshot, *catalog.Set, error) {
	if v.Signed() && len(v.Snapshot) > 0 {
		var snap assessment.Snapshot
		if err := json.Unmarshal(v.Snapshot, &snap); err != nil {
			return nil, nil, fmt.Errorf("web: snapshot of version %d: %w", v.Version, err)
		}
		return &snap, nil, nil
	}
	sc, err := s.db.Screening(r.Context(), p.ID)
	if err != nil {
		return nil, nil, err
	}
	set, _ := s.dd.current()
	var answers map[string]any
	var res *screening.Result
	if sc != nil {
		answers, res = sc.Answers, &sc.Result
	}
	snap := assessment.Freeze(set, v.Doc, answers, res)
	snap.PurchaseID, snap.PurchaseTitle, snap.Version = p.ID, p.Title, v.Version
	return snap, set, nil
}

// assessmentJSON exports the whole assessment: the screening and every
// version, signed ones with their frozen snapshot.
// requirementOut is one requirement in the JSON export: how it stands now
// (in English) and every record of evidence for it, oldest first.
type requirementOut struct {
	ID       string        `json:"id"`
	Stage    model.Stage   `json:"stage"`
	Met      bool          `json:"met"`
	How      string        `json:"how,omitempty"`
	Status   string        `json:"status"`
	Evidence []evidenceOut `json:"evidence"`
}

type evidenceOut struct {
	Kind string `json:"kind"`
	File string `json:"file,omitempty"`
	Link string `json:"link,omitempty"`
	Text string `json:"text,omitempty"`
	By   string `json:"by"`
	At   string `json:"at"`
}

func (s *Server) assessmentJSON(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.loadPurchase(r, access.ViewRecord)
	if err != nil {
		return err
	}
	vs, err := s.db.AssessmentVersions(r.Context(), p.ID)
	if err != nil {
		return err
	}
	sc, err := s.db.Screening(r.Context(), p.ID)
	if err != nil {
		return err
	}
	type version struct {
		Version     int             `json:"version"`
		Status      string          `json:"status"`
		CatalogHash string          `json:"catalog_hash"`
		ReviewDate  string          `json:"review_date,omitempty"`
		SignedBy    string          `json:"signed_by,omitempty"`
		SignedAt    string          `json:"signed_at,omitempty"`
		Assessment  assessment.Doc  `json:"assessment"`
		Snapshot    json.RawMessage `json:"snapshot,omitempty"`
	}
	out := struct {
		Purchase struct {
			ID    int64       `json:"id"`
			Title string      `json:"title"`
			Stage model.Stage `json:"stage"`
		} `json:"purchase"`
		Screening *struct {
			Answers     map[string]any   `json:"answers"`
			Result      screening.Result `json:"result"`
			CatalogHash string           `json:"catalog_hash"`
		} `json:"screening"`
		Versions     []version        `json:"versions"`
		Requirements []requirementOut `json:"requirements"`
	}{Versions: []version{}, Requirements: []requirementOut{}}
	out.Purchase.ID, out.Purchase.Title, out.Purchase.Stage = p.ID, p.Title, p.Stage
	if sc != nil {
		out.Screening = &struct {
			Answers     map[string]any   `json:"answers"`
			Result      screening.Result `json:"result"`
			CatalogHash string           `json:"catalog_hash"`
		}{sc.Answers, sc.Result, sc.CatalogHash}
	}
	for _, v := range vs {
		x := version{Version: v.Version, Status: v.Status, CatalogHash: v.CatalogHash, ReviewDate: v.ReviewDate, SignedBy: v.SignedName, Assessment: v.Doc}
		if v.Signed() {
			x.SignedAt = v.SignedAt.UTC().Format("2006-01-02T15:04:05Z")
			x.Snapshot = v.Snapshot
		}
		out.Versions = append(out.Versions, x)
	}
	reqs, _, err := s.requirementStatuses(r.Context(), p, "en")
	if err != nil {
		return err
	}
	hist, err := s.db.Evidence(r.Context(), p.ID, "")
	if err != nil {
		return err
	}
	en := s.i18n.Catalog("en")
	for _, rq := range reqs {
		ro := requirementOut{ID: rq.ID, Stage: rq.Stage, Met: rq.Met, How: rq.How, Status: en.T(rq.Key, rq.Args...), Evidence: []evidenceOut{}}
		for _, e := range hist {
			if e.Requirement == rq.ID {
				ro.Evidence = append(ro.Evidence, evidenceOut{Kind: string(e.Kind), File: e.FileName, Link: e.Link, Text: e.Text, By: e.ByName, At: e.At.UTC().Format("2006-01-02T15:04:05Z")})
			}
		}
		out.Requirements = append(out.Requirements, ro)
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="assessment-%d.json"`, p.ID))
	return writeJSON(w, http.StatusOK, out)
}
