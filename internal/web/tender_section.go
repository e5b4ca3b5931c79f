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
	"buyright/internal/catalog"
	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/tender"
)

// maxSectionItems bounds one section form: the catalogue proposes a few
// dozen items at most, so more is not a form this page wrote.
const maxSectionItems = 200

// tenderSection stores the decisions of one section (part) of the tender
// pack in one save. Every item of the section is posted with its decision
// (accepted by default), its text, weight and reason; a refused or
// conflicting save shows the page again with everything typed kept.
func (s *Server) tenderSection(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.Edit)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return model.Errorf(model.EInvalid, "error.invalid", "the form could not be read")
	}
	part := r.PostFormValue("part")
	if !slices.Contains(catalog.Parts, part) {
		return model.Errorf(model.EInvalid, "tender.err.part", "no such tender-pack section")
	}
	ids := r.PostForm["item"]
	if len(ids) == 0 || len(ids) > maxSectionItems {
		return model.Errorf(model.EInvalid, "tender.err.item", "no tender-pack items in the form")
	}
	set, _ := s.dd.current()
	lang := langOf(r, s)
	var choices []tender.Choice
	revs := map[string]int64{}
	errs := map[string]map[string]string{} // item -> field -> key
	seen := map[string]bool{}
	for _, id := range ids {
		it, ok := set.Item(id)
		if !ok || it.Kind != "clause" || it.PartOf() != part || seen[id] {
			return model.Errorf(model.EInvalid, "tender.err.item", "%q is not an item of this section", id)
		}
		seen[id] = true
		c, e := sectionChoice(r.PostForm, it, set.Hash(), lang)
		if rev, err := strconv.ParseInt(r.PostFormValue("rev-"+id), 10, 64); err == nil && rev >= 0 {
			revs[id] = rev
		} else {
			e["decision"] = "tender.err.decision"
		}
		if len(e) > 0 {
			errs[id] = e
		}
		choices = append(choices, c)
	}
	var saved []string
	conflict := false
	if len(errs) == 0 {
		saved, err = s.db.DecideTenderSection(r.Context(), store.ActorOf(currentUser(r)), p, choices, revs)
		if errors.Is(err, store.ErrTenderConflict) {
			conflict = true
		} else if err != nil {
			return err
		}
	}
	if len(errs) > 0 || conflict {
		d, err := s.tenderState(r, p, rel)
		if err != nil {
			return err
		}
		d.Errors, d.Conflict = map[string]string{}, conflict
		for _, pt := range d.Parts {
			if pt.Part != part {
				continue
			}
			for _, ti := range pt.Items {
				if !seen[ti.ID] {
					continue
				}
				// What was typed stays in the form; on a conflict the
				// revision is the new one, so a second save keeps it.
				ti.FormDecision, ti.FormText, ti.FormReason = r.PostFormValue("d-"+ti.ID), r.PostFormValue("text-"+ti.ID), r.PostFormValue("reason-"+ti.ID)
				if ti.Part == "award" {
					ti.FormWeight = r.PostFormValue("weight-" + ti.ID)
				}
				ti.Errors = errs[ti.ID]
				for k, v := range errs[ti.ID] {
					d.Errors[ti.ID+"-"+k] = v
				}
			}
		}
		status := http.StatusUnprocessableEntity
		if conflict {
			status = http.StatusConflict
		}
		return s.render(w, r, status, "tender", "tender.title", d)
	}
	q := url.Values{"saved": {part}, "n": {strconv.Itoa(len(saved))}}
	http.Redirect(w, r, fmt.Sprintf("/purchases/%d/tender?%s#part-%s", p.ID, q.Encode(), part), http.StatusSeeOther)
	return nil
}

// sectionChoice reads one item's fields from a section form. An item
// "edited" with the catalogue's own text is an acceptance.
func sectionChoice(f url.Values, it *catalog.Item, hash, lang string) (tender.Choice, map[string]string) {
	id := it.ID
	c := tender.Choice{ItemID: id, CatalogHash: hash, Decision: f.Get("d-" + id),
		EditedText: strings.TrimSpace(f.Get("text-" + id)), Reason: strings.TrimSpace(f.Get("reason-" + id))}
	errs := map[string]string{}
	if c.Decision == tender.Proposed {
		errs["decision"] = "tender.err.decision" // a section save decides every item
	}
	if ws := strings.TrimSpace(f.Get("weight-" + id)); ws != "" && it.PartOf() == "award" {
		n, err := strconv.Atoi(ws)
		if err != nil {
			errs["weight"] = "tender.err.weight"
		}
		c.Weight = n
		if n == it.Weight {
			c.Weight = 0 // the catalogue's weight: stored as "no change"
		}
	}
	if c.Decision == tender.Edited && c.EditedText == strings.TrimSpace(it.Text.In(lang)) {
		c.Decision = tender.Accepted // the text was not changed
	}
	if c.Decision != tender.Edited {
		c.EditedText = ""
	}
	if c.Decision == tender.Accepted && c.Weight == 0 {
		c.Reason = "" // a reason is kept only where the officer departs from the proposal
	}
	for k, v := range c.Validate(it) {
		if errs[k] == "" {
			errs[k] = v
		}
	}
	return c, errs
}

// tenderSavedNotice fills the "section saved" report from the query the
// redirect carries; unknown values are ignored.
func tenderSavedNotice(r *http.Request, d *tenderData) {
	part := r.URL.Query().Get("saved")
	if !slices.Contains(catalog.Parts, part) {
		return
	}
	n, err := strconv.Atoi(r.URL.Query().Get("n"))
	if err != nil || n < 0 || n > maxSectionItems {
		return
	}
	d.SavedPart, d.SavedCount = part, n
}
