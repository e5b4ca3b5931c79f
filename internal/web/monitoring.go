package web

import (
	"encoding/csv"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"strconv"
	"strings"

	"buyright/internal/access"
	"buyright/internal/assessment"
	"buyright/internal/catalog"
	"buyright/internal/model"
	"buyright/internal/monitoring"
	"buyright/internal/store"
)

// The monitoring plan and its results: indicators (from the indicator
// catalogue or the body's own) with targets and thresholds, values entered
// by hand or from a CSV file (checked row by row, kept only when the person
// confirms), outcome counts of automated decisions by group with the
// disparity ratio, and the incidents log. Whoever may see the purchase's
// record reads it; whoever may work on the assessment records results.

func (s *Server) monitoringRoutes(member func(string, handlerFunc)) {
	member("GET /purchases/{id}/monitoring", recordPage(s, "monitoring", "monitoring.title", s.monitoringState))
	member("POST /purchases/{id}/monitoring/indicators", s.indicatorAdd)
	member("GET /purchases/{id}/monitoring/indicators/{ind}", s.indicatorEdit)
	member("POST /purchases/{id}/monitoring/indicators/{ind}", s.indicatorUpdate)
	member("POST /purchases/{id}/monitoring/measurements", s.measurementAdd)
	member("POST /purchases/{id}/monitoring/outcomes", s.outcomeAdd)
	member("POST /purchases/{id}/monitoring/csv", s.monitoringCSV)
	member("POST /purchases/{id}/monitoring/csv/confirm", s.monitoringCSVConfirm)
	member("POST /purchases/{id}/monitoring/incidents", s.incidentAdd)
	member("POST /purchases/{id}/monitoring/reassess", s.monitoringReassess)
	member("GET /purchases/{id}/monitoring.csv", s.monitoringCSVDownload)
}

type indicatorView struct {
	In       *monitoring.Indicator
	Values   []monitoring.Measurement
	Latest   []monitoring.Measurement // the newest period's values
	Breached bool
	Chart    template.HTML // inline SVG, "" when there is nothing to draw
	Rows     []valueRow    // the same values as a table, ready to print
	Help     string
}

// valueRow is one value as the table shows it, formatted once here so
// the template prints fields rather than calling functions per cell.
type valueRow struct {
	Period, Group, Value, Source string
	Breached                     bool
}

type monitoringData struct {
	P            *model.Purchase
	CanEdit      bool
	Indicators   []*indicatorView
	Catalogue    []*catalog.Item
	Mitigations  []assessment.Mitigation
	Disparities  []monitoring.Disparity
	Incidents    []monitoring.Incident
	Tasks        []store.ClosedTask // the plan's tasks: open ones, then the latest closed with why
	Breaches     int
	Flagged      int // periods under four fifths, all of them
	OlderPeriods int
	Units        []string
	Severities   []string
	Forms        map[string]map[string]string // per form, the values as typed
	Errors       map[string]model.FieldErrors // per form
	Lang         string
}

