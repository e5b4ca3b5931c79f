package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"buyright/internal/access"
	"buyright/internal/assessment"
	"buyright/internal/model"
	"buyright/internal/store"
)

// A step made of entries (meetings, misuse cases, impacts, mitigations) is
// one form: every entry of the step is posted with its fields named
// <field>-<slot>, where the slot is the entry's number or "new" (the empty
// entry for adding one; "new2", "new3"… when a refused save shows several
// typed new entries again). The form lists its slots in "entry". One Save
// stores every entry a person changed, adds the new one unless it was left
// empty and removes the entries ticked "Remove". Entries posted back as
// they were shown are left alone, so two people editing different entries
// of a step both keep their work; an entry someone else changed meanwhile
// refuses the save (409) with everything typed shown again.

// maxStepEntries bounds the entries one save may carry.
const maxStepEntries = 500

// stepEntry is one entry of a step's form as posted.
type stepEntry struct {
	ID     int    // 0: a new entry
	Slot   string // "3", "new", "new2"
	Fields url.Values
	Remove bool
	Seen   string
}

func (e stepEntry) key(section string) string { return section + "-" + e.Slot }

// validSlot reports whether a slot is an entry number or new, new2…
func validSlot(slot string) (int, bool) {
	if rest, ok := strings.CutPrefix(slot, "new"); ok {
		if rest == "" {
			return 0, true
		}
		n, err := strconv.Atoi(rest)
		return 0, err == nil && n > 1 && n <= maxStepEntries && strconv.Itoa(n) == rest
	}
	n, err := strconv.Atoi(slot)
	return n, err == nil && n > 0 && strconv.Itoa(n) == slot
}

// postedEntries reads the entries of a step's form.
func postedEntries(section string, form url.Values) ([]stepEntry, error) {
	var out []stepEntry
	for _, slot := range form["entry"] {
		id, ok := validSlot(slot)
		if !ok {
			return nil, model.Errorf(model.EInvalid, "error.invalid", "%q is not an entry of the form", slot)
		}
		if slices.ContainsFunc(out, func(e stepEntry) bool { return e.Slot == slot }) {
			continue
		}
		if len(out) == maxStepEntries {
			return nil, model.Errorf(model.EInvalid, "error.invalid", "too many entries in one save")
		}
		e := stepEntry{ID: id, Slot: slot, Fields: url.Values{}, Remove: form.Get("remove-"+slot) == "yes", Seen: form.Get("seen-" + slot)}
		for _, k := range sectionFields[section] {
			if v, ok := form[k+"-"+slot]; ok {
				e.Fields[k] = v
			}
		}
		if section == "engagement" {
			e.Fields["e_participants"] = form["e_participants-"+slot]
		}
		out = append(out, e)
	}
	return out, nil
}

// blankEntry reports whether nothing was typed into a new entry: its
// choices that always hold a value (the status) do not count.
func blankEntry(section string, fields url.Values) bool {
	for _, k := range sectionFields[section] {
		if k == "e_status" || k == "g_status" {
			continue
		}
		if strings.TrimSpace(fields.Get(k)) != "" {
			return false
		}
	}
	return len(fields["e_participants"]) == 0
}

// entryExists reports whether the document holds the entry.
func entryExists(d *assessment.Doc, section string, id int) bool {
	switch section {
	case "engagement":
		return slices.ContainsFunc(d.Engagements, func(e assessment.Engagement) bool { return e.ID == id })
	case "misuse":
		return slices.ContainsFunc(d.Misuses, func(e assessment.Misuse) bool { return e.ID == id })
	case "impact":
		_, ok := d.Impact(id)
		return ok
	case "mitigation":
		return slices.ContainsFunc(d.Mitigations, func(e assessment.Mitigation) bool { return e.ID == id })
	}
	return false
}

// entryProblems checks one entry on its own, so each problem is shown on
// the entry that has it.
func entryProblems(d *assessment.Doc, section string, id int, check func(*assessment.Doc) error, civil map[int64]bool) model.FieldErrors {
	fe := model.FieldErrors{}
	probe := assessment.Doc{}
	switch section {
	case "engagement":
		for _, e := range d.Engagements {
			if e.ID == id {
				for _, org := range e.Participants {
					if !civil[org] {
						fe.Add("e_participants", "invalid.choice")
					}
				}
				probe.Engagements = []assessment.Engagement{e}
			}
		}
	case "misuse":
		for _, m := range d.Misuses {
			if m.ID == id {
				probe.Misuses = []assessment.Misuse{m}
			}
		}
	case "impact":
		if im, ok := d.Impact(id); ok {
			probe.Impacts = []assessment.Impact{im}
		}
	case "mitigation":
		for _, m := range d.Mitigations {
			if m.ID == id {
				if _, ok := d.Impact(m.ImpactID); m.ImpactID != 0 && !ok {
					fe.Add("g_impact_id", "invalid.choice")
				}
				m.ImpactID = 0
				probe.Mitigations = []assessment.Mitigation{m}
			}
		}
	}
	var e *model.Error
	if err := check(&probe); errors.As(err, &e) {
		for k, v := range e.Fields {
			fe.Add(k, v)
		}
	}
	return fe
}

