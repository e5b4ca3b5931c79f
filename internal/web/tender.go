package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"buyright/internal/access"
	"buyright/internal/catalog"
	"buyright/internal/model"
	"buyright/internal/screening"
	"buyright/internal/store"
	"buyright/internal/tender"
)

// tenderRoutes registers the tender pack: the proposal with a decision
// form per item, and the pack as a printable document and as Markdown.
func (s *Server) tenderRoutes(member func(string, handlerFunc)) {
	member("GET /purchases/{id}/tender", s.tenderView)
	member("POST /purchases/{id}/tender", s.tenderDecide)
	member("POST /purchases/{id}/tender/section", s.tenderSection)
	member("GET /purchases/{id}/tender/document", s.tenderDocument)
	member("GET /purchases/{id}/tender.md", s.tenderMarkdown)
}

// tenderItem is one proposed (or chosen) item as the pages show it.
type tenderItem struct {
	ID, Part, Title, Text string // Text: the catalogue's text
	Refs                  []string
	Meets                 []reqRef
	Mitigations           []int
	ByMitigation          bool
	NotProposed           bool // chosen earlier, no longer proposed
	Status                string
	Choice                tender.Choice
	DefaultWeight         int
	Weight                int    // effective weight, award criteria
	Final                 string // text going into the pack
	// The form's values and errors (kept on a refused save).
	FormDecision, FormText, FormReason, FormWeight, FormRev string
	Errors                                                  map[string]string
}

type reqRef struct{ ID, Title string }

type tenderPart struct {
	Part  string
	Items []*tenderItem
}

type coverageRow struct {
	Req   reqRef
	Stage string
	By    []string
	Could []string
}

type tenderData struct {
	P           *model.Purchase
	CanEdit     bool
	Screened    bool
	Level       string
	Parts       []tenderPart
	Rows        []coverageRow
	Uncovered   []reqRef
	WeightSum   int
	AwardCount  int
	WeightsOK   bool
	Undecided   int
	Errors      map[string]string // field id -> key, for the error summary
	CatalogHash string
	Generated   time.Time
	Choices     []string // decisions the form offers, in order
	// Changed lists the items whose recorded decision departs from the
	// proposal: edited, dropped, or given another weight, with the reason.
	Changed []*tenderItem
	// Dropped lists the dropped items, kept for the documents.
	Dropped []*tenderItem
	// SavedPart and SavedCount report a section just saved.
	SavedPart  string
	SavedCount int
	Conflict   bool // someone else saved the section meanwhile; the form shows what was typed
}

