package ocdsio

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"buyright/internal/assessment"
	"buyright/internal/model"
	"buyright/internal/store"
)

// DefaultPrefix is the ocid prefix of purchases that have no ocid of their
// own. It is a placeholder: a real publisher registers its own prefix with
// the Open Contracting Partnership and sets it with Exporter.Prefix.
const DefaultPrefix = "ocds-000000"

// DocumentationURL is the documentationUrl written in extension.json; a
// buyright serving the extension replaces it with the address of its own
// copy of the README.
const DocumentationURL = "https://buyright.example.org/ocds/extension/README.md"

// ExtensionPath is where the web server serves the extension's files.
const ExtensionPath = "/ocds/extension/"

// Exporter builds OCDS releases of published purchases.
type Exporter struct {
	// BaseURL is the public address of this buyright, without a trailing
	// slash ("https://buyright.example.org"); links in releases start with it.
	BaseURL string
	// Prefix is the ocid prefix ("ocds-abc123"); DefaultPrefix when empty.
	Prefix string
}

// Release is an OCDS 1.1 release with buyright's extension. Fields follow
// the release schema's names; empty ones are left out.
type Release struct {
	OCID           string                   `json:"ocid"`
	ID             string                   `json:"id"`
	Date           string                   `json:"date"`
	Tag            []string                 `json:"tag"`
	InitiationType string                   `json:"initiationType"`
	Language       string                   `json:"language,omitempty"`
	Parties        []Party                  `json:"parties,omitempty"`
	Buyer          *OrgRef                  `json:"buyer,omitempty"`
	Planning       *Planning                `json:"planning,omitempty"`
	Tender         *Tender                  `json:"tender,omitempty"`
	Awards         []Award                  `json:"awards,omitempty"`
	Contracts      []Contract               `json:"contracts,omitempty"`
	DueDiligence   *HumanRightsDueDiligence `json:"humanRightsDueDiligence,omitempty"`
}

type OrgRef struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

type Party struct {
	ID    string   `json:"id"`
	Name  string   `json:"name,omitempty"`
	Roles []string `json:"roles,omitempty"`
}

type Planning struct {
	Rationale string `json:"rationale,omitempty"`
}

type Value struct {
	Amount   float64 `json:"amount"`
	Currency string  `json:"currency"`
}

type Period struct {
	StartDate string `json:"startDate,omitempty"`
	EndDate   string `json:"endDate,omitempty"`
}

type Document struct {
	ID            string      `json:"id"`
	DocumentType  string      `json:"documentType,omitempty"`
	Title         string      `json:"title,omitempty"`
	Description   string      `json:"description,omitempty"`
	URL           string      `json:"url,omitempty"`
	DatePublished string      `json:"datePublished,omitempty"`
	DateModified  string      `json:"dateModified,omitempty"`
	Format        string      `json:"format,omitempty"`
	Language      string      `json:"language,omitempty"`
	Redactions    []Redaction `json:"redactions,omitempty"` // the extension's: what the published version holds back
}

type Tender struct {
	ID           string     `json:"id"`
	Title        string     `json:"title,omitempty"`
	Description  string     `json:"description,omitempty"`
	Status       string     `json:"status,omitempty"`
	Value        *Value     `json:"value,omitempty"`
	TenderPeriod *Period    `json:"tenderPeriod,omitempty"`
	Documents    []Document `json:"documents,omitempty"`
}

type Award struct {
	ID        string   `json:"id"`
	Status    string   `json:"status,omitempty"`
	Date      string   `json:"date,omitempty"`
	Value     *Value   `json:"value,omitempty"`
	Suppliers []OrgRef `json:"suppliers,omitempty"`
}

type Contract struct {
	ID             string          `json:"id"`
	AwardID        string          `json:"awardID"`
	Status         string          `json:"status,omitempty"`
	Period         *Period         `json:"period,omitempty"`
	Value          *Value          `json:"value,omitempty"`
	DateSigned     string          `json:"dateSigned,omitempty"`
	Documents      []Document      `json:"documents,omitempty"`
	Amendments     []Amendment     `json:"amendments,omitempty"`
	Implementation *Implementation `json:"implementation,omitempty"`
}

// Implementation holds a contract's monitoring reports.
type Implementation struct {
	Documents []Document `json:"documents,omitempty"`
}

// Amendment is a change to a signed contract (OCDS amendment).
type Amendment struct {
	ID          string `json:"id"`
	Date        string `json:"date,omitempty"`
	Rationale   string `json:"rationale,omitempty"`
	Description string `json:"description,omitempty"`
}

