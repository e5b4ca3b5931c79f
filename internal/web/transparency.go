package web

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"time"

	"buyright/internal/access"
	"buyright/internal/i18n"
	"buyright/internal/model"
	"buyright/internal/staterequest"
	"buyright/internal/store"
)

// Transparency reports: a company's, or an authority's, State requests of
// one half-year, counted with small counts suppressed (see
// staterequest/report.go for how, and why no subtraction undoes it). The
// organisation previews and publishes its own; anyone reads the published
// ones as a page, CSV or JSON, in any of the four languages.

// rdrIndicators are the catalogue items (rdr.yaml) a report's figures
// answer: counts of demands for data, for restrictions and for network
// shutdowns, by authority, legal process and response, in a structured
// file, for each half-year.
var rdrIndicators = []string{"RDR-P11A", "RDR-F6", "RDR-F10"}

type rowView struct {
	Label string
	Count staterequest.Range
}

type tableView struct {
	Dim     string
	Heading string // translation key
	Rows    []rowView
}

type crossView struct {
	Counterpart string
	ByType      []staterequest.Range
	Total       staterequest.Range
}

type rdrView struct{ ID, Title, Text string }

type reportView struct {
	Rep        *staterequest.Report
	Tables     []tableView
	Cross      []crossView
	Types      []staterequest.Type
	Total      staterequest.Range
	Indicators []rdrView
	Preview    bool // not published: what publishing would show
}

// dimLabel is how a table names one of its rows.
func dimLabel(cat *i18n.Catalog, dim, key string) string {
	switch dim {
	case staterequest.ByType:
		return cat.T("sreq.type." + key)
	case staterequest.ByProcess:
		return cat.T("sreq.process." + key)
	case staterequest.ByResponse:
		return cat.T("sreq.response." + key)
	}
	return key
}

func (s *Server) reportView(r *http.Request, rep *staterequest.Report) *reportView {
	cat := s.catalog(r)
	pub := staterequest.Publish(rep.Cells)
	v := &reportView{Rep: rep, Types: staterequest.Types, Total: pub.Total}
	for _, dim := range staterequest.Dimensions {
		tv := tableView{Dim: dim, Heading: "transparency.by." + dim}
		if dim == staterequest.ByCounterpart {
			tv.Heading += "." + string(rep.Side)
		}
		for _, row := range pub.Tables[dim] {
			tv.Rows = append(tv.Rows, rowView{Label: dimLabel(cat, dim, row.Key), Count: row.Count})
		}
		v.Tables = append(v.Tables, tv)
	}
	for _, c := range pub.Cross {
		v.Cross = append(v.Cross, crossView{Counterpart: c.Counterpart, ByType: c.ByType, Total: c.Total})
	}
	set, _ := s.dd.current()
	for _, id := range rdrIndicators {
		if it, ok := set.Item(id); ok {
			v.Indicators = append(v.Indicators, rdrView{ID: id, Title: it.Title.In(cat.Lang), Text: it.Text.In(cat.Lang)})
		}
	}
	return v
}

// ownReportsPage is an organisation's own reports: the preview of a
// half-year and the form that publishes it, and what it published.
type ownReportsPage struct {
	Side       access.Side
	Period     staterequest.Period
	Periods    []staterequest.Period
	Preview    *reportView
	Published  []staterequest.Report
	Done       *staterequest.Report // the chosen half-year's published report
	CanPublish bool
	Open       bool // the chosen half-year has not ended
	Narrative  string
	Errors     model.FieldErrors
}

func (s *Server) ownReports(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	side, ok := access.RecordSide(u)
	if !ok {
		return model.Forbidden()
	}
	today := model.DateOf(s.now())
	p := staterequest.PeriodOf(today).Prev()
	if q := r.URL.Query().Get("period"); q != "" {
		if x, err := staterequest.ParsePeriod(q); err == nil {
			p = x
		}
	}
	d, err := s.ownReportsData(r, side, p)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "transparency_own", "transparency.own", d)
}

func (s *Server) ownReportsData(r *http.Request, side access.Side, p staterequest.Period) (*ownReportsPage, error) {
	u := currentUser(r)
	today := model.DateOf(s.now())
	d := &ownReportsPage{Side: side, Period: p, Open: !p.Ended(today)}
	for x, i := staterequest.PeriodOf(today), 0; i < 6; x, i = x.Prev(), i+1 {
		d.Periods = append(d.Periods, x)
	}
	var err error
	if d.Published, err = s.db.TransparencyReports(r.Context(), u.OrgID); err != nil {
		return nil, err
	}
	for i := range d.Published {
		if d.Published[i].Period == p {
			d.Done = &d.Published[i]
		}
	}
	cells, err := s.db.ReportPreview(r.Context(), u, p)
	if err != nil {
		return nil, err
	}
	d.Preview = s.reportView(r, &staterequest.Report{OrgID: u.OrgID, Org: u.Org.Name, Side: side, Period: p, Threshold: staterequest.Threshold, Cells: cells})
	d.Preview.Preview = true
	d.CanPublish = d.Done == nil && !d.Open
	return d, nil
}