func (s *Server) monitoringState(r *http.Request, p *model.Purchase, rel access.Relation) (*monitoringData, error) {
	ctx := r.Context()
	lang := langOf(r, s)
	d := &monitoringData{P: p, CanEdit: access.Can(currentUser(r), rel, access.Assess), Units: monitoring.Units, Severities: monitoring.Severities,
		Forms:  map[string]map[string]string{"indicator": {"direction": "higher", "unit": "percent"}, "measurement": {}, "outcome": {}, "incident": {"severity": "medium"}},
		Errors: map[string]model.FieldErrors{}, Lang: lang}
	set, _ := s.dd.current()
	if c, ok := set.Catalog("indicators"); ok {
		d.Catalogue = c.Items
	}
	// The page's reads go together (store.Batch).
	b := s.db.NewBatch()
	var plan []*monitoring.Indicator
	var ms []monitoring.Measurement
	var assessed *store.AssessmentVersion
	b.Indicators(p.ID, &plan)
	b.Measurements(p.ID, &ms)
	b.Disparities(p.ID, &d.Disparities)
	b.Incidents(p.ID, &d.Incidents)
	b.MonitoringTasks(p.ID, 20, &d.Tasks)
	b.Assessment(p.ID, &assessed)
	if err := b.Run(ctx); err != nil {
		return nil, err
	}
	if assessed != nil {
		d.Mitigations = assessed.Doc.Mitigations
	}
	for _, in := range plan {
		v := &indicatorView{In: in}
		if it, ok := set.Item(in.CatalogID); ok {
			v.Help = it.Text.In(lang)
		}
		for _, m := range ms {
			if m.IndicatorID == in.ID {
				v.Values = append(v.Values, m)
			}
		}
		if n := len(v.Values); n > 0 {
			last := v.Values[0].Period.String()
			for _, m := range v.Values {
				if m.Period.String() > last {
					last = m.Period.String()
				}
			}
			for _, m := range v.Values {
				if m.Period.String() == last {
					v.Latest = append(v.Latest, m)
					v.Breached = v.Breached || in.Breached(m.Value)
				}
			}
		}
		if v.Breached {
			d.Breaches++
		}
		cat := s.catalog(r)
		if c := buildChart(in, v.Values); c != nil {
			v.Chart = c.svg(in.ID, cat.T("monitoring.chart_title", in.Title), cat.T("monitoring.threshold_short"))
		}
		for _, m := range v.Values {
			v.Rows = append(v.Rows, valueRow{Period: m.Period.String(), Group: m.Group, Value: num1(m.Value), Breached: in.Breached(m.Value),
				Source: cat.T("monitoring.source."+m.Source) + " · " + m.EnteredBy})
		}
		d.Indicators = append(d.Indicators, v)
	}
	for _, x := range d.Disparities {
		if x.Flagged {
			d.Flagged++
		}
	}
	// The page shows the newest periods; the older ones are counted.
	if n := len(d.Disparities); n > shownPeriods {
		d.OlderPeriods, d.Disparities = n-shownPeriods, d.Disparities[:shownPeriods]
	}
	return d, nil
}

// refuse re-renders the monitoring page with one form's problems and what
// was typed in it.
func (s *Server) refuseMonitoring(w http.ResponseWriter, r *http.Request, p *model.Purchase, rel access.Relation, form string, fields []string, fe model.FieldErrors) error {
	d, err := s.monitoringState(r, p, rel)
	if err != nil {
		return err
	}
	for _, k := range fields {
		d.Forms[form][k] = r.PostFormValue(k)
	}
	d.Errors[form] = fe
	return s.render(w, r, http.StatusUnprocessableEntity, "monitoring", "monitoring.title", d)
}

func back(w http.ResponseWriter, r *http.Request, p *model.Purchase, anchor string) error {
	http.Redirect(w, r, "/purchases/"+strconv.FormatInt(p.ID, 10)+"/monitoring?done=saved#"+anchor, http.StatusSeeOther)
	return nil
}

// optFloat reads an optional number field.
func optFloat(r *http.Request, name string, fe model.FieldErrors) *float64 {
	s := strings.TrimSpace(r.PostFormValue(name))
	if s == "" {
		return nil
	}
	v, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil {
		fe.Add(name, "monitoring.err.number")
		return nil
	}
	return &v
}

var indicatorFields = []string{"catalog_id", "title", "unit", "direction", "target", "threshold", "by_group", "mitigation"}

func (s *Server) indicatorAdd(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.Assess)
	if err != nil {
		return err
	}
	fe := model.FieldErrors{}
	in := &monitoring.Indicator{CatalogID: r.PostFormValue("catalog_id"), Title: r.PostFormValue("title"), Unit: r.PostFormValue("unit"),
		Direction: r.PostFormValue("direction"), Target: optFloat(r, "target", fe), Threshold: optFloat(r, "threshold", fe),
		ByGroup: r.PostFormValue("by_group") != "", Mitigation: r.PostFormValue("mitigation")}
	// A catalogue indicator brings its title and suggested threshold (what
	// the person typed wins) and keeps its unit, direction and grouping
	// whatever the form sent: they are what the indicator means.
	if in.CatalogID != "" {
		if it, ok := s.catalogueIndicator(in.CatalogID); !ok {
			fe.Add("catalog_id", "invalid.choice")
		} else {
			if in.Title == "" {
				in.Title = it.Title.In(langOf(r, s))
			}
			in.Keep(catalogueTerms(it))
			if in.Threshold == nil {
				in.Threshold = it.Threshold
			}
		}
	}
	if len(fe) == 0 {
		err = s.db.AddIndicator(r.Context(), store.ActorOf(currentUser(r)), p, in)
		if fe = fieldErrs(err); err != nil && fe == nil {
			return err
		}
	}
	if len(fe) > 0 {
		return s.refuseMonitoring(w, r, p, rel, "indicator", indicatorFields, fe)
	}
	return back(w, r, p, "plan")
}