// HumanRightsDueDiligence is the extension's object; see
// ocds/extension/README.md for each field.
type HumanRightsDueDiligence struct {
	ImpactLevel         int                `json:"impactLevel,omitempty"`
	ScreeningDate       string             `json:"screeningDate,omitempty"`
	ScreeningStatus     string             `json:"screeningStatus,omitempty"`
	Imported            bool               `json:"imported,omitempty"`
	RequiredAssessments []string           `json:"requiredAssessments,omitempty"`
	Assessments         []Assessment       `json:"assessments,omitempty"`
	Engagement          *Engagement        `json:"engagement,omitempty"`
	ContractSafeguards  []Safeguard        `json:"contractSafeguards,omitempty"`
	ComplaintsChannel   *ComplaintsChannel `json:"complaintsChannel,omitempty"`
	ReviewDate          string             `json:"reviewDate,omitempty"`
	SunsetDate          string             `json:"sunsetDate,omitempty"`
	Emergency           bool               `json:"emergency"`
}

type Assessment struct {
	ID              string   `json:"id"`
	Version         int      `json:"version"`
	Status          string   `json:"status"`
	AssessmentTypes []string `json:"assessmentTypes,omitempty"`
	DateSigned      string   `json:"dateSigned,omitempty"`
	ReviewDate      string   `json:"reviewDate,omitempty"`
	Summary         string   `json:"summary,omitempty"`
	DocumentIDs     []string `json:"documentIds,omitempty"`
}

type Engagement struct {
	Held                bool   `json:"held"`
	NumberOfEngagements int    `json:"numberOfEngagements"`
	FirstDate           string `json:"firstDate,omitempty"`
	LastDate            string `json:"lastDate,omitempty"`
	ReasonNotHeld       string `json:"reasonNotHeld,omitempty"`
}

type Safeguard struct {
	ID          string `json:"id"`
	Description string `json:"description,omitempty"`
	Basis       string `json:"basis,omitempty"`
	Status      string `json:"status,omitempty"`
}

type ComplaintsChannel struct {
	URL                 string              `json:"url,omitempty"`
	AcknowledgementDays int                 `json:"acknowledgementDays"`
	AnswerDays          int                 `json:"answerDays"`
	Statistics          ComplaintStatistics `json:"statistics"`
}

type ComplaintStatistics struct {
	Received       int `json:"received"`
	Answered       int `json:"answered"`
	AnsweredInTime int `json:"answeredInTime"`
	Upheld         int `json:"upheld"`
	Open           int `json:"open"`
}

// assessmentTypes maps the screening's assessment ids onto the extension's
// assessmentType codes.
var assessmentTypes = map[string]string{"hria": "humanRights", "fria": "fundamentalRights", "dpia": "dataProtection"}

// stageTags gives, per stage, the release tag, the tender status, and the
// award and contract statuses ("" when there is none yet).
var stageTags = map[model.Stage][4]string{
	model.StagePlanning:         {"planning", "planning", "", ""},
	model.StageMarketEngagement: {"planning", "planning", "", ""},
	model.StageTenderDesign:     {"tender", "active", "", ""},
	model.StageAward:            {"award", "complete", "pending", ""},
	model.StageContract:         {"contract", "complete", "active", "active"},
	model.StageImplementation:   {"implementation", "complete", "active", "active"},
	model.StageRenewalExit:      {"implementation", "complete", "active", "active"},
	model.StageClosed:           {"contractTermination", "complete", "active", "terminated"},
	model.StageCancelled:        {"tenderCancellation", "cancelled", "", ""},
}

func (x *Exporter) prefix() string {
	if x.Prefix == "" {
		return DefaultPrefix
	}
	return strings.TrimSuffix(x.Prefix, "-")
}

// OCID is the purchase's own ocid, else one made from the prefix and id.
func (x *Exporter) OCID(p *model.Purchase) string {
	if p.OCID != "" {
		return p.OCID
	}
	return x.prefix() + "-buyright-" + strconv.FormatInt(p.ID, 10)
}

