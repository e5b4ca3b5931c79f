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

// What people do on the opinions page: an oversight body issues an
// opinion or writes a note; the accountable head records a decision to go
// on. Each refused form comes back with what was typed and what is wrong.

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