// catalogueIndicator finds an entry of the indicator catalogue.
func (s *Server) catalogueIndicator(id string) (*catalog.Item, bool) {
	set, _ := s.dd.current()
	it, ok := set.Item(id)
	if !ok || it.Kind != "indicator" {
		return nil, false
	}
	return it, true
}

// catalogueTerms are the unit, direction and grouping an entry fixes.
func catalogueTerms(it *catalog.Item) monitoring.Terms {
	return monitoring.Terms{Unit: it.Unit, Direction: it.Direction, ByGroup: it.ByGroup}
}

// indicatorForm is the page that changes one indicator of the plan.
type indicatorForm struct {
	P           *model.Purchase
	In          *monitoring.Indicator
	From        string            // the catalogue entry's title, if it came from one
	Fixed       *monitoring.Terms // the catalogue's unit, direction and grouping, which the form does not offer
	Units       []string
	Mitigations []assessment.Mitigation
	Form        map[string]string
	Errors      model.FieldErrors
}

// loadIndicator reads the indicator named in the path, on p only.
func (s *Server) loadIndicator(r *http.Request, p *model.Purchase) (*monitoring.Indicator, error) {
	id, err := strconv.ParseInt(r.PathValue("ind"), 10, 64)
	if err != nil {
		return nil, model.NotFound("indicator")
	}
	return s.db.Indicator(r.Context(), p.ID, id)
}

func (s *Server) indicatorFormData(r *http.Request, p *model.Purchase, in *monitoring.Indicator) (*indicatorForm, error) {
	d := &indicatorForm{P: p, In: in, Units: monitoring.Units, Errors: model.FieldErrors{}, Form: map[string]string{
		"title": in.Title, "unit": in.Unit, "direction": in.Direction, "target": optNum(in.Target), "threshold": optNum(in.Threshold), "mitigation": in.Mitigation}}
	if in.ByGroup {
		d.Form["by_group"] = "yes"
	}
	if it, ok := s.catalogueIndicator(in.CatalogID); ok && in.CatalogID != "" {
		d.From = it.Title.In(langOf(r, s))
		t := catalogueTerms(it)
		d.Fixed = &t
	}
	v, err := s.db.Assessment(r.Context(), p.ID)
	if err != nil {
		return nil, err
	}
	if v != nil {
		d.Mitigations = v.Doc.Mitigations
	}
	return d, nil
}

func optNum(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

func (s *Server) indicatorEdit(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.loadPurchase(r, access.Assess)
	if err != nil {
		return err
	}
	in, err := s.loadIndicator(r, p)
	if err != nil {
		return err
	}
	d, err := s.indicatorFormData(r, p, in)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "monitoring_indicator", "monitoring.edit_title", d)
}

func (s *Server) indicatorUpdate(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.loadPurchase(r, access.Assess)
	if err != nil {
		return err
	}
	old, err := s.loadIndicator(r, p)
	if err != nil {
		return err
	}
	fe := model.FieldErrors{}
	in := &monitoring.Indicator{ID: old.ID, Title: r.PostFormValue("title"), Unit: r.PostFormValue("unit"), Direction: r.PostFormValue("direction"),
		Target: optFloat(r, "target", fe), Threshold: optFloat(r, "threshold", fe), ByGroup: r.PostFormValue("by_group") != "", Mitigation: r.PostFormValue("mitigation")}
	// A catalogue indicator keeps the catalogue's terms; the form does not
	// offer them and anything sent for them is ignored.
	if it, ok := s.catalogueIndicator(old.CatalogID); ok && old.CatalogID != "" {
		in.Keep(catalogueTerms(it))
	}
	if len(fe) == 0 {
		err = s.db.UpdateIndicator(r.Context(), store.ActorOf(currentUser(r)), p, in, "")
		if fe = fieldErrs(err); err != nil && fe == nil {
			return err
		}
	}
	if len(fe) > 0 {
		d, err := s.indicatorFormData(r, p, old)
		if err != nil {
			return err
		}
		for _, k := range indicatorFields {
			d.Form[k] = r.PostFormValue(k)
		}
		d.Errors = fe
		return s.render(w, r, http.StatusUnprocessableEntity, "monitoring_indicator", "monitoring.edit_title", d)
	}
	return back(w, r, p, "ind-"+strconv.FormatInt(old.ID, 10))
}