func dateTime(d model.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String() + "T00:00:00Z"
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// Release builds the OCDS release of one published purchase. Its id is
// made of the purchase id and the time of its last change, so the same
// state always gives the same release and a change gives a new one.
func (x *Exporter) Release(pp *store.PublishedPurchase) *Release {
	p := pp.Purchase
	tags, ok := stageTags[p.Stage]
	if !ok {
		tags = stageTags[model.StagePlanning]
	}
	pid := strconv.FormatInt(p.ID, 10)
	buyerID := "buyright-" + pp.OrgSlug
	entry := x.BaseURL + "/register/" + pid
	r := &Release{
		OCID:           x.OCID(p),
		ID:             pid + "-" + p.UpdatedAt.UTC().Format("20060102T150405.000000Z"),
		Date:           stamp(p.UpdatedAt),
		Tag:            []string{tags[0]},
		InitiationType: "tender",
		Language:       "en",
		Parties:        []Party{{ID: buyerID, Name: p.OrgName, Roles: []string{"buyer"}}},
		Buyer:          &OrgRef{ID: buyerID, Name: p.OrgName},
	}
	if p.Purpose != "" {
		r.Planning = &Planning{Rationale: p.Purpose}
	}
	var value *Value
	if p.ValueMinor > 0 && p.Currency != "" {
		value = &Value{Amount: float64(p.ValueMinor) / 100, Currency: p.Currency}
	}
	t := &Tender{ID: pid + "-tender", Title: p.Title, Description: p.Need, Status: tags[1], Value: value}
	if !p.TenderDate.IsZero() {
		t.TenderPeriod = &Period{StartDate: dateTime(p.TenderDate)}
	}
	r.Tender = t
	if tags[2] != "" {
		r.Awards = []Award{{ID: pid + "-award", Status: tags[2], Date: dateTime(p.AwardDate), Value: value}}
	}
	if tags[3] != "" {
		c := Contract{ID: pid + "-contract", AwardID: pid + "-award", Status: tags[3], Value: value}
		if !p.ContractStart.IsZero() || !p.ContractEnd.IsZero() {
			c.Period = &Period{StartDate: dateTime(p.ContractStart), EndDate: dateTime(p.ContractEnd)}
		}
		r.Contracts = []Contract{c}
	}
	x.addContract(r, pp, pid)
	x.addDocuments(r, pp, pid)

	dd := &HumanRightsDueDiligence{
		ImpactLevel:     pp.ImpactLevel,
		ScreeningDate:   pp.ScreeningDate,
		ScreeningStatus: pp.Screening,
		Imported:        p.Imported(),
		ReviewDate:      dateTime(p.ReviewDate),
		SunsetDate:      dateTime(p.SunsetDate),
		Emergency:       p.Emergency,
		ComplaintsChannel: &ComplaintsChannel{
			URL:                 x.BaseURL + "/complaints/new?purchase=" + pid,
			AcknowledgementDays: pp.Policy.AckDays,
			AnswerDays:          pp.Policy.AnswerDays,
			Statistics: ComplaintStatistics{
				Received: pp.Complaints.Received, Answered: pp.Complaints.Answered,
				AnsweredInTime: pp.Complaints.AnsweredInTime, Upheld: pp.Complaints.Upheld, Open: pp.Complaints.Open,
			},
		},
	}
	var types []string
	for _, a := range pp.Required {
		if c, ok := assessmentTypes[a]; ok {
			types = append(types, c)
		}
	}
	dd.RequiredAssessments = types
	for _, v := range pp.Assessments {
		docID := fmt.Sprintf("%s-assessment-%d", pid, v.Version)
		// A version covers only the assessments it carried out in full
		// when it was signed off, whatever the screening required.
		var covers []string
		for _, a := range v.Covers {
			if c, ok := assessmentTypes[a]; ok {
				covers = append(covers, c)
			}
		}
		a := Assessment{
			ID: docID, Version: v.Version, Status: v.Status, AssessmentTypes: covers,
			DateSigned: stamp(v.SignedAt), Summary: v.Doc.PublicSummary, DocumentIDs: []string{docID},
		}
		if d, err := model.ParseDate(v.ReviewDate); err == nil && !d.IsZero() {
			a.ReviewDate = dateTime(d)
		}
		dd.Assessments = append(dd.Assessments, a)
		t.Documents = append(t.Documents, Document{
			ID: docID, DocumentType: "humanRightsImpactAssessment",
			Title:         fmt.Sprintf("Human rights impact assessment, version %d", v.Version),
			Description:   v.Doc.PublicSummary,
			URL:           entry,
			DatePublished: stamp(v.SignedAt),
			Format:        "text/html",
		})
	}
	if n := len(pp.Assessments); n > 0 {
		last := pp.Assessments[n-1]
		// Only meetings that took place count: a planned or cancelled one
		// is not engagement with the people affected.
		held, _ := last.Doc.HeldEngagements()
		e := &Engagement{NumberOfEngagements: held, Held: held > 0, ReasonNotHeld: last.Doc.NoEngagementReason}
		for _, g := range last.Doc.Engagements {
			if g.State() != assessment.Held {
				continue
			}
			d, err := model.ParseDate(g.When)
			if err != nil || d.IsZero() {
				continue
			}
			s := dateTime(d)
			if e.FirstDate == "" || s < e.FirstDate {
				e.FirstDate = s
			}
			if s > e.LastDate {
				e.LastDate = s
			}
		}
		if e.Held {
			e.ReasonNotHeld = ""
			t.Documents = append(t.Documents, Document{
				ID: fmt.Sprintf("%s-engagement-%d", pid, last.Version), DocumentType: "engagementReport",
				Title: "Engagement with the people affected", URL: entry, DatePublished: stamp(last.SignedAt), Format: "text/html",
			})
		}
		dd.Engagement = e
		for _, m := range last.Doc.Mitigations {
			if strings.TrimSpace(m.Basis) == "" {
				continue
			}
			dd.ContractSafeguards = append(dd.ContractSafeguards, Safeguard{
				ID: strconv.Itoa(m.ID), Description: m.Action, Basis: m.Basis, Status: m.Status,
			})
		}
	}
	r.DueDiligence = dd
	return r
}

// addContract puts the signed contract the body recorded into the
// release: its suppliers as parties and on the award, and the contract's
// signed value, period, signature date and amendments, which take the
// place of the estimates on the purchase.
func (x *Exporter) addContract(r *Release, pp *store.PublishedPurchase, pid string) {
	sc := pp.Contract
	if sc == nil {
		return
	}
	if len(r.Awards) == 0 {
		r.Awards = []Award{{ID: pid + "-award", Status: "active"}}
	}
	if len(r.Contracts) == 0 {
		r.Contracts = []Contract{{ID: pid + "-contract", AwardID: pid + "-award", Status: "active"}}
	}
	aw, c := &r.Awards[0], &r.Contracts[0]
	for i, name := range sc.Suppliers {
		id := fmt.Sprintf("%s-supplier-%d", pid, i+1)
		r.Parties = append(r.Parties, Party{ID: id, Name: name, Roles: []string{"supplier"}})
		aw.Suppliers = append(aw.Suppliers, OrgRef{ID: id, Name: name})
	}
	if sc.ValueMinor > 0 && sc.Currency != "" {
		v := &Value{Amount: float64(sc.ValueMinor) / 100, Currency: sc.Currency}
		aw.Value, c.Value = v, v
	}
	c.Period = &Period{StartDate: dateTime(sc.StartsOn), EndDate: dateTime(sc.EndsOn)}
	c.DateSigned = dateTime(sc.SignedOn)
	for _, a := range pp.Amendments {
		c.Amendments = append(c.Amendments, Amendment{ID: fmt.Sprintf("%s-amendment-%d", pid, a.Number), Date: dateTime(a.MadeOn), Rationale: a.Reason, Description: a.Summary})
	}
}

// AppendJSON appends the release as one line of JSON. HTML characters are
// written as they are (a title "<b>" stays "<b>"); the output is JSON, not
// HTML, and readers must escape it where they show it.
func AppendJSON(dst []byte, r *Release) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return dst, err
	}
	return append(dst, b.Bytes()...), nil
}

// Package is an OCDS 1.1 release package.
type Package struct {
	URI           string     `json:"uri"`
	Version       string     `json:"version"`
	Extensions    []string   `json:"extensions"`
	PublishedDate string     `json:"publishedDate"`
	Publisher     Publisher  `json:"publisher"`
	License       string     `json:"license,omitempty"`
	Releases      []*Release `json:"releases"`
	Links         *Links     `json:"links,omitempty"`
	// PlaceholderPrefix warns, when set, that the package's ocids use the
	// unregistered placeholder prefix (see PlaceholderWarning).
	PlaceholderPrefix string `json:"buyrightPlaceholderOcidPrefix,omitempty"`
}

type Publisher struct {
	Name string `json:"name"`
	URI  string `json:"uri,omitempty"`
}

type Links struct {
	Next string `json:"next,omitempty"`
	Prev string `json:"prev,omitempty"`
}

// ExtensionURL is the address of the extension.json this buyright serves.
func (x *Exporter) ExtensionURL() string { return x.BaseURL + ExtensionPath + "extension.json" }

// WritePackage writes a release package as indented-free JSON.
func WritePackage(w io.Writer, pkg *Package) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(pkg)
}
