package web

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"buyright/internal/access"
	"buyright/internal/assessment"
	"buyright/internal/catalog"
	"buyright/internal/model"
	"buyright/internal/screening"
	"buyright/internal/store"
)

// heatCell is one square of the severity × likelihood map, placed in SVG
// coordinates, with its count and band written out so the map reads
// without colour.
type heatCell struct {
	X, Y, TX, TY int
	Count        int
	Band         string
	Letter       string // first letter of the band, printed in the cell
	IDs          string
	Sev, Like    int
}

type heatMap struct {
	ID      string
	Cells   []heatCell
	Unrated int
	Total   int
}

type axisLabel struct {
	N, X, Y int
}

const heatCellSize, heatLeft, heatTop = 56, 48, 16

// heatAxes places the numbers 1-4 along both axes of a risk map.
func heatAxes() (x, y []axisLabel) {
	for i := 1; i <= 4; i++ {
		x = append(x, axisLabel{N: i, X: heatLeft + (i-1)*heatCellSize + heatCellSize/2, Y: heatTop + 4*heatCellSize + 16})
		y = append(y, axisLabel{N: i, X: heatLeft - 12, Y: heatTop + (4-i)*heatCellSize + heatCellSize/2 + 5})
	}
	return x, y
}

func buildHeatMap(id string, g *assessment.Grid, bandLetter func(string) string) heatMap {
	h := heatMap{ID: id, Unrated: g.Unrated}
	for sev := 4; sev >= 1; sev-- {
		for like := 1; like <= 4; like++ {
			ids := g.Cells[sev-1][like-1]
			x := heatLeft + (like-1)*heatCellSize
			y := heatTop + (4-sev)*heatCellSize
			band := assessment.Band(sev, like)
			parts := make([]string, len(ids))
			for i, n := range ids {
				parts[i] = "#" + strconv.Itoa(n)
			}
			h.Cells = append(h.Cells, heatCell{X: x, Y: y, TX: x + heatCellSize/2, TY: y + heatCellSize/2, Count: len(ids), Band: band,
				Letter: bandLetter(band), IDs: strings.Join(parts, " "), Sev: sev, Like: like})
			h.Total += len(ids)
		}
	}
	return h
}

type reportImpact struct {
	assessment.Impact
	RightTitle, Band, ResidualBand string
	Severity                       int
	Mitigations                    []assessment.Mitigation
}

type reportData struct {
	P           *model.Purchase
	V           *store.AssessmentVersion
	Snap        *assessment.Snapshot
	Draft       bool
	LevelName   string
	Assessments []string
	Reasons     []reasonView
	Questions   []citedView
	Inherent    heatMap
	Residual    heatMap
	Impacts     []reportImpact
	General     []assessment.Mitigation
	Rights      []string
	Reqs        []reportReq
	OldChecks   []reqView // the ticks of versions signed before evidence was required
	Elements    []reportElement
	Newer       *store.AssessmentVersion // a newer draft than the signed version shown
	Versions    []*store.AssessmentVersion
	Axis        []axisLabel
	AxisY       []axisLabel
}

// reportReq is one requirement as the report shows it: met or not and by
// what, at sign-off for a signed version and now for a draft, and the
// approver's reason for signing off without it.
type reportReq struct {
	ID, Title, Msg, Exception string
	Met                       bool
}

// reportElement is one element of the DPIA or FRIA as written.
type reportElement struct {
	ID, Title, Text string
}