func (s *Server) measurementAdd(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.Assess)
	if err != nil {
		return err
	}
	m, fe := measurementForm(r)
	if len(fe) == 0 {
		_, err = s.db.RecordMeasurements(r.Context(), store.ActorOf(currentUser(r)), p, "form", []monitoring.Measurement{m})
		if fe = fieldErrs(err); err != nil && fe == nil {
			return err
		}
	}
	if len(fe) > 0 {
		return s.refuseMonitoring(w, r, p, rel, "measurement", []string{"indicator", "period", "group", "value"}, fe)
	}
	return back(w, r, p, "results")
}

// measurementForm reads one value of an indicator from a form (the body's
// monitoring page and the supplier's obligations page share it).
func measurementForm(r *http.Request) (monitoring.Measurement, model.FieldErrors) {
	fe := model.FieldErrors{}
	id, err := strconv.ParseInt(r.PostFormValue("indicator"), 10, 64)
	if err != nil {
		fe.Add("indicator", "invalid.choice")
	}
	period := formDate(r, "period", fe)
	if period.IsZero() && fe["period"] == "" {
		fe.Add("period", "invalid.required")
	}
	v, ok := parseFloatField(r.PostFormValue("value"))
	if !ok {
		fe.Add("value", "monitoring.err.number")
	}
	group := strings.Join(strings.Fields(model.CleanLine(r.PostFormValue("group"))), " ")
	if model.TooLong(group, 100) {
		fe.Add("group", "invalid.too_long")
	}
	return monitoring.Measurement{IndicatorID: id, Period: period, Group: group, Value: v}, fe
}

func parseFloatField(s string) (float64, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil && v == v && v < 1e12 && v > -1e12
}

func (s *Server) outcomeAdd(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.Assess)
	if err != nil {
		return err
	}
	fe := model.FieldErrors{}
	period := formDate(r, "o_period", fe)
	if period.IsZero() && fe["o_period"] == "" {
		fe.Add("o_period", "invalid.required")
	}
	fav, err1 := strconv.Atoi(strings.TrimSpace(r.PostFormValue("favourable")))
	tot, err2 := strconv.Atoi(strings.TrimSpace(r.PostFormValue("total")))
	group := strings.Join(strings.Fields(model.CleanLine(r.PostFormValue("o_group"))), " ")
	switch {
	case group == "":
		fe.Add("o_group", "invalid.required")
	case model.TooLong(group, 100):
		fe.Add("o_group", "invalid.too_long")
	}
	if err1 != nil || fav < 0 {
		fe.Add("favourable", "monitoring.err.count")
	}
	if err2 != nil || tot <= 0 {
		fe.Add("total", "monitoring.err.count")
	} else if err1 == nil && fav > tot {
		fe.Add("favourable", "monitoring.err.more_than_total")
	}
	if len(fe) == 0 {
		_, err = s.db.RecordOutcomes(r.Context(), store.ActorOf(currentUser(r)), p, []monitoring.GroupOutcome{{Period: period, Group: group, Favourable: fav, Total: tot}})
		if fe = fieldErrs(err); err != nil && fe == nil {
			return err
		}
	}
	if len(fe) > 0 {
		return s.refuseMonitoring(w, r, p, rel, "outcome", []string{"o_period", "o_group", "favourable", "total"}, fe)
	}
	return back(w, r, p, "fairness")
}