// tenderState builds the proposal, the decisions and the coverage.
func (s *Server) tenderState(r *http.Request, p *model.Purchase, rel access.Relation) (*tenderData, error) {
	ctx := r.Context()
	lang := langOf(r, s)
	set, q := s.dd.current()
	d := &tenderData{P: p, CanEdit: access.Can(currentUser(r), rel, access.Edit), CatalogHash: set.Hash(), Generated: time.Now(),
		Choices: []string{tender.Accepted, tender.Edited, tender.Rejected}}
	sc, err := s.db.Screening(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	choices, err := s.db.TenderChoices(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	in := tender.Input{Set: set}
	for _, t := range p.Technologies {
		in.Technology = append(in.Technology, string(t))
	}
	if sc != nil {
		d.Screened, d.Level = true, sc.Result.LevelName
		in.Answers, in.Result = lenientAnswers(q, sc.Answers), sc.Result
	} else {
		in.Answers = screening.Answers{}
	}
	if v, err := s.db.Assessment(ctx, p.ID); err != nil {
		return nil, err
	} else if v != nil {
		in.Mitigations = v.Doc.Mitigations
	}
	var props []tender.Proposal
	if d.Screened {
		props = tender.Propose(in)
	}
	reqTitle := func(id string) reqRef { return reqRef{ID: id, Title: itemTitle(set, id, lang)} }
	byPart := map[string][]*tenderItem{}
	seen := map[string]bool{}
	add := func(it *catalog.Item, pr *tender.Proposal) {
		ti := &tenderItem{ID: it.ID, Part: it.PartOf(), Title: it.Title.In(lang), Text: it.Text.In(lang), DefaultWeight: it.Weight}
		for _, ref := range it.Refs {
			ti.Refs = append(ti.Refs, ref.String())
		}
		if pr != nil {
			for _, id := range pr.Meets {
				ti.Meets = append(ti.Meets, reqTitle(id))
			}
			ti.Mitigations, ti.ByMitigation = pr.Mitigations, pr.ByMitigation
		} else {
			ti.NotProposed = true
		}
		ti.Choice = choices[it.ID]
		ti.Status = ti.Choice.Decision
		if ti.Status == "" {
			ti.Status = tender.Proposed
		}
		ti.Weight = tender.EffectiveWeight(it, ti.Choice)
		ti.Final = ti.Text
		if ti.Status == tender.Edited {
			ti.Final = ti.Choice.EditedText
		}
		ti.FormDecision, ti.FormReason = ti.Status, ti.Choice.Reason
		if ti.Status == tender.Proposed {
			// Proposed items are offered as accepted: saving the section
			// records that decision in the officer's name, not before.
			ti.FormDecision = tender.Accepted
		}
		ti.FormRev = strconv.FormatInt(ti.Choice.Rev, 10)
		if ti.Status == tender.Edited || ti.Status == tender.Rejected ||
			(ti.Part == "award" && ti.Choice.Decision == tender.Accepted && ti.Weight != ti.DefaultWeight) {
			d.Changed = append(d.Changed, ti)
		}
		if ti.Status == tender.Rejected {
			d.Dropped = append(d.Dropped, ti)
		}
		ti.FormText = ti.Final
		if ti.Part == "award" {
			ti.FormWeight = strconv.Itoa(ti.Weight)
		}
		if ti.Status != tender.Accepted && ti.Status != tender.Edited {
			d.Undecided += b2i(ti.Status == tender.Proposed)
		}
		byPart[ti.Part] = append(byPart[ti.Part], ti)
		seen[it.ID] = true
	}
	for i := range props {
		add(props[i].Item, &props[i])
	}
	for id, c := range choices {
		if it, ok := set.Item(id); ok && it.Kind == "clause" && !seen[id] && c.Chosen() {
			add(it, nil)
		}
	}
	for _, part := range catalog.Parts {
		if len(byPart[part]) > 0 {
			d.Parts = append(d.Parts, tenderPart{Part: part, Items: byPart[part]})
		}
	}
	cov := tender.Cover(set, in.Result, props, choices)
	for _, st := range tender.Stages {
		for _, id := range in.Result.RequirementsByStage[st] {
			d.Rows = append(d.Rows, coverageRow{Req: reqTitle(id), Stage: st, By: cov.By[id], Could: cov.Proposed[id]})
		}
	}
	for _, id := range cov.Uncovered {
		d.Uncovered = append(d.Uncovered, reqTitle(id))
	}
	d.WeightSum, d.AwardCount, d.WeightsOK = cov.WeightSum, cov.AwardCount, cov.WeightsOK()
	return d, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (s *Server) tenderView(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.ViewRecord)
	if err != nil {
		return err
	}
	d, err := s.tenderState(r, p, rel)
	if err != nil {
		return err
	}
	tenderSavedNotice(r, d)
	return s.render(w, r, http.StatusOK, "tender", "tender.title", d)
}

// tenderDecide stores one item's decision. A refused decision shows the
// page again with what was typed and the problems named.
func (s *Server) tenderDecide(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.Edit)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return model.Errorf(model.EInvalid, "error.invalid", "the form could not be read")
	}
	set, _ := s.dd.current()
	id := r.PostFormValue("item")
	it, ok := set.Item(id)
	if !ok || it.Kind != "clause" {
		return model.Errorf(model.EInvalid, "tender.err.item", "no such tender-pack item")
	}
	c := tender.Choice{ItemID: id, CatalogHash: set.Hash(), Decision: r.PostFormValue("decision"),
		EditedText: strings.TrimSpace(r.PostFormValue("text")), Reason: strings.TrimSpace(r.PostFormValue("reason"))}
	errs := map[string]string{}
	if ws := strings.TrimSpace(r.PostFormValue("weight")); ws != "" && it.PartOf() == "award" {
		n, err := strconv.Atoi(ws)
		if err != nil {
			errs["weight"] = "tender.err.weight"
		}
		c.Weight = n
	}
	if c.Decision == tender.Edited && c.EditedText == strings.TrimSpace(it.Text.In(langOf(r, s))) && c.Weight == tender.EffectiveWeight(it, tender.Choice{}) {
		// Nothing was changed: it is an acceptance.
		c.Decision, c.EditedText = tender.Accepted, ""
	}
	for k, v := range c.Validate(it) {
		if errs[k] == "" {
			errs[k] = v
		}
	}
	if len(errs) > 0 {
		d, err := s.tenderState(r, p, rel)
		if err != nil {
			return err
		}
		d.Errors = map[string]string{}
		for _, part := range d.Parts {
			for _, ti := range part.Items {
				if ti.ID != id {
					continue
				}
				ti.Errors = errs
				ti.FormDecision, ti.FormText, ti.FormReason, ti.FormWeight = r.PostFormValue("decision"), r.PostFormValue("text"), r.PostFormValue("reason"), r.PostFormValue("weight")
			}
		}
		for k, v := range errs {
			d.Errors[id+"-"+k] = v
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "tender", "tender.title", d)
	}
	if err := s.db.DecideTender(r.Context(), store.ActorOf(currentUser(r)), p, c); err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/purchases/%d/tender?done=saved#item-%s", p.ID, id), http.StatusSeeOther)
	return nil
}

