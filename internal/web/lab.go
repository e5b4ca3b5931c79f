package web

import (
	"context"
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"buyright/internal/access"
	"buyright/internal/catalog"
	"buyright/internal/lawmap"
	"buyright/internal/model"
	"buyright/internal/store"
)

// The Learning Lab: the law map and the library of effective practices.
// Everything under /lab is public and needs no sign-in; it shows only
// published answers and practices. Signed-in people of any organisation
// propose answers and practices as drafts; a Lab reviewer from another
// organisation approves or returns them, a Lab editor publishes what was
// approved (see lab_roles.go and internal/access/lab.go).

func (s *Server) labRoutes(mux *http.ServeMux, page, member func(string, handlerFunc)) {
	page("GET /lab", s.labHome)
	page("GET /lab/law", s.labLaw)
	mux.Handle("GET /lab/law.csv", s.html(s.labLawCSV))
	mux.Handle("GET /lab/law.json", s.html(s.labLawJSON))
	page("GET /lab/law/{code}", s.labJurisdiction)
	page("GET /lab/practices", s.labPractices)
	page("GET /lab/practices/{id}", s.labPractice)
	page("GET /lab/hubs", s.labHubs)
	page("GET /lab/hubs/{hub}", s.labHub)

	member("GET /lab/propose/answer", s.labAnswerForm)
	member("POST /lab/propose/answer", s.labAnswerCreate)
	member("GET /lab/propose/practice", s.labPracticeForm)
	member("POST /lab/propose/practice", s.labPracticeCreate)
	member("GET /lab/review", s.labReview)
	member("POST /lab/review/answers/{id}/approve", s.labAnswerApprove)
	member("POST /lab/review/answers/{id}/publish", s.labAnswerPublish)
	member("POST /lab/review/answers/{id}/return", s.labAnswerReturn)
	member("POST /lab/review/answers/{id}/confirm", s.labAnswerConfirm)
	member("POST /lab/review/practices/{id}/approve", s.labPracticeApprove)
	member("POST /lab/review/practices/{id}/publish", s.labPracticePublish)
	member("POST /lab/review/practices/{id}/return", s.labPracticeReturn)
	s.labRoleRoutes(member)
	s.labMapRoutes(member)
}

// labBuiltin is the questionnaire shipped with buyright.
var labBuiltin = sync.OnceValues(lawmap.Load)

// labQuestions is the questionnaire as the Lab's editors keep it: the
// built-in one with the questions they added or reworded.
func (s *Server) labQuestions(ctx context.Context) (*lawmap.Questionnaire, error) {
	q, err := labBuiltin()
	if err != nil {
		return nil, err
	}
	defs, err := s.db.LabQuestionDefs(ctx)
	if err != nil {
		return nil, err
	}
	return q.With(defs), nil
}

func (s *Server) labHome(w http.ResponseWriter, r *http.Request) error {
	q, err := s.labQuestions(r.Context())
	if err != nil {
		return err
	}
	js, err := s.db.Jurisdictions(r.Context())
	if err != nil {
		return err
	}
	res, err := s.db.SearchPractices(r.Context(), store.PracticeQuery{})
	if err != nil {
		return err
	}
	editor, err := s.labCan(r, access.LabEditMap, "")
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "lab", "lab.title", map[string]any{
		"Questions": len(q.Questions), "Jurisdictions": js, "Practices": len(res.Practices), "Hubs": store.Hubs, "Editor": editor})
}

// labCell is one cell of the matrix.
type labCell struct {
	Code   string
	Answer *store.LawAnswer
	Label  string
}

type labRow struct {
	Q     *catalog.Item
	Cells []labCell
}

type labLawData struct {
	Jurisdictions []lawmap.Jurisdiction // all, for the filter
	Shown         []lawmap.Jurisdiction
	Selected      map[string]bool
	Groups        []*catalog.Item
	Group         string
	AsOf          string
	Rows          []labRow
	Query         string // the filter as a query string, for the downloads
}