func (s *Server) incidentAdd(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.Assess)
	if err != nil {
		return err
	}
	fe := model.FieldErrors{}
	x := &monitoring.Incident{OccurredOn: formDate(r, "occurred_on", fe), Severity: r.PostFormValue("severity"), What: r.PostFormValue("what"),
		Affected: r.PostFormValue("affected"), Action: r.PostFormValue("action"), ReportedTo: r.PostFormValue("reported_to")}
	if len(fe) == 0 {
		err = s.db.AddIncident(r.Context(), store.ActorOf(currentUser(r)), p, x)
		if fe = fieldErrs(err); err != nil && fe == nil {
			return err
		}
	}
	if len(fe) > 0 {
		return s.refuseMonitoring(w, r, p, rel, "incident", []string{"occurred_on", "severity", "what", "affected", "action", "reported_to"}, fe)
	}
	return back(w, r, p, "incidents")
}

// The CSV upload: the file is read and checked, the person sees each bad
// row with its line and reason and the good rows, and confirms. The file's
// text travels in the confirmation form and is checked again on confirm,
// so nothing is kept on the server in between and nothing unchecked is
// saved.

type csvPreview struct {
	P      *model.Purchase
	Result *monitoring.CSVResult
	Text   string
	Names  map[string]string // indicator reference -> title
}

const maxCSVBytes = 1 << 20

// shownPeriods is how many periods of outcome counts the page shows.
const shownPeriods = 6

func (s *Server) readMonitoringCSV(r *http.Request, p *model.Purchase, text string) (*csvPreview, error) {
	plan, err := s.db.Indicators(r.Context(), p.ID)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, in := range plan {
		names[strconv.FormatInt(in.ID, 10)] = in.Title
		if in.CatalogID != "" {
			names[in.CatalogID] = in.Title
		}
	}
	res, err := monitoring.ParseCSV(strings.NewReader(text), func(ref string) bool { _, ok := names[ref]; return ok })
	if errors.Is(err, monitoring.ErrCSVHeader) {
		return nil, model.FieldErrors{"csv": "monitoring.csv.header"}.Err()
	}
	if err != nil {
		return nil, err
	}
	return &csvPreview{P: p, Result: res, Text: text, Names: names}, nil
}

func (s *Server) monitoringCSV(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.Assess)
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxCSVBytes+1<<16)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		return s.refuseMonitoring(w, r, p, rel, "csv", nil, model.FieldErrors{"csv": multipartProblem(err, "monitoring.csv.too_big")})
	}
	heads := r.MultipartForm.File["csv"]
	if len(heads) != 1 {
		return s.refuseMonitoring(w, r, p, rel, "csv", nil, model.FieldErrors{"csv": "invalid.required"})
	}
	f, err := heads[0].Open()
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxCSVBytes+1))
	if err != nil {
		return err
	}
	if len(data) > maxCSVBytes {
		return s.refuseMonitoring(w, r, p, rel, "csv", nil, model.FieldErrors{"csv": "monitoring.csv.too_big"})
	}
	if !isText(data) {
		return s.refuseMonitoring(w, r, p, rel, "csv", nil, model.FieldErrors{"csv": "monitoring.csv.not_text"})
	}
	pv, err := s.readMonitoringCSV(r, p, string(data))
	if fe := fieldErrs(err); fe != nil {
		return s.refuseMonitoring(w, r, p, rel, "csv", nil, fe)
	} else if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "monitoring_csv", "monitoring.csv.title", pv)
}

// isText reports whether an upload is UTF-8 text without control bytes
// other than tabs and line ends (a CSV, not a spreadsheet or a program).
func isText(b []byte) bool {
	s := string(b)
	if !strings.HasPrefix(s, "\ufeff") && strings.ContainsRune(s, '\ufffd') {
		return false
	}
	for _, c := range s {
		if c == '\ufffd' || (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
			return false
		}
	}
	return true
}