// assessmentReport prints an assessment version (by default the newest
// signed one, or the draft when nothing is signed yet, marked as a draft):
// the public summary, the screening with the questions as answered, the
// heat maps of inherent and residual risk, impacts, mitigations, and the
// checklist. A signed version is shown from its frozen snapshot.
func (s *Server) assessmentReport(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.loadPurchase(r, access.ViewRecord)
	if err != nil {
		return err
	}
	vs, err := s.db.AssessmentVersions(r.Context(), p.ID)
	if err != nil {
		return err
	}
	if len(vs) == 0 {
		// Nothing to report yet: the workspace says so and is where to start.
		http.Redirect(w, r, "/purchases/"+strconv.FormatInt(p.ID, 10)+"/assessment", http.StatusSeeOther)
		return nil
	}
	v := vs[len(vs)-1]
	for i := len(vs) - 1; i >= 0; i-- {
		if vs[i].Signed() {
			v = vs[i]
			break
		}
	}
	if q := r.URL.Query().Get("version"); q != "" {
		n, err := strconv.Atoi(q)
		if err != nil || n < 1 || n > len(vs) {
			return model.NotFound("assessment version")
		}
		v = vs[n-1]
	}
	snap, set, err := s.snapshotOf(r, p, v)
	if err != nil {
		return err
	}
	lang := langOf(r, s)
	cat := s.catalog(r)
	frozen := func(list []assessment.Frozen) map[string]assessment.Frozen {
		m := map[string]assessment.Frozen{}
		for _, f := range list {
			m[f.ID] = f
		}
		return m
	}
	qs, reqs, rights := frozen(snap.Questions), frozen(snap.Requirements), frozen(snap.Rights)
	title := func(m map[string]assessment.Frozen, id string) string {
		if f, ok := m[id]; ok {
			return f.Title.In(lang)
		}
		return itemTitle(set, id, lang)
	}
	d := &reportData{P: p, V: v, Snap: snap, Draft: !v.Signed(), Versions: vs}
	if last := vs[len(vs)-1]; last.Version > v.Version {
		d.Newer = last
	}
	d.Axis, d.AxisY = heatAxes()
	letter := func(b string) string { return cat.T("assessment.band_letter." + b) }
	d.Inherent = buildHeatMap("inherent", assessment.Inherent(snap.Doc.Impacts), letter)
	d.Residual = buildHeatMap("residual", assessment.ResidualGrid(snap.Doc.Impacts), letter)
	if res := snap.Result; res != nil {
		d.LevelName = res.LevelName
		for _, a := range res.Assessments {
			d.Assessments = append(d.Assessments, itemTitle(set, a, lang))
		}
		for _, rs := range res.Reasons {
			rv := reasonView{Rule: rs.Rule, Text: rs.Text, Level: screening.LevelName(rs.Level), Stop: rs.Stop, Refs: rs.Refs}
			if set != nil {
				rv = explain(set, rs, lang)
			} else {
				for _, c := range rs.Answers {
					rv.Answers = append(rv.Answers, citedView{Question: title(qs, c.Question), Answer: frozenAnswer(snap, c.Question, c.Answer, lang)})
				}
			}
			d.Reasons = append(d.Reasons, rv)
		}
	}
	for _, q := range snap.Questions {
		d.Questions = append(d.Questions, citedView{Question: q.Title.In(lang), Answer: frozenAnswer(snap, q.ID, q.Answer, lang)})
	}
	for _, id := range snap.Doc.Scope.Rights {
		d.Rights = append(d.Rights, title(rights, id))
	}
	for _, im := range snap.Doc.Impacts {
		ri := reportImpact{Impact: im, RightTitle: title(rights, im.Right), Severity: im.Severity(), Band: assessment.Band(im.Severity(), im.Likelihood)}
		if im.Residual() {
			ri.ResidualBand = assessment.Band(im.ResidualSeverity, im.ResidualLikelihood)
		}
		for _, m := range snap.Doc.Mitigations {
			if m.ImpactID == im.ID {
				ri.Mitigations = append(ri.Mitigations, m)
			}
		}
		d.Impacts = append(d.Impacts, ri)
	}
	for _, m := range snap.Doc.Mitigations {
		if _, ok := snap.Doc.Impact(m.ImpactID); !ok {
			d.General = append(d.General, m)
		}
	}
	cur, _ := s.dd.current()
	for _, g := range []string{"dpia", "fria"} {
		for _, id := range assessment.ElementIDs(cur, g) {
			if text := snap.Doc.Elements[id]; text != "" {
				d.Elements = append(d.Elements, reportElement{ID: id, Title: itemTitle(cur, id, lang), Text: text})
			}
		}
	}
	if d.Reqs, err = s.reportRequirements(r, p, v, snap); err != nil {
		return err
	}
	for id, c := range snap.Doc.Checklist {
		d.OldChecks = append(d.OldChecks, reqView{ID: id, Title: title(reqs, id), Text: c.Evidence, Status: c.Status, Satisfied: c.Satisfied()})
	}
	sort.Slice(d.OldChecks, func(i, j int) bool { return d.OldChecks[i].ID < d.OldChecks[j].ID })
	return s.render(w, r, http.StatusOK, "assessment_report", "assessment.report_title", d)
}

// frozenAnswer writes an answer with the option labels frozen in the
// snapshot.
func frozenAnswer(snap *assessment.Snapshot, qid string, v any, lang string) string {
	label := func(id string) string {
		if t, ok := snap.Options[qid+"."+id]; ok {
			return catalog.Text(t).In(lang)
		}
		return id
	}
	switch x := v.(type) {
	case string:
		return label(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = label(fmt.Sprint(e))
		}
		return strings.Join(parts, ", ")
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

// reportRequirements says how each requirement stood: for a signed version,
// as frozen at its sign-off; for a draft, as it stands now.
func (s *Server) reportRequirements(r *http.Request, p *model.Purchase, v *store.AssessmentVersion, snap *assessment.Snapshot) ([]reportReq, error) {
	cat := s.catalog(r)
	lang := cat.Lang
	set, _ := s.dd.current()
	titleOf := func(id string) string {
		for _, f := range snap.Requirements {
			if f.ID == id {
				return f.Title.In(lang)
			}
		}
		return itemTitle(set, id, lang)
	}
	var out []reportReq
	if v.Signed() {
		for _, st := range snap.Statuses {
			args := make([]any, len(st.Args))
			for i, a := range st.Args {
				args[i] = a
			}
			out = append(out, reportReq{ID: st.ID, Title: titleOf(st.ID), Met: st.Met, Msg: cat.T(st.Key, args...), Exception: st.Exception})
		}
		return out, nil
	}
	now, _, err := s.requirementStatuses(r.Context(), p, lang)
	if err != nil {
		return nil, err
	}
	for _, st := range now {
		out = append(out, reportReq{ID: st.ID, Title: st.Title, Met: st.Met, Msg: cat.T(st.Key, st.Args...)})
	}
	return out, nil
}
