package web

import (
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"buyright/internal/i18n"
	"buyright/internal/model"
	"buyright/internal/store"
)

// The public register needs no sign-in. It shows only what bodies chose to
// publish, in plain language, and every download carries the same data.

type registerData struct {
	Query  store.RegisterQuery
	Result *store.RegisterResult
	Active bool // any filter set
	// PastSunset marks the emergency measures on the page past their
	// sunset date.
	PastSunset map[int64]bool
	// Translated holds the cards' summaries in the reader's language,
	// where the body wrote one; the others show in English, marked so.
	Translated map[int64]string
	// LevelParam is the level filter as it goes in links: 1-4 or "none".
	LevelParam string
	// Facets are the refine links, built here rather than in the
	// template, where each link was a function call with sixteen
	// arguments (a fifth of a cached search's CPU).
	Facets []facetGroup
	// Results is the drawing of all the above (register_html.go).
	Results template.HTML
}

// facetGroup is one facet's heading and links.
type facetGroup struct {
	Heading string // message key
	Links   []facetLink
}

// facetLink is one value of a facet: the search with that value set.
type facetLink struct {
	Href    string
	Label   string
	Count   string
	Current bool
}

// registerFacets builds the refine links of a results page in the
// reader's language. Each link keeps the search and sets one facet.
func registerFacets(cat *i18n.Catalog, q store.RegisterQuery, level string, res *store.RegisterResult, orgs map[int64]string) []facetGroup {
	base := url.Values{}
	set := func(k, v string) {
		if v != "" && v != "0" {
			base.Set(k, v)
		}
	}
	set("q", q.Text)
	set("sector", q.Sector)
	set("tech", q.Technology)
	set("stage", q.Stage)
	set("level", level)
	set("body", strconv.FormatInt(q.OrgID, 10))
	set("year", strconv.Itoa(q.Year))
	set("flag", q.Flag)
	groups := []struct {
		facet, param, heading string
		label                 func(v string) string
		current               func(v string) bool
	}{
		{"sector", "sector", "field.sector", func(v string) string { return cat.T("sector." + v) }, func(v string) bool { return v == q.Sector }},
		{"technology", "tech", "field.technologies", func(v string) string { return cat.T("tech." + v) }, func(v string) bool { return v == q.Technology }},
		{"stage", "stage", "field.stage", func(v string) string { return cat.T("stage." + v) }, func(v string) bool { return v == q.Stage }},
		{"level", "level", "register.level", func(v string) string { return cat.T("level." + v) }, func(v string) bool { return levelParam(v) == level }},
		{"org", "body", "register.body", func(v string) string { id, _ := strconv.ParseInt(v, 10, 64); return orgs[id] }, func(string) bool { return false }},
		{"year", "year", "register.year", func(v string) string { return v }, func(string) bool { return false }},
		{"flag", "flag", "imported.flag_label", func(v string) string { return cat.T("ocdsflag." + v) }, func(v string) bool { return v == q.Flag }},
	}
	var out []facetGroup
	for _, g := range groups {
		values := res.Facets[g.facet]
		if g.facet == "flag" && len(values) == 0 {
			continue // red flags are named only where there are some
		}
		fg := facetGroup{Heading: g.heading}
		for _, f := range values {
			v := f.Value
			if g.facet == "level" {
				v = levelParam(v)
			}
			link := url.Values{}
			for k, vs := range base {
				link[k] = vs
			}
			link.Del(g.param)
			if v != "" && v != "0" {
				link.Set(g.param, v)
			}
			href := "/register?"
			if len(link) > 0 {
				href += link.Encode()
			}
			count := strconv.Itoa(f.Count)
			if res.Approx {
				count = cat.T("register.about", f.Count)
			}
			fg.Links = append(fg.Links, facetLink{Href: href, Label: g.label(f.Value), Count: count, Current: g.current(f.Value)})
		}
		out = append(out, fg)
	}
	return out
}

// levelParam is an impact level as links carry it: 1-4, or "none" for
// entries not screened yet.
func levelParam(v string) string {
	if v == "0" {
		return "none"
	}
	return v
}

