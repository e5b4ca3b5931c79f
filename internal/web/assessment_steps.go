package web

import (
	"net/http"
	"slices"
	"strings"

	"buyright/internal/assessment"
)

// The assessment workspace is walked in steps: one section (or a few that
// belong together) per page, so a person sees a few fields at a time and
// each Save sends only what that step shows. Nothing typed elsewhere can
// be lost by a save, because nothing else is on the page.
var assessmentSteps = []string{"scope", "engagement", "legality", "data", "misuse", "impact", "mitigation", "elements", "checklist", "summary"}

// stepAll shows every step on one page, as the workspace was before steps.
const stepAll = "all"

// stepView is one step in the progress summary.
type stepView struct {
	ID          string
	N           int
	Done, Total int
	Current     bool
}

// Remaining is what is left to do in the step.
func (s stepView) Remaining() int { return s.Total - s.Done }

// stepOf names the step a posted section belongs to.
func stepOf(section string) string {
	switch section {
	case "noengagement":
		return "engagement"
	case "signoff":
		return "summary"
	}
	return section
}

// Show reports whether the page shows the step.
func (d *assessmentData) Show(step string) bool { return d.Step == stepAll || d.Step == step }

// ShowElements reports whether the DPIA and FRIA step is on the page.
func (d *assessmentData) ShowElements() bool { return len(d.Groups) > 0 && d.Show("elements") }

// nonEmpty counts the strings with text in them.
func nonEmpty(xs ...string) int {
	n := 0
	for _, x := range xs {
		if strings.TrimSpace(x) != "" {
			n++
		}
	}
	return n
}

// buildSteps measures each step's progress from the stored document and
// picks the step to show: the one asked for, or the first with something
// left to do.
func (d *assessmentData) buildSteps(want string) {
	doc := &d.Doc
	count := map[string][2]int{}
	sc := doc.Scope
	count["scope"] = [2]int{nonEmpty(sc.Context, sc.AffectedGroups, sc.VulnerableGroups, sc.Technology, sc.DataInvolved) + min(len(sc.Rights), 1), 6}
	held := 0
	for _, e := range doc.Engagements {
		if e.State() == assessment.Held {
			held++
		}
	}
	count["engagement"] = [2]int{min(held+nonEmpty(doc.NoEngagementReason), 1), 1}
	l := doc.Legality
	count["legality"] = [2]int{nonEmpty(l.Legality, l.LegitimateAim, l.Necessity, l.Proportionality, l.Alternatives), 5}
	x := doc.Data
	count["data"] = [2]int{nonEmpty(x.Categories, x.Minimisation, x.Retention, x.Sharing, x.Firewalling, x.Withdrawal, x.Portability), 7}
	count["misuse"] = [2]int{min(len(doc.Misuses), 1), 1}
	rated := 0
	for _, im := range doc.Impacts {
		if im.Scale > 0 && im.Scope > 0 && im.Irremediability > 0 && im.Likelihood > 0 {
			rated++
		}
	}
	count["impact"] = [2]int{rated, max(len(doc.Impacts), 1)}
	count["mitigation"] = [2]int{min(len(doc.Mitigations), 1), 1}
	written, total := 0, 0
	for _, g := range d.Groups {
		for _, el := range g.Elements {
			total++
			written += nonEmpty(doc.Elements[el.ID])
		}
	}
	count["elements"] = [2]int{written, total}
	count["checklist"] = [2]int{d.ReqsMet, len(d.Reqs)}
	signed := 0
	if d.V != nil && d.V.Signed() {
		signed = 1
	}
	count["summary"] = [2]int{nonEmpty(doc.PublicSummary) + signed, 2}

	d.Steps = nil
	for _, id := range assessmentSteps {
		if id == "elements" && len(d.Groups) == 0 {
			continue
		}
		c := count[id]
		d.Steps = append(d.Steps, stepView{ID: id, N: len(d.Steps) + 1, Done: c[0], Total: c[1]})
	}
	switch {
	case want == stepAll:
		d.Step = stepAll
	case d.hasStep(want):
		d.Step = want
	default:
		d.Step = d.Steps[0].ID
		for _, st := range d.Steps {
			if st.Remaining() > 0 && st.ID != "checklist" {
				d.Step = st.ID
				break
			}
		}
	}
	for i := range d.Steps {
		if d.Steps[i].ID != d.Step {
			continue
		}
		d.Steps[i].Current = true
		d.StepN = d.Steps[i].N
		if i > 0 {
			d.PrevStep = d.Steps[i-1].ID
		}
		if i+1 < len(d.Steps) {
			d.NextStep = d.Steps[i+1].ID
		}
	}
}

func (d *assessmentData) hasStep(id string) bool {
	return slices.ContainsFunc(d.Steps, func(s stepView) bool { return s.ID == id })
}

// afterSave is the step a save returns to: the saved section's own, or
// the next one the page offered when the person chose "Save and continue".
func afterSave(r *http.Request, section string) string {
	if next := r.PostForm.Get("then"); slices.Contains(assessmentSteps, next) {
		return next
	}
	return stepOf(section)
}
