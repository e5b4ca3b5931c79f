package web

import (
	"net/http"

	"buyright/internal/access"
	"buyright/internal/catalog"
	"buyright/internal/lawmap"
	"buyright/internal/model"
	"buyright/internal/store"
)

// Jurisdictions and law-map questions, kept by Lab editors: add a
// jurisdiction or rename one, add a question or reword one (its title in
// each language, its help and its group). The page shows the history of
// every change, read from the audit log.

func (s *Server) labMapRoutes(member func(string, handlerFunc)) {
	member("GET /lab/map", s.labMapPage)
	member("POST /lab/map/jurisdictions", s.labJurisdictionPut)
	member("POST /lab/map/questions", s.labQuestionPut)
	member("GET /lab/map/questions/{code}", s.labQuestionForm)
}

func (s *Server) requireLabEditor(r *http.Request) error {
	ok, err := s.labCan(r, access.LabEditMap, "")
	if err != nil {
		return err
	}
	if !ok {
		return store.LabForbidden()
	}
	return nil
}

type labMapData struct {
	Jurisdictions []lawmap.Jurisdiction
	Kinds         []string
	Q             *lawmap.Questionnaire
	History       []store.LabMapChange
	JValues       map[string]string
	JErrors       model.FieldErrors
	Question      *labQuestionForm // the form to add a question
}

// labQuestionForm is the form of one question, new or edited.
type labQuestionForm struct {
	New    bool
	Values map[string]string
	Errors model.FieldErrors
	Groups []*catalog.Item
	Langs  []string
	Lang   string // of the page, for the groups' titles
}

func (s *Server) labMapData(r *http.Request) (*labMapData, error) {
	js, err := s.db.Jurisdictions(r.Context())
	if err != nil {
		return nil, err
	}
	q, err := s.labQuestions(r.Context())
	if err != nil {
		return nil, err
	}
	h, err := s.db.LabMapHistory(r.Context(), "", 100)
	if err != nil {
		return nil, err
	}
	return &labMapData{Jurisdictions: js, Kinds: store.JurisdictionKinds, Q: q, History: h,
		JValues:  map[string]string{"jur_kind": "country"},
		Question: &labQuestionForm{New: true, Values: map[string]string{}, Groups: q.Groups, Langs: lawmap.TitleLangs, Lang: s.catalog(r).Lang}}, nil
}

func (s *Server) labMapPage(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireLabEditor(r); err != nil {
		return err
	}
	d, err := s.labMapData(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "lab_map", "lab.map.title", d)
}

func (s *Server) labJurisdictionPut(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireLabEditor(r); err != nil {
		return err
	}
	j := lawmap.Jurisdiction{Code: model.CleanLine(r.PostFormValue("jur_code")), Name: model.CleanLine(r.PostFormValue("jur_name")),
		Kind: model.CleanLine(r.PostFormValue("jur_kind"))}
	created, err := s.db.PutJurisdiction(r.Context(), store.ActorOf(currentUser(r)), j)
	if fe := fieldErrs(err); fe != nil {
		d, derr := s.labMapData(r)
		if derr != nil {
			return derr
		}
		d.JValues = map[string]string{"jur_code": j.Code, "jur_name": j.Name, "jur_kind": j.Kind}
		d.JErrors = fe
		return s.render(w, r, http.StatusUnprocessableEntity, "lab_map", "lab.map.title", d)
	} else if err != nil {
		return err
	}
	done := "saved"
	if created {
		done = "created"
	}
	http.Redirect(w, r, "/lab/map?done="+done+"#jurisdictions", http.StatusSeeOther)
	return nil
}

type labQuestionPage struct {
	Form    *labQuestionForm
	Code    string
	History []store.LabMapChange
}

func (s *Server) labQuestionForm(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireLabEditor(r); err != nil {
		return err
	}
	q, err := s.labQuestions(r.Context())
	if err != nil {
		return err
	}
	d, ok := q.Def(r.PathValue("code"))
	if !ok {
		return model.NotFound("question")
	}
	f := &labQuestionForm{Values: map[string]string{"lab_code": d.ID, "lab_group": d.Group, "lab_help": d.Help}, Groups: q.Groups, Langs: lawmap.TitleLangs,
		Lang: s.catalog(r).Lang}
	for _, l := range lawmap.TitleLangs {
		f.Values["lab_title_"+l] = d.Title[l]
	}
	return s.labQuestionRender(w, r, http.StatusOK, f)
}

func (s *Server) labQuestionRender(w http.ResponseWriter, r *http.Request, status int, f *labQuestionForm) error {
	h, err := s.db.LabMapHistory(r.Context(), f.Values["lab_code"], 50)
	if err != nil {
		return err
	}
	return s.render(w, r, status, "lab_question", "lab.map.question_title", &labQuestionPage{Form: f, Code: f.Values["lab_code"], History: h})
}

// labQuestionPut adds a question (the form on /lab/map) or saves an
// edited one (its own page); a refused form comes back where it was
// typed, keeping what was typed.
func (s *Server) labQuestionPut(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireLabEditor(r); err != nil {
		return err
	}
	isNew := r.PostFormValue("edit") == ""
	d := lawmap.QuestionDef{ID: model.CleanLine(r.PostFormValue("lab_code")), Group: model.CleanLine(r.PostFormValue("lab_group")),
		Title: catalog.Text{}, Help: model.CleanText(r.PostFormValue("lab_help"))}
	for _, l := range lawmap.TitleLangs {
		d.Title[l] = model.CleanLine(r.PostFormValue("lab_title_" + l))
	}
	if !isNew {
		d.ID = model.CleanLine(r.PostFormValue("edit"))
	}
	builtin, err := labBuiltin()
	if err != nil {
		return err
	}
	err = s.db.PutLabQuestion(r.Context(), store.ActorOf(currentUser(r)), builtin, d, isNew)
	if fe := fieldErrs(err); fe != nil {
		q, qerr := s.labQuestions(r.Context())
		if qerr != nil {
			return qerr
		}
		f := &labQuestionForm{New: isNew, Values: map[string]string{"lab_code": d.ID, "lab_group": d.Group, "lab_help": d.Help}, Errors: fe,
			Groups: q.Groups, Langs: lawmap.TitleLangs, Lang: s.catalog(r).Lang}
		for _, l := range lawmap.TitleLangs {
			f.Values["lab_title_"+l] = d.Title[l]
		}
		if !isNew {
			return s.labQuestionRender(w, r, http.StatusUnprocessableEntity, f)
		}
		md, merr := s.labMapData(r)
		if merr != nil {
			return merr
		}
		md.Question = f
		return s.render(w, r, http.StatusUnprocessableEntity, "lab_map", "lab.map.title", md)
	} else if err != nil {
		return err
	}
	done := "saved"
	if isNew {
		done = "created"
	}
	http.Redirect(w, r, "/lab/map?done="+done+"#questions", http.StatusSeeOther)
	return nil
}