// stepRefusal is a step's save refused: the problems per form (entry) and
// the entries someone else changed meanwhile.
type stepRefusal struct {
	errs      map[string]model.FieldErrors
	conflicts map[string]bool
	untouched map[string]bool // entries posted back as shown: the page shows them as stored
}

// assessmentSaveStep saves a step's form with all its entries in one
// change of the draft, audited with the entries it added, changed and
// removed.
func (s *Server) assessmentSaveStep(w http.ResponseWriter, r *http.Request, p *model.Purchase, rel access.Relation, section string) error {
	entries, err := postedEntries(section, r.PostForm)
	if err != nil {
		return err
	}
	set, _ := s.dd.current()
	check := func(d *assessment.Doc) error {
		return d.Validate(func(id string) bool {
			it, ok := set.Item(id)
			return ok && it.Kind == "right"
		}, func(id string) bool {
			it, ok := set.Item(id)
			return ok && it.Kind == "element"
		}, model.DateOf(s.now()))
	}
	civilOrgs, err := s.civilOrgs(r)
	if err != nil {
		return err
	}
	civil := map[int64]bool{}
	for _, o := range civilOrgs {
		civil[o.ID] = true
	}
	// The meetings step also carries the reason for holding none.
	_, withReason := r.PostForm["a_no_engagement_reason"]
	withReason = withReason && section == "engagement"

	var ref stepRefusal
	_, err = s.db.EditAssessmentNoted(r.Context(), store.ActorOf(currentUser(r)), p, section, set.Hash(), func(d *assessment.Doc) (map[string]any, error) {
		ref = stepRefusal{errs: map[string]model.FieldErrors{}, conflicts: map[string]bool{}, untouched: map[string]bool{}}
		added, changed, removed := []int{}, []int{}, []int{}
		for _, e := range entries {
			key := e.key(section)
			typed := typedForm(section, e.ID, e.Fields)
			if e.ID == 0 {
				if e.Remove || blankEntry(section, e.Fields) {
					ref.untouched[key] = true
					continue
				}
				fe, _ := applySection(d, section, 0, false, e.Fields)
				id := d.NextID
				for k, v := range entryProblems(d, section, id, check, civil) {
					fe.Add(k, v)
				}
				if len(fe) > 0 {
					ref.errs[key] = fe
				}
				added = append(added, id)
				continue
			}
			if !e.Remove && e.Seen != "" && fingerprint(typed) == e.Seen {
				ref.untouched[key] = true
				continue
			}
			if !entryExists(d, section, e.ID) {
				if e.Remove {
					ref.untouched[key] = true // someone else removed it already
				} else {
					ref.conflicts[key] = true
				}
				continue
			}
			if e.Seen != "" && fingerprint(valuesOf(d, section, e.ID)) != e.Seen {
				ref.conflicts[key] = true
				continue
			}
			fe, _ := applySection(d, section, e.ID, e.Remove, e.Fields)
			if e.Remove {
				removed = append(removed, e.ID)
				continue
			}
			for k, v := range entryProblems(d, section, e.ID, check, civil) {
				fe.Add(k, v)
			}
			if len(fe) > 0 {
				ref.errs[key] = fe
			}
			changed = append(changed, e.ID)
		}
		noted := map[string]any{"added": added, "changed": changed, "removed": removed}
		if withReason {
			typed := typedForm("noengagement", 0, r.PostForm)
			seen := r.PostForm.Get("seen")
			switch {
			case seen != "" && fingerprint(typed) == seen:
				ref.untouched["noengagement"] = true
			case seen != "" && fingerprint(valuesOf(d, "noengagement", 0)) != seen:
				ref.conflicts["noengagement"] = true
			default:
				applySection(d, "noengagement", 0, false, r.PostForm)
				noted["no_engagement_reason"] = true
			}
		}
		if len(ref.conflicts) > 0 {
			return nil, errAssessmentConflict
		}
		if len(ref.errs) > 0 {
			return nil, errStepRefused
		}
		if err := check(d); err != nil {
			var e *model.Error
			if errors.As(err, &e) && e.Code == model.EInvalid && len(e.Fields) > 0 {
				// A problem outside the entries checked one by one (the
				// reason for holding no meeting, an entry kept as it was).
				key := section
				if withReason {
					key = "noengagement"
				}
				ref.errs[key] = e.Fields
				return nil, errStepRefused
			}
			return nil, err
		}
		return noted, nil
	})
	switch {
	case errors.Is(err, errAssessmentConflict):
		return s.refuseStep(w, r, p, rel, section, entries, withReason, ref, http.StatusConflict)
	case errors.Is(err, errStepRefused):
		return s.refuseStep(w, r, p, rel, section, entries, withReason, ref, http.StatusUnprocessableEntity)
	case err != nil:
		return err
	}
	anchor, step := section, afterSave(r, section)
	if step != stepOf(section) {
		anchor = "main"
	}
	http.Redirect(w, r, fmt.Sprintf("/purchases/%d/assessment?step=%s&done=saved#%s", p.ID, step, anchor), http.StatusSeeOther)
	return nil
}