// registerQuery reads a search from the URL; unknown values are ignored.
func registerQuery(r *http.Request) store.RegisterQuery {
	v := r.URL.Query()
	q := store.RegisterQuery{Text: model.CleanLine(v.Get("q"))}
	if len(q.Text) > 200 {
		q.Text = q.Text[:200]
	}
	for _, s := range model.Sectors {
		if string(s) == v.Get("sector") {
			q.Sector = string(s)
		}
	}
	for _, t := range model.Technologies {
		if string(t) == v.Get("tech") {
			q.Technology = string(t)
		}
	}
	if s := model.Stage(v.Get("stage")); s.Valid() {
		q.Stage = string(s)
	}
	if l, err := strconv.Atoi(v.Get("level")); err == nil && l >= 1 && l <= 4 {
		q.Level = l
	} else if v.Get("level") == "none" {
		q.Unscreened = true
	}
	q.OrgID, _ = strconv.ParseInt(v.Get("body"), 10, 64)
	if y, err := strconv.Atoi(v.Get("year")); err == nil && y > 1900 && y < 3000 {
		q.Year = y
	}
	q.Flag = knownFlag(v.Get("flag"))
	q.Page, _ = strconv.Atoi(v.Get("page"))
	return q
}

func (s *Server) register(w http.ResponseWriter, r *http.Request) error {
	q := registerQuery(r)
	q.Lang = langOf(r, s)
	res, err := s.db.SearchRegister(r.Context(), q)
	if err != nil {
		return err
	}
	// The names of the bodies the facet lists, not of every organisation
	// of a national installation on every request.
	var orgIDs []int64
	for _, f := range res.Facets["org"] {
		if id, err := strconv.ParseInt(f.Value, 10, 64); err == nil {
			orgIDs = append(orgIDs, id)
		}
	}
	names, err := s.db.OrgNames(r.Context(), orgIDs)
	if err != nil {
		return err
	}
	active := q.Text != "" || q.Sector != "" || q.Technology != "" || q.Stage != "" || q.Level != 0 || q.Unscreened || q.OrgID != 0 || q.Year != 0 || q.Flag != ""
	var ids []int64
	for _, c := range res.Cards {
		ids = append(ids, c.PurchaseID)
	}
	past, err := s.db.PastSunsetAmong(r.Context(), ids, model.DateOf(s.now()))
	if err != nil {
		return err
	}
	translated := map[int64]string{}
	if lang := langOf(r, s); lang != i18n.Default {
		if translated, err = s.db.SummariesIn(r.Context(), ids, lang); err != nil {
			return err
		}
	}
	level := ""
	if q.Level != 0 {
		level = strconv.Itoa(q.Level)
	} else if q.Unscreened {
		level = "none"
	}
	d := &registerData{Query: q, Result: res, Active: active, PastSunset: past, Translated: translated, LevelParam: level}
	if d.Results, err = s.registerResults(r, d, names); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "register", "register.title", d)
}

func (s *Server) registerEntry(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return model.NotFound("register entry")
	}
	e, err := s.db.RegisterEntry(r.Context(), id)
	if err != nil {
		return err
	}
	st, err := s.publicStages(r.Context(), langOf(r, s), e.Purchase)
	if err != nil {
		return err
	}
	ops, err := s.publicOpinions(r.Context(), e.Purchase.ID)
	if err != nil {
		return err
	}
	docs, err := s.db.Disclosures(r.Context(), id, true)
	if err != nil {
		return err
	}
	decs, err := s.db.PublicDecisions(r.Context(), id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "register_entry", "register.entry_title", &entryPage{e, st, ops, docs, model.DateOf(s.now()), decs})
}