func (s *Server) reportPublish(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	side, ok := access.RecordSide(u)
	if !ok {
		return model.Forbidden()
	}
	p, err := staterequest.ParsePeriod(r.PostFormValue("period"))
	if err != nil {
		return model.FieldErrors{"period": "invalid.choice"}.Err()
	}
	narrative := r.PostFormValue("narrative")
	rep, err := s.db.PublishReport(r.Context(), store.ActorOf(u), u, p, narrative)
	if fe := fieldErrs(err); fe != nil {
		d, derr := s.ownReportsData(r, side, p)
		if derr != nil {
			return derr
		}
		d.Narrative, d.Errors = narrative, fe
		return s.render(w, r, http.StatusUnprocessableEntity, "transparency_own", "transparency.own", d)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/transparency/"+strconv.FormatInt(rep.ID, 10)+"?done=published", http.StatusSeeOther)
	return nil
}

// The public side.

type transparencyList struct {
	Reports   []listedReport
	Threshold int
}

type listedReport struct {
	staterequest.Report
	Total staterequest.Range
}

func (s *Server) transparencyIndex(w http.ResponseWriter, r *http.Request) error {
	list, err := s.db.TransparencyReports(r.Context(), 0)
	if err != nil {
		return err
	}
	d := transparencyList{Threshold: staterequest.Threshold}
	for _, rep := range list {
		d.Reports = append(d.Reports, listedReport{Report: rep, Total: staterequest.Total(rep.Cells)})
	}
	return s.render(w, r, http.StatusOK, "transparency", "transparency.title", d)
}

func (s *Server) loadReport(r *http.Request) (*staterequest.Report, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, model.NotFound("transparency report")
	}
	return s.db.TransparencyReport(r.Context(), id)
}

func (s *Server) transparencyReport(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.loadReport(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "transparency_report", "transparency.report_title", s.reportView(r, rep))
}

// reportJSON is a published report for machines: every figure, each as
// its low and high bound (equal when exact), the method in the reader's
// language, and the narrative.
type reportJSON struct {
	Organisation string                   `json:"organisation"`
	Side         string                   `json:"side"`
	Period       string                   `json:"period"`
	PeriodStart  string                   `json:"period_start"`
	PeriodEnd    string                   `json:"period_end"`
	PublishedAt  string                   `json:"published_at"`
	Threshold    int                      `json:"threshold"`
	Method       string                   `json:"method"`
	Language     string                   `json:"language"`
	Indicators   []string                 `json:"indicators"`
	Narrative    string                   `json:"narrative"`
	Figures      staterequest.Publication `json:"figures"`
}

func (s *Server) transparencyJSON(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.loadReport(r)
	if err != nil {
		return err
	}
	cat := s.catalog(r)
	w.Header().Set("Access-Control-Allow-Origin", "*")
	return writeJSON(w, http.StatusOK, reportJSON{Organisation: rep.Org, Side: string(rep.Side), Period: rep.Period.String(),
		PeriodStart: rep.Period.Start().String(), PeriodEnd: rep.Period.End().String(), PublishedAt: rep.PublishedAt.UTC().Format(time.RFC3339),
		Threshold: rep.Threshold, Method: cat.T("transparency.method", rep.Threshold, rep.Threshold-1), Language: cat.Lang,
		Indicators: rdrIndicators, Narrative: rep.Narrative, Figures: staterequest.Publish(rep.Cells)})
}

// transparencyCSV writes every figure of a report, one per row: the cells
// first, then each table and the total, each with its low and high bound.
func (s *Server) transparencyCSV(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.loadReport(r)
	if err != nil {
		return err
	}
	pub := staterequest.Publish(rep.Cells)
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="transparency-`+strconv.FormatInt(rep.ID, 10)+`-`+rep.Period.String()+`.csv"`)
	cw := csv.NewWriter(w)
	cw.Write([]string{"table", "counterpart", "request_type", "legal_process", "response", "low", "high", "shown"})
	row := func(table, cp, typ, proc, resp string, c staterequest.Range) {
		cw.Write([]string{table, csvCell(cp), typ, proc, resp, strconv.Itoa(c.Lo), strconv.Itoa(c.Hi), csvCell(c.String())})
	}
	for _, c := range pub.Cells {
		row("cell", c.Counterpart, string(c.Type), string(c.Process), string(c.Response), c.Count)
	}
	for _, dim := range staterequest.Dimensions {
		for _, x := range pub.Tables[dim] {
			cols := map[string]string{dim: x.Key}
			row("by_"+dim, cols[staterequest.ByCounterpart], cols[staterequest.ByType], cols[staterequest.ByProcess], cols[staterequest.ByResponse], x.Count)
		}
	}
	row("total", "", "", "", "", pub.Total)
	cw.Flush()
	return cw.Error()
}