// labLawFilter reads ?j=EU&j=UK&group=...&as_of=YYYY-MM-DD; unknown values
// are dropped.
func (s *Server) labLawFilter(r *http.Request) (*labLawData, []*store.LawAnswer, *lawmap.Questionnaire, error) {
	q, err := s.labQuestions(r.Context())
	if err != nil {
		return nil, nil, nil, err
	}
	js, err := s.db.Jurisdictions(r.Context())
	if err != nil {
		return nil, nil, nil, err
	}
	v := r.URL.Query()
	d := &labLawData{Jurisdictions: js, Groups: q.Groups, Selected: map[string]bool{}}
	for _, c := range v["j"] {
		d.Selected[c] = true
	}
	for _, j := range js {
		if len(d.Selected) == 0 || d.Selected[j.Code] {
			d.Shown = append(d.Shown, j)
		}
	}
	for _, g := range q.Groups {
		if g.ID == v.Get("group") {
			d.Group = g.ID
		}
	}
	if a := v.Get("as_of"); a != "" {
		if _, err := time.Parse("2006-01-02", a); err == nil {
			d.AsOf = a
		}
	}
	qs := []string{}
	for _, j := range d.Shown {
		if len(d.Selected) > 0 {
			qs = append(qs, "j="+j.Code)
		}
	}
	if d.Group != "" {
		qs = append(qs, "group="+d.Group)
	}
	if d.AsOf != "" {
		qs = append(qs, "as_of="+d.AsOf)
	}
	if len(qs) > 0 {
		d.Query = "?" + strings.Join(qs, "&")
	}
	all, err := s.db.ApprovedLawAnswers(r.Context())
	if err != nil {
		return nil, nil, nil, err
	}
	return d, all, q, nil
}

func (s *Server) labMatrix(r *http.Request) (*labLawData, error) {
	d, all, q, err := s.labLawFilter(r)
	if err != nil {
		return nil, err
	}
	lang := s.catalog(r).Lang
	cur := store.LawCurrent(all, d.AsOf)
	for _, it := range q.InGroup(d.Group) {
		row := labRow{Q: it}
		for _, j := range d.Shown {
			c := labCell{Code: j.Code, Answer: cur[j.Code+"|"+it.ID]}
			if c.Answer != nil {
				if o, ok := it.Option(c.Answer.Answer.Answer); ok {
					c.Label = o.Label.In(lang)
				}
			}
			row.Cells = append(row.Cells, c)
		}
		d.Rows = append(d.Rows, row)
	}
	return d, nil
}

func (s *Server) labLaw(w http.ResponseWriter, r *http.Request) error {
	d, err := s.labMatrix(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "lab_law", "lab.law_title", d)
}

// labExport is one matrix cell in the downloads.
type labExport struct {
	Jurisdiction string            `json:"jurisdiction"`
	Question     string            `json:"question"`
	QuestionText string            `json:"question_text"`
	Answer       string            `json:"answer"`
	AsOf         string            `json:"as_of"`
	Judgement    bool              `json:"respondents_judgement"`
	Starting     bool              `json:"starting_content_to_be_reviewed"`
	Explanation  string            `json:"explanation"`
	Citations    []lawmap.Citation `json:"citations"`
	// Who gave the answer and who checked it: "seed" answers were written
	// by the buyright team; Reviewer is empty when no network member
	// reviewed the answer.
	Source      string `json:"source"`
	Contributor string `json:"contributor"`
	Reviewer    string `json:"reviewer"`
	ReviewerOrg string `json:"reviewer_organisation"`
	ReviewedOn  string `json:"reviewed_on"`
}