func (s *Server) monitoringCSVConfirm(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.Assess)
	if err != nil {
		return err
	}
	text := r.PostFormValue("csv")
	if len(text) > maxCSVBytes || !isText([]byte(text)) {
		return s.refuseMonitoring(w, r, p, rel, "csv", nil, model.FieldErrors{"csv": "monitoring.csv.not_text"})
	}
	pv, err := s.readMonitoringCSV(r, p, text)
	if fe := fieldErrs(err); fe != nil {
		return s.refuseMonitoring(w, r, p, rel, "csv", nil, fe)
	} else if err != nil {
		return err
	}
	a := store.ActorOf(currentUser(r))
	if pv.Result.Kind == monitoring.CSVOutcomes {
		var rows []monitoring.GroupOutcome
		for _, x := range pv.Result.Rows {
			rows = append(rows, monitoring.GroupOutcome{Period: x.Period, Group: x.Group, Favourable: x.Favourable, Total: x.Total})
		}
		if _, err := s.db.RecordOutcomes(r.Context(), a, p, rows); err != nil {
			return err
		}
		return back(w, r, p, "fairness")
	}
	plan, err := s.db.Indicators(r.Context(), p.ID)
	if err != nil {
		return err
	}
	ref := map[string]int64{}
	for _, in := range plan {
		ref[strconv.FormatInt(in.ID, 10)] = in.ID
		if in.CatalogID != "" {
			ref[in.CatalogID] = in.ID
		}
	}
	var ms []monitoring.Measurement
	for _, x := range pv.Result.Rows {
		ms = append(ms, monitoring.Measurement{IndicatorID: ref[x.Indicator], Period: x.Period, Group: x.Group, Value: x.Value})
	}
	if _, err := s.db.RecordMeasurements(r.Context(), a, p, "csv", ms); err != nil {
		return err
	}
	return back(w, r, p, "results")
}

// monitoringCSVDownload gives every value in the upload's own format
// (indicator,period,group,value, the indicator by its number), so a body
// can take its results elsewhere, or correct them and upload them again.
func (s *Server) monitoringCSVDownload(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.loadPurchase(r, access.ViewRecord)
	if err != nil {
		return err
	}
	ms, err := s.db.Measurements(r.Context(), p.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="monitoring-%d.csv"`, p.ID))
	cw := csv.NewWriter(w)
	cw.Write([]string{"indicator", "period", "group", "value"})
	for _, m := range ms {
		cw.Write([]string{strconv.FormatInt(m.IndicatorID, 10), m.Period.String(), csvCell(m.Group), strconv.FormatFloat(m.Value, 'f', -1, 64)})
	}
	cw.Flush()
	return cw.Error()
}

// monitoringReassess re-opens the assessment because monitoring showed a
// problem: a signed-off version gets a new draft, and a task says why.
func (s *Server) monitoringReassess(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.loadPurchase(r, access.Assess)
	if err != nil {
		return err
	}
	reason := model.CleanText(r.PostFormValue("reason"))
	if reason == "" {
		reason = "Monitoring results breached a threshold."
	}
	if model.TooLong(reason, 2000) {
		return model.FieldErrors{"reason": "invalid.too_long"}.Err()
	}
	set, _ := s.dd.current()
	a := store.ActorOf(currentUser(r))
	if _, err := s.db.EditAssessment(r.Context(), a, p, "reopened_by_monitoring", set.Hash(), func(*assessment.Doc) error { return nil }); err != nil {
		return err
	}
	if _, err := s.db.OpenTask(r.Context(), a, p, "reassess", "Re-assess the risks: "+reason, "monitoring:reassess", model.DateOf(s.now()).AddDays(30)); err != nil {
		return err
	}
	http.Redirect(w, r, "/purchases/"+strconv.FormatInt(p.ID, 10)+"/assessment", http.StatusSeeOther)
	return nil
}

// monitoringPanel is what the purchase page shows about monitoring: from
// the contract stage on, or as soon as there is a plan.
func (s *Server) monitoringPanel(r *http.Request, p *model.Purchase, rel access.Relation, b *store.Batch) panelBuild {
	if !access.Can(currentUser(r), rel, access.ViewRecord) {
		return noPanel
	}
	var sum *store.MonitoringSummary
	b.MonitoringSummary(p.ID, &sum)
	return func() (any, error) {
		if sum.Indicators == 0 && sum.Incidents == 0 && p.Stage.Index() < model.StageContract.Index() {
			return nil, nil
		}
		return sum, nil
	}
}