// record is one entry in the field groups of algorithm registers: the UK
// Algorithmic Transparency Recording Standard (tiers 1 and 2), the Dutch
// algorithm register's publication standard, and the deployer part of the
// EU AI Act database (Annex VIII, Section C). docs/register-record.md maps
// every field.
type record struct {
	Schema         string          `json:"schema"`
	ID             int64           `json:"id"`
	URL            string          `json:"url"`
	Summary        recordSummary   `json:"summary"`
	Owner          recordOwner     `json:"owner_and_responsibility"`
	Description    recordDesc      `json:"description_and_rationale"`
	ResponsibleUse recordUse       `json:"responsible_use"`
	Procurement    recordProcure   `json:"procurement"`
	Redress        recordRedress   `json:"complaints_and_redress"`
	Oversight      []recordFinding `json:"oversight_findings"`
	// Contract and Monitoring are in the per-entry record only; the bulk
	// download leaves them out to stay one query per entry.
	Contract     *recordContract     `json:"contract,omitempty"`
	Relationship *recordRelationship `json:"relationship_terms,omitempty"`
	Monitoring   *recordMonitoring   `json:"monitoring,omitempty"`
	// Documents the body published with the entry, each with the record
	// of what was held back (per-entry record only; register_documents.go).
	Documents []recordDocument `json:"documents,omitempty"`
	Metadata  recordMeta       `json:"metadata"`
}

type recordSummary struct {
	Name             string `json:"name"`
	ShortDescription string `json:"short_description"`
	Status           string `json:"status"`
	StartDate        string `json:"start_date,omitempty"`
	EndDate          string `json:"end_date,omitempty"`
	PublicPage       string `json:"public_page"`
	Contact          string `json:"contact"`
}

type recordOwner struct {
	Organisation string `json:"organisation"`
	Jurisdiction string `json:"jurisdiction,omitempty"`
}

type recordDesc struct {
	Kind         string   `json:"relationship_kind"`
	Need         string   `json:"need"`
	Purpose      string   `json:"purpose"`
	Sector       string   `json:"sector"`
	Technologies []string `json:"technologies"`
}

type recordUse struct {
	AffectedPeople   string `json:"affected_people"`
	VulnerableGroups string `json:"vulnerable_groups"`
	LegalBasis       string `json:"legal_basis"`
	ImpactLevel      int    `json:"impact_level"`
	ReviewDate       string `json:"review_date,omitempty"`
	SunsetDate       string `json:"sunset_date,omitempty"`
	Emergency        bool   `json:"emergency_measure"`
	// PastSunset and Continuations are in the per-entry record only.
	PastSunset    bool                 `json:"past_sunset,omitempty"`
	Continuations []recordContinuation `json:"continuations,omitempty"`
}

type recordProcure struct {
	OCID          string `json:"ocid,omitempty"`
	ValueMinor    int64  `json:"estimated_value_minor,omitempty"`
	Currency      string `json:"currency,omitempty"`
	Funding       string `json:"funding,omitempty"`
	Funder        string `json:"funder,omitempty"`
	TenderDate    string `json:"tender_date,omitempty"`
	AwardDate     string `json:"award_date,omitempty"`
	ContractStart string `json:"contract_start,omitempty"`
	ContractEnd   string `json:"contract_end,omitempty"`
}

type recordRedress struct {
	ComplaintURL   string `json:"complaint_url"`
	AckDays        int    `json:"acknowledge_within_days"`
	AnswerDays     int    `json:"answer_within_days"`
	Received       int    `json:"complaints_received"`
	Answered       int    `json:"complaints_answered"`
	AnsweredInTime int    `json:"complaints_answered_in_time"`
	Upheld         int    `json:"complaints_upheld"`
}

type recordFinding struct {
	By        string `json:"by"`
	Title     string `json:"title"`
	Body      string `json:"body"`
	Published string `json:"published"`
}

type recordMeta struct {
	FirstPublished string `json:"first_published,omitempty"`
	LastDecision   string `json:"last_decision"`
	Updated        string `json:"updated"`
}

// statusOf maps a lifecycle stage onto the registers' coarse status.
func registerStatus(st model.Stage) string {
	switch st {
	case model.StageImplementation, model.StageRenewalExit:
		return "in_use"
	case model.StageClosed, model.StageCancelled:
		return "out_of_use"
	}
	return "in_development"
}