var errStepRefused = errors.New("web: the step's entries have problems")

// entryLabel names an entry in the error summary: "Meeting 2", or the
// heading of the new entry.
func entryLabel(section string, id int) (string, int) {
	if id == 0 {
		return "assessment.add_" + section, 0
	}
	return "assessment." + section + "_n", id
}

// refuseStep shows a step again with every entry as typed, the problems on
// the entries that have them and, on a conflict, the entries someone else
// changed marked as such. Entries posted back untouched show as stored now.
func (s *Server) refuseStep(w http.ResponseWriter, r *http.Request, p *model.Purchase, rel access.Relation, section string, entries []stepEntry, withReason bool, ref stepRefusal, status int) error {
	d, err := s.assessmentPage(r, p, rel)
	if err != nil {
		return err
	}
	d.buildSteps(stepOf(section))
	d.Conflict = status == http.StatusConflict
	var news []*formState
	for _, e := range entries {
		key := e.key(section)
		if ref.untouched[key] && e.ID > 0 {
			continue
		}
		f := typedForm(section, e.ID, e.Fields)
		f.Key, f.Suffix, f.seen, f.Errors = key, "-"+e.Slot, e.Seen, ref.errs[key]
		if e.Remove {
			f.Values["remove"] = "yes"
		}
		if e.ID > 0 {
			if stored := d.formByKey(key); stored != nil {
				if ref.conflicts[key] {
					f.seen, f.Conflict = stored.Seen(), true
				}
				d.setEntryForm(f)
				d.addErrs(f, section, e.ID)
				continue
			}
			// Someone else removed the entry: what was typed comes back
			// as a new entry, to add again or leave empty.
			f.Item, f.seen, f.Conflict = 0, "", true
		}
		if ref.untouched[key] && len(news) > 0 {
			continue
		}
		news = append(news, f)
	}
	if len(news) > 0 {
		for i, f := range news {
			slot := "new"
			if i > 0 {
				slot = "new" + strconv.Itoa(i+1)
			}
			errs := f.Errors
			f.Key, f.Suffix = section+"-"+slot, "-"+slot
			f.Errors = errs
			d.addErrs(f, section, 0)
		}
		d.NewEntries[section] = news
	}
	if withReason {
		f := typedForm("noengagement", 0, r.PostForm)
		f.seen, f.Errors = r.PostForm.Get("seen"), ref.errs["noengagement"]
		if ref.untouched["noengagement"] {
			f = d.Forms["noengagement"]
		} else if ref.conflicts["noengagement"] {
			f.seen, f.Conflict = d.Forms["noengagement"].Seen(), true
		}
		d.Forms["noengagement"] = f
		d.addErrs(f, "", 0)
	}
	if fe := ref.errs[section]; len(fe) > 0 {
		for _, k := range sortedKeys(fe) {
			d.ErrList = append(d.ErrList, errItem{Href: "#" + section, Label: "field." + k, Msg: fe[k]})
		}
	}
	return s.render(w, r, status, "assessment", "assessment.title", d)
}

// setEntryForm puts a typed entry form in place of the stored one.
func (d *assessmentData) setEntryForm(f *formState) {
	for _, list := range [][]entryView{d.Engagements, d.Misuses, d.Mitigations} {
		for i := range list {
			if list[i].Form.Key == f.Key {
				list[i].Form = f
			}
		}
	}
	for i := range d.Impacts {
		if d.Impacts[i].Form.Key == f.Key {
			d.Impacts[i].Form = f
		}
	}
}

// addErrs lists a form's problems in the page's error summary, each
// naming its entry and field and linking to the field.
func (d *assessmentData) addErrs(f *formState, section string, id int) {
	for _, k := range sortedKeys(f.Errors) {
		e := errItem{Href: "#f-" + f.Key + "-" + k, Label: "field." + k, Msg: f.Errors[k]}
		if section != "" {
			e.Entry, e.EntryN = entryLabel(section, id)
		}
		d.ErrList = append(d.ErrList, e)
	}
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