func (s *Server) labExports(r *http.Request) ([]labExport, error) {
	d, err := s.labMatrix(r)
	if err != nil {
		return nil, err
	}
	out := []labExport{}
	for _, row := range d.Rows {
		for _, c := range row.Cells {
			if c.Answer == nil {
				continue
			}
			a := c.Answer
			e := labExport{Jurisdiction: c.Code, Question: row.Q.ID, QuestionText: row.Q.Title.In("en"), Answer: a.Answer.Answer,
				AsOf: a.AsOf, Judgement: a.Judgement, Starting: a.Starting, Explanation: a.Explanation, Citations: a.Citations,
				Source: "contribution", Contributor: a.ContributorOrg}
			if a.Starting {
				e.Source, e.Contributor = "seed", "buyright"
			}
			if a.Reviewed() {
				e.Reviewer, e.ReviewerOrg, e.ReviewedOn = a.ReviewerName, a.ReviewerOrg, a.ReviewedOn()
			}
			out = append(out, e)
		}
	}
	return out, nil
}

func (s *Server) labLawJSON(w http.ResponseWriter, r *http.Request) error {
	out, err := s.labExports(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", `attachment; filename="law-map.json"`)
	w.Header().Set("Access-Control-Allow-Origin", "*")
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) labLawCSV(w http.ResponseWriter, r *http.Request) error {
	out, err := s.labExports(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="law-map.csv"`)
	cw := csv.NewWriter(w)
	cw.Write([]string{"jurisdiction", "question", "question_text", "answer", "as_of", "respondents_judgement", "starting_content_to_be_reviewed", "explanation", "citations",
		"source", "contributor", "reviewer", "reviewer_organisation", "reviewed_on"})
	for _, e := range out {
		var cites []string
		for _, c := range e.Citations {
			cites = append(cites, strings.TrimSpace(strings.Join([]string{c.Instrument, c.Article, c.URL}, " | ")))
		}
		row := []string{e.Jurisdiction, e.Question, e.QuestionText, e.Answer, e.AsOf, strconv.FormatBool(e.Judgement), strconv.FormatBool(e.Starting),
			e.Explanation, strings.Join(cites, "; "), e.Source, e.Contributor, e.Reviewer, e.ReviewerOrg, e.ReviewedOn}
		for i := range row {
			row[i] = csvCell(row[i])
		}
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

type labHistoryItem struct {
	Q       *catalog.Item
	Current *store.LawAnswer
	Label   string
	Older   []*store.LawAnswer
}

func (s *Server) labJurisdiction(w http.ResponseWriter, r *http.Request) error {
	q, err := s.labQuestions(r.Context())
	if err != nil {
		return err
	}
	js, err := s.db.Jurisdictions(r.Context())
	if err != nil {
		return err
	}
	var j *lawmap.Jurisdiction
	for i := range js {
		if js[i].Code == r.PathValue("code") {
			j = &js[i]
		}
	}
	if j == nil {
		return model.NotFound("jurisdiction")
	}
	all, err := s.db.ApprovedLawAnswers(r.Context())
	if err != nil {
		return err
	}
	lang := s.catalog(r).Lang
	var items []labHistoryItem
	for _, it := range q.Questions {
		h := labHistoryItem{Q: it}
		for _, a := range all { // oldest first
			if a.Jurisdiction == j.Code && a.Question == it.ID {
				if h.Current != nil {
					h.Older = append([]*store.LawAnswer{h.Current}, h.Older...)
				}
				h.Current = a
			}
		}
		if h.Current != nil {
			if o, ok := it.Option(h.Current.Answer.Answer); ok {
				h.Label = o.Label.In(lang)
			}
		}
		items = append(items, h)
	}
	confirm, err := s.labCan(r, access.LabReviewAnswer, "")
	if err != nil {
		return err
	}
	data := map[string]any{"J": j, "Items": items, "CanConfirm": confirm}
	if j.Code == "EU" {
		set, _ := s.dd.current()
		data["AIActDates"] = aiActDates(set, lang)
	}
	return s.render(w, r, http.StatusOK, "lab_jurisdiction", "lab.jurisdiction_title", data)
}

// labOption gives the label of an answer option in the page's language.
func labOption(q *lawmap.Questionnaire, question, answer, lang string) string {
	if it, ok := q.Question(question); ok {
		if o, ok := it.Option(answer); ok {
			return o.Label.In(lang)
		}
	}
	return answer
}