func baseURL(r *http.Request) string {
	scheme := "http"
	if secureRequest(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func toRecord(r *http.Request, e *store.PublicEntry) record {
	p := e.Purchase
	base := baseURL(r)
	techs := make([]string, len(p.Technologies))
	for i, t := range p.Technologies {
		techs[i] = string(t)
	}
	rec := record{
		Schema: "buyright-register-record/1", ID: p.ID, URL: fmt.Sprintf("%s/register/%d", base, p.ID),
		Summary: recordSummary{Name: p.Title, ShortDescription: e.Publication.Summary, Status: registerStatus(p.Stage),
			StartDate: p.ContractStart.String(), EndDate: p.ContractEnd.String(),
			PublicPage: fmt.Sprintf("%s/register/%d", base, p.ID), Contact: fmt.Sprintf("%s/complaints/new?purchase=%d", base, p.ID)},
		Owner:          recordOwner{Organisation: p.OrgName},
		Description:    recordDesc{Kind: string(p.Kind.Or()), Need: p.Need, Purpose: p.Purpose, Sector: string(p.Sector), Technologies: techs},
		ResponsibleUse: recordUse{AffectedPeople: p.AffectedPeople, VulnerableGroups: p.VulnerableGroups, LegalBasis: p.LegalBasis, ImpactLevel: e.Level, ReviewDate: p.ReviewDate.String(), SunsetDate: p.SunsetDate.String(), Emergency: p.Emergency},
		Procurement: recordProcure{OCID: p.OCID, ValueMinor: p.ValueMinor, Currency: p.Currency, Funding: string(p.Funding), Funder: p.Funder,
			TenderDate: p.TenderDate.String(), AwardDate: p.AwardDate.String(), ContractStart: p.ContractStart.String(), ContractEnd: p.ContractEnd.String()},
		Redress: recordRedress{ComplaintURL: fmt.Sprintf("%s/complaints/new?purchase=%d", base, p.ID), AckDays: e.Policy.AckDays, AnswerDays: e.Policy.AnswerDays,
			Received: e.Stats.Received, Answered: e.Stats.Answered, AnsweredInTime: e.Stats.AnsweredInTime, Upheld: e.Stats.Upheld},
		Oversight: []recordFinding{},
		Metadata:  recordMeta{LastDecision: e.Publication.DecidedAt.UTC().Format(time.RFC3339), Updated: p.UpdatedAt.UTC().Format(time.RFC3339)},
	}
	if e.Publication.FirstPublishedAt != nil {
		rec.Metadata.FirstPublished = e.Publication.FirstPublishedAt.UTC().Format(time.RFC3339)
	}
	for _, f := range e.Findings {
		rec.Oversight = append(rec.Oversight, recordFinding{By: f.OrgName, Title: f.Title, Body: f.Body, Published: f.PublishedAt.UTC().Format(time.RFC3339)})
	}
	return rec
}

func (s *Server) registerRecord(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return model.NotFound("register entry")
	}
	e, err := s.db.RegisterEntry(r.Context(), id)
	if err != nil {
		return err
	}
	st, err := s.publicStages(r.Context(), "en", e.Purchase)
	if err != nil {
		return err
	}
	rec := toRecord(r, e)
	rec.addStages(st)
	docs, err := s.db.Disclosures(r.Context(), id, true)
	if err != nil {
		return err
	}
	rec.addDocuments(baseURL(r), id, docs)
	w.Header().Set("Access-Control-Allow-Origin", "*")
	return writeJSON(w, http.StatusOK, rec)
}

// registerJSON streams every published entry as one JSON array of records.
func (s *Server) registerJSON(w http.ResponseWriter, r *http.Request) error {
	ids, err := s.db.AllRegisterIDs(r.Context())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="register.json"`)
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Write([]byte("[\n"))
	enc := json.NewEncoder(w)
	for i, id := range ids {
		e, err := s.db.RegisterEntry(r.Context(), id)
		if err != nil {
			return err
		}
		if i > 0 {
			w.Write([]byte(","))
		}
		if err := enc.Encode(toRecord(r, e)); err != nil {
			return nil // the client went away
		}
	}
	w.Write([]byte("]\n"))
	return nil
}

// csvCell neutralises cells a spreadsheet would run as a formula.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// registerCSV streams one row per published entry.
func (s *Server) registerCSV(w http.ResponseWriter, r *http.Request) error {
	ids, err := s.db.AllRegisterIDs(r.Context())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="register.csv"`)
	cw := csv.NewWriter(w)
	cw.Write([]string{"id", "url", "name", "organisation", "status", "stage", "sector", "technologies", "impact_level", "summary",
		"need", "purpose", "affected_people", "vulnerable_groups", "legal_basis", "review_date", "sunset_date", "ocid",
		"estimated_value", "currency", "complaints_received", "complaints_answered_in_time", "complaints_upheld", "oversight_findings"})
	for _, id := range ids {
		e, err := s.db.RegisterEntry(r.Context(), id)
		if err != nil {
			return err
		}
		rec := toRecord(r, e)
		row := []string{strconv.FormatInt(rec.ID, 10), rec.URL, rec.Summary.Name, rec.Owner.Organisation, rec.Summary.Status,
			string(e.Purchase.Stage), rec.Description.Sector, strings.Join(rec.Description.Technologies, " "), strconv.Itoa(e.Level),
			rec.Summary.ShortDescription, rec.Description.Need, rec.Description.Purpose, rec.ResponsibleUse.AffectedPeople,
			rec.ResponsibleUse.VulnerableGroups, rec.ResponsibleUse.LegalBasis, rec.ResponsibleUse.ReviewDate, rec.ResponsibleUse.SunsetDate,
			rec.Procurement.OCID, moneyInput(e.Purchase.ValueMinor), e.Purchase.Currency, strconv.Itoa(e.Stats.Received),
			strconv.Itoa(e.Stats.AnsweredInTime), strconv.Itoa(e.Stats.Upheld), strconv.Itoa(len(e.Findings))}
		for i := range row {
			row[i] = csvCell(row[i])
		}
		if err := cw.Write(row); err != nil {
			return nil
		}
	}
	cw.Flush()
	return nil
}