// tenderDocument is the tender pack as a document: the accepted and edited
// items by part, with what each meets, for printing or saving as PDF.
func (s *Server) tenderDocument(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.ViewRecord)
	if err != nil {
		return err
	}
	d, err := s.tenderState(r, p, rel)
	if err != nil {
		return err
	}
	d.chosenOnly()
	return s.render(w, r, http.StatusOK, "tender_document", "tender.document_title", d)
}

// chosenOnly keeps the accepted and edited items, dropping empty parts.
func (d *tenderData) chosenOnly() {
	var parts []tenderPart
	for _, part := range d.Parts {
		var keep []*tenderItem
		for _, ti := range part.Items {
			if ti.Status == tender.Accepted || ti.Status == tender.Edited {
				keep = append(keep, ti)
			}
		}
		if len(keep) > 0 {
			parts = append(parts, tenderPart{Part: part.Part, Items: keep})
		}
	}
	d.Parts = parts
}

// tenderMarkdown is the same document as Markdown, to paste into the
// tender documents.
func (s *Server) tenderMarkdown(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.ViewRecord)
	if err != nil {
		return err
	}
	d, err := s.tenderState(r, p, rel)
	if err != nil {
		return err
	}
	d.chosenOnly()
	cat := s.catalog(r)
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", mdLine(cat.T("tender.document_heading", p.Title)))
	fmt.Fprintf(&b, "%s", mdLine(p.OrgName))
	if d.Level != "" {
		fmt.Fprintf(&b, " · %s", mdLine(cat.T("tender.level", d.Level)))
	}
	fmt.Fprintf(&b, " · %s\n\n", d.Generated.Format("2006-01-02"))
	if len(d.Parts) == 0 {
		fmt.Fprintf(&b, "%s\n\n", mdLine(cat.T("tender.document_empty")))
	}
	for _, part := range d.Parts {
		fmt.Fprintf(&b, "## %s\n\n", mdLine(cat.T("tender.part."+part.Part)))
		if part.Part == "award" {
			fmt.Fprintf(&b, "%s\n\n", mdLine(cat.N("tender.weight_sum", d.WeightSum)))
		}
		for _, ti := range part.Items {
			title := ti.Title
			if part.Part == "award" {
				title += " (" + cat.N("tender.points", ti.Weight) + ")"
			}
			fmt.Fprintf(&b, "### %s `%s`\n\n", mdLine(title), ti.ID)
			for _, para := range strings.Split(strings.ReplaceAll(ti.Final, "\r\n", "\n"), "\n") {
				if strings.TrimSpace(para) != "" {
					fmt.Fprintf(&b, "%s\n\n", mdText(para))
				}
			}
			if len(ti.Meets) > 0 {
				ids := make([]string, len(ti.Meets))
				for i, m := range ti.Meets {
					ids[i] = m.ID
				}
				fmt.Fprintf(&b, "*%s*: %s\n\n", mdLine(cat.T("tender.meets")), strings.Join(ids, ", "))
			}
			if len(ti.Refs) > 0 {
				fmt.Fprintf(&b, "*%s*: %s\n\n", mdLine(cat.T("tender.refs")), mdLine(strings.Join(ti.Refs, "; ")))
			}
		}
	}
	if len(d.Dropped) > 0 {
		fmt.Fprintf(&b, "## %s\n\n", mdLine(cat.T("tender.dropped_heading")))
		for _, ti := range d.Dropped {
			fmt.Fprintf(&b, "### %s `%s`\n\n*%s*: %s\n\n%s\n\n", mdLine(ti.Title), ti.ID, mdLine(cat.T("field.reason")), mdLine(ti.Choice.Reason),
				mdLine(cat.T("tender.decided_by", ti.Choice.DecidedBy, ti.Choice.DecidedAt.Format("2006-01-02"))))
		}
	}
	if len(d.Rows) > 0 {
		fmt.Fprintf(&b, "## %s\n\n| %s | %s |\n|---|---|\n", mdLine(cat.T("tender.coverage")), mdLine(cat.T("tender.requirement")), mdLine(cat.T("tender.covered_by")))
		for _, row := range d.Rows {
			by := strings.Join(row.By, ", ")
			if by == "" {
				by = "**" + mdLine(cat.T("tender.uncovered")) + "**"
			}
			fmt.Fprintf(&b, "| %s %s | %s |\n", row.Req.ID, mdCell(row.Req.Title), by)
		}
		b.WriteString("\n")
	}
	w.Header().Set("Content-Type", "text/markdown; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="tender-pack-%d.md"`, p.ID))
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write([]byte(b.String()))
	return err
}

// mdLine makes text safe on one Markdown line: no line breaks, and the
// characters that would start markup or raw HTML escaped.
func mdLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return mdText(s)
}

// mdText escapes Markdown syntax, and writes HTML's special characters as
// entities, in a paragraph of user text, so an officer's edited clause shows
// as typed wherever the file is rendered.
func mdText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
			continue
		case '>':
			b.WriteString("&gt;")
			continue
		case '&':
			b.WriteString("&amp;")
			continue
		case '\\', '`', '*', '_', '[', ']', '#', '|', '!':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func mdCell(s string) string { return mdLine(s) }