// Atom feed of register changes.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Link    []atomLink  `xml:"link"`
	Audit   *auditHeadX `xml:"urn:buyright:audit head,omitempty"`
	Entries []atomEntry `xml:"entry"`
}

// auditHeadX carries the published audit head in the feed, an extension
// element feed readers skip, so the archives that keep feeds keep heads.
type auditHeadX struct {
	Row       int64  `xml:"row,attr"`
	Hash      string `xml:"hash,attr"`
	Published string `xml:"published,attr"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
}

type atomEntry struct {
	Title   string   `xml:"title"`
	ID      string   `xml:"id"`
	Updated string   `xml:"updated"`
	Link    atomLink `xml:"link"`
	Summary string   `xml:"summary"`
}

func (s *Server) registerFeed(w http.ResponseWriter, r *http.Request) error {
	changes, err := s.db.RegisterChanges(r.Context(), 50)
	if err != nil {
		return err
	}
	cat := s.catalog(r)
	base := baseURL(r)
	f := atomFeed{Title: cat.T("register.feed_title"), ID: base + "/register/feed.atom", Updated: time.Unix(0, 0).UTC().Format(time.RFC3339),
		Link: []atomLink{{Href: base + "/register/feed.atom", Rel: "self"}, {Href: base + "/register"}}}
	if len(changes) > 0 {
		f.Updated = changes[0].At.UTC().Format(time.RFC3339)
	}
	if head, err := s.db.LatestAuditCheckpoint(r.Context()); err != nil {
		return err
	} else if head != nil {
		f.Audit = &auditHeadX{Row: head.ID, Hash: head.Hash, Published: head.At.UTC().Format(time.RFC3339)}
	}
	for _, c := range changes {
		title := c.Title
		if title == "" {
			title = cat.T("register.feed_untitled") // a change recorded before titles were kept, of an entry no longer public
		}
		f.Entries = append(f.Entries, atomEntry{
			Title: title, ID: fmt.Sprintf("%s/register/%d#change-%d", base, c.PurchaseID, c.ID), Updated: c.At.UTC().Format(time.RFC3339),
			Link: atomLink{Href: fmt.Sprintf("%s/register/%d", base, c.PurchaseID)}, Summary: cat.T("register.change." + c.Kind),
		})
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Write([]byte(xml.Header))
	return xml.NewEncoder(w).Encode(f)
}
