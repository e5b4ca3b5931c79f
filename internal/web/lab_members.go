package web

import (
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"buyright/internal/access"
	"buyright/internal/mail"
	"buyright/internal/model"
	"buyright/internal/reminders"
	"buyright/internal/store"
)

// The Learning Lab's members' space (materials with comments, events) and
// what the public portal shows of it once published: lists with CSV and
// JSON downloads, an Atom feed of everything new in the Lab, and a weekly
// e-mail digest with double opt-in and one-click unsubscribe.

func (s *Server) labMemberRoutes(mux *http.ServeMux, page, member func(string, handlerFunc)) {
	page("GET /lab/materials", s.labMaterials)
	page("GET /lab/materials/{id}", s.labMaterial)
	page("GET /lab/materials/{id}/file", s.labMaterialFile)
	page("GET /lab/events", s.labEvents)
	page("GET /lab/events/{id}", s.labEvent)
	for _, list := range []string{"practices", "materials", "events"} {
		mux.Handle("GET /lab/"+list+".csv", s.html(s.labListCSV(list)))
		mux.Handle("GET /lab/"+list+".json", s.html(s.labListJSON(list)))
	}
	mux.Handle("GET /lab/feed.atom", s.html(s.labFeed))
	page("GET /lab/subscribe", s.labSubscribeForm)
	page("POST /lab/subscribe", s.labSubscribe)
	page("GET /lab/subscribe/confirm", s.labConfirm)
	page("GET /lab/unsubscribe", s.labUnsubscribeForm)
	page("POST /lab/unsubscribe", s.labUnsubscribe)

	member("GET /lab/members", s.labMembersHome)
	member("POST /lab/members", s.labMemberSet)
	member("POST /lab/materials", s.labMaterialCreate)
	member("POST /lab/materials/{id}/comments", s.labMaterialComment)
	member("POST /lab/materials/{id}/publish", s.labMaterialPublish)
	member("POST /lab/materials/{id}/propose", s.labMaterialPropose)
	member("POST /lab/events", s.labEventCreate)
	member("POST /lab/events/{id}/publish", s.labEventPublish)
}

// labMember reports whether the signed-in person takes part in the
// network: their organisation is a member, they hold a Lab role (an editor
// must read what they publish), or they run the site.
func (s *Server) labMember(r *http.Request) (bool, error) {
	u := currentUser(r)
	if u == nil {
		return false, nil
	}
	if u.SiteAdmin {
		return true, nil
	}
	g, err := s.labGrants(r)
	if err != nil || len(g) > 0 {
		return len(g) > 0, err
	}
	return s.db.IsLabMember(r.Context(), u.OrgID)
}

func (s *Server) requireLabMember(r *http.Request) error {
	ok, err := s.labMember(r)
	if err != nil {
		return err
	}
	if !ok {
		return model.Forbidden()
	}
	return nil
}

type labMembersData struct {
	Orgs      []*model.Organisation
	AllOrgs   []*model.Organisation // for the site administrator's form
	Materials []*store.Material
	Events    []*store.LabEvent
	Editor    bool
	Kinds     []string
	EKinds    []string
	Values    map[string]string
	Errors    model.FieldErrors
	EValues   map[string]string
	EErrors   model.FieldErrors
	Returned  []*store.Practice
}

func (s *Server) labMembersData(r *http.Request) (*labMembersData, error) {
	ctx := r.Context()
	u := currentUser(r)
	editor, err := s.labCan(r, access.LabPublish, "")
	if err != nil {
		return nil, err
	}
	d := &labMembersData{Editor: editor, Kinds: store.MaterialKinds, EKinds: store.EventKinds,
		Values: map[string]string{"kind": "document"}, EValues: map[string]string{"kind": "workshop"}}
	if d.Orgs, err = s.db.LabMemberOrgs(ctx); err != nil {
		return nil, err
	}
	if u.SiteAdmin {
		if d.AllOrgs, err = s.db.Orgs(ctx); err != nil {
			return nil, err
		}
	}
	if d.Materials, err = s.db.Materials(ctx, store.MaterialQuery{Members: true}); err != nil {
		return nil, err
	}
	if d.Events, err = s.db.Events(ctx, true); err != nil {
		return nil, err
	}
	if d.Returned, err = s.db.ReturnedPractices(ctx, u.OrgID); err != nil {
		return nil, err
	}
	return d, nil
}

func (s *Server) labMembersHome(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireLabMember(r); err != nil {
		return err
	}
	d, err := s.labMembersData(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "lab_members", "lab.members.title", d)
}

func (s *Server) labMemberSet(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	if !u.SiteAdmin {
		return model.Forbidden()
	}
	id, err := strconv.ParseInt(r.PostFormValue("org_id"), 10, 64)
	if err != nil {
		return model.FieldErrors{"org_id": "invalid.choice"}.Err()
	}
	if _, err := s.db.Org(r.Context(), id); err != nil {
		return err
	}
	if err := s.db.SetLabMember(r.Context(), store.ActorOf(u), id, r.PostFormValue("member") != "no"); err != nil {
		return err
	}
	http.Redirect(w, r, "/lab/members?done=saved", http.StatusSeeOther)
	return nil
}

func (s *Server) labMaterialCreate(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireLabMember(r); err != nil {
		return err
	}
	u := currentUser(r)
	r.Body = http.MaxBytesReader(w, r.Body, s.maxUpload+formSlack)
	if err := r.ParseMultipartForm(1 << 20); err != nil && err != http.ErrNotMultipart {
		return model.FieldErrors{"file": multipartProblem(err, tooBigLimit)}.Err()
	}
	m := &store.Material{OrgID: u.OrgID, Kind: r.FormValue("kind"), Title: r.FormValue("title"), Description: r.FormValue("description"), Link: r.FormValue("link")}
	fe := model.FieldErrors{}
	if ev := r.FormValue("event"); ev != "" {
		id, err := strconv.ParseInt(ev, 10, 64)
		if err == nil {
			_, err = s.db.Event(r.Context(), id, true)
		}
		if err != nil {
			fe.Add("event", "invalid.choice")
		}
		m.EventID = id
	}
	if r.MultipartForm != nil {
		if heads := r.MultipartForm.File["file"]; len(heads) == 1 && heads[0].Size > 0 {
			up, problem, err := s.checkUpload(r, heads[0], s.maxUpload)
			if err != nil {
				return err
			}
			if problem != "" {
				fe.Add("file", problem)
			}
			m.FileName, m.FileType, m.FileSHA256 = up.Name, up.CType, up.Blob.SHA256
		}
	}
	if len(fe) == 0 {
		err := s.db.CreateMaterial(r.Context(), store.ActorOf(u), m)
		if fe = fieldErrs(err); err != nil && fe == nil {
			return err
		}
	}
	if len(fe) > 0 {
		d, err := s.labMembersData(r)
		if err != nil {
			return err
		}
		for _, k := range []string{"kind", "title", "description", "link", "event"} {
			d.Values[k] = r.FormValue(k)
		}
		d.Errors = fe
		return s.render(w, r, http.StatusUnprocessableEntity, "lab_members", "lab.members.title", d)
	}
	http.Redirect(w, r, "/lab/materials/"+strconv.FormatInt(m.ID, 10)+"?done=shared", http.StatusSeeOther)
	return nil
}

func (s *Server) labEventCreate(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireLabMember(r); err != nil {
		return err
	}
	u := currentUser(r)
	fe := model.FieldErrors{}
	e := &store.LabEvent{Title: r.PostFormValue("title"), Kind: r.PostFormValue("kind"), StartsOn: formDate(r, "starts_on", fe), Place: r.PostFormValue("place"),
		Agenda: r.PostFormValue("agenda"), Participants: r.PostFormValue("participants"), Outcomes: r.PostFormValue("outcomes")}
	for _, f := range strings.FieldsFunc(r.PostFormValue("practices"), func(c rune) bool { return c == ',' || c == ' ' }) {
		id, err := strconv.ParseInt(strings.TrimPrefix(f, "#"), 10, 64)
		if err != nil {
			fe.Add("practices", "lab.members.practice_ids")
			break
		}
		if _, err := s.db.PracticeByID(r.Context(), id, false); err != nil {
			fe.Add("practices", "lab.members.practice_ids")
			break
		}
		e.Practices = append(e.Practices, id)
	}
	if len(fe) == 0 {
		err := s.db.CreateEvent(r.Context(), store.ActorOf(u), u.OrgID, e)
		if fe = fieldErrs(err); err != nil && fe == nil {
			return err
		}
	}
	if len(fe) > 0 {
		d, err := s.labMembersData(r)
		if err != nil {
			return err
		}
		for _, k := range []string{"title", "kind", "starts_on", "place", "agenda", "participants", "outcomes", "practices"} {
			d.EValues[k] = r.PostFormValue(k)
		}
		d.EErrors = fe
		return s.render(w, r, http.StatusUnprocessableEntity, "lab_members", "lab.members.title", d)
	}
	http.Redirect(w, r, "/lab/events/"+strconv.FormatInt(e.ID, 10)+"?done=event_added", http.StatusSeeOther)
	return nil
}

func pathID(r *http.Request, what string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return 0, model.NotFound(what)
	}
	return id, nil
}

type labMaterialData struct {
	M        *store.Material
	Comments []store.LabComment
	Member   bool
	Editor   bool
	Own      bool // the reader's organisation shared it: it may propose it for publication
	Body     string
	Errors   model.FieldErrors
}

func (s *Server) labMaterialPage(w http.ResponseWriter, r *http.Request, status int, body string, fe model.FieldErrors) error {
	id, err := pathID(r, "material")
	if err != nil {
		return err
	}
	member, err := s.labMember(r)
	if err != nil {
		return err
	}
	m, err := s.db.Material(r.Context(), id, member)
	if err != nil {
		return err
	}
	editor, err := s.labCan(r, access.LabPublish, "")
	if err != nil {
		return err
	}
	u := currentUser(r)
	d := &labMaterialData{M: m, Member: member, Editor: editor && member, Own: member && u != nil && u.OrgID == m.OrgID, Body: body, Errors: fe}
	// Comments are the members' conversation; the portal shows the item only.
	if member {
		if d.Comments, err = s.db.LabComments(r.Context(), id); err != nil {
			return err
		}
	}
	return s.render(w, r, status, "lab_material", "lab.members.material", d)
}

func (s *Server) labMaterial(w http.ResponseWriter, r *http.Request) error {
	return s.labMaterialPage(w, r, http.StatusOK, "", nil)
}

func (s *Server) labMaterialFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "material")
	if err != nil {
		return err
	}
	member, err := s.labMember(r)
	if err != nil {
		return err
	}
	m, err := s.db.MaterialFile(r.Context(), id, member)
	if err != nil {
		return err
	}
	s.serveDownload(w, r, m.FileName, m.FileType, m.FileSHA256, m.FileSize)
	return nil
}

func (s *Server) labMaterialComment(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireLabMember(r); err != nil {
		return err
	}
	id, err := pathID(r, "material")
	if err != nil {
		return err
	}
	if _, err := s.db.Material(r.Context(), id, true); err != nil {
		return err
	}
	u := currentUser(r)
	err = s.db.AddLabComment(r.Context(), store.ActorOf(u), u, id, r.PostFormValue("body"))
	if fe := fieldErrs(err); fe != nil {
		return s.labMaterialPage(w, r, http.StatusUnprocessableEntity, r.PostFormValue("body"), fe)
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/lab/materials/%d?done=commented#comments", id), http.StatusSeeOther)
	return nil
}

func (s *Server) labPublish(w http.ResponseWriter, r *http.Request, what string, publish func(store.Actor, int64) error) error {
	u := currentUser(r)
	if err := s.requireLabMember(r); err != nil {
		return err
	}
	if ok, err := s.labCan(r, access.LabPublish, ""); err != nil {
		return err
	} else if !ok {
		return store.LabForbidden()
	}
	id, err := pathID(r, what)
	if err != nil {
		return err
	}
	if err := publish(store.ActorOf(u), id); err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/lab/%ss/%d?done=lab_published", what, id), http.StatusSeeOther)
	return nil
}

func (s *Server) labMaterialPublish(w http.ResponseWriter, r *http.Request) error {
	return s.labPublish(w, r, "material", func(a store.Actor, id int64) error { return s.db.PublishMaterial(r.Context(), a, id) })
}

func (s *Server) labEventPublish(w http.ResponseWriter, r *http.Request) error {
	return s.labPublish(w, r, "event", func(a store.Actor, id int64) error { return s.db.PublishEvent(r.Context(), a, id) })
}

type labListData struct {
	Materials []*store.Material
	Events    []*store.LabEvent
	Kinds     []string
	Q, Kind   string
	Member    bool
}

// labMaterials is the portal's list: published materials only, whoever
// asks; members find the rest in their space.
func (s *Server) labMaterials(w http.ResponseWriter, r *http.Request) error {
	q := store.MaterialQuery{Text: r.URL.Query().Get("q"), Kind: r.URL.Query().Get("kind")}
	list, err := s.db.Materials(r.Context(), q)
	if err != nil {
		return err
	}
	member, err := s.labMember(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "lab_materials", "lab.members.materials", &labListData{Materials: list, Kinds: store.MaterialKinds, Q: q.Text, Kind: q.Kind, Member: member})
}

func (s *Server) labEvents(w http.ResponseWriter, r *http.Request) error {
	list, err := s.db.Events(r.Context(), false)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "lab_events", "lab.members.events", &labListData{Events: list})
}

type labEventData struct {
	E         *store.LabEvent
	Practices []*store.Practice
	Materials []*store.Material
	Editor    bool
}

func (s *Server) labEvent(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "event")
	if err != nil {
		return err
	}
	member, err := s.labMember(r)
	if err != nil {
		return err
	}
	e, err := s.db.Event(r.Context(), id, member)
	if err != nil {
		return err
	}
	editor, err := s.labCan(r, access.LabPublish, "")
	if err != nil {
		return err
	}
	d := &labEventData{E: e, Editor: member && editor}
	for _, pid := range e.Practices {
		if p, err := s.db.PracticeByID(r.Context(), pid, false); err == nil {
			d.Practices = append(d.Practices, p)
		}
	}
	if d.Materials, err = s.db.Materials(r.Context(), store.MaterialQuery{Members: member, EventID: id}); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "lab_event", "lab.members.event", d)
}

// labRows returns a published list as a header and rows, for CSV and JSON.
func (s *Server) labRows(r *http.Request, list string) ([]string, [][]string, error) {
	base := baseURL(r)
	switch list {
	case "practices":
		ps, err := s.db.PublishedPractices(r.Context())
		if err != nil {
			return nil, nil, err
		}
		head := []string{"id", "url", "title", "body", "jurisdiction", "stage", "hub", "what_done", "what_changed", "evidence", "tools", "sources", "rights", "technologies", "illustrative", "published_at"}
		var rows [][]string
		for _, p := range ps {
			pub := ""
			if p.PublishedAt != nil {
				pub = p.PublishedAt.UTC().Format(time.RFC3339)
			}
			rows = append(rows, []string{strconv.FormatInt(p.ID, 10), fmt.Sprintf("%s/lab/practices/%d", base, p.ID), p.Title, p.Body, p.Jurisdiction, string(p.Stage), p.Hub,
				p.WhatDone, p.WhatChanged, p.Evidence, p.Tools, p.Sources, strings.Join(p.Rights, " "), strings.Join(p.Technologies, " "), strconv.FormatBool(p.Illustrative), pub})
		}
		return head, rows, nil
	case "materials":
		ms, err := s.db.Materials(r.Context(), store.MaterialQuery{})
		if err != nil {
			return nil, nil, err
		}
		head := []string{"id", "url", "kind", "title", "description", "organisation", "link", "file", "published_at"}
		var rows [][]string
		for _, m := range ms {
			file := ""
			if m.FileName != "" {
				file = fmt.Sprintf("%s/lab/materials/%d/file", base, m.ID)
			}
			rows = append(rows, []string{strconv.FormatInt(m.ID, 10), fmt.Sprintf("%s/lab/materials/%d", base, m.ID), m.Kind, m.Title, m.Description, m.OrgName, m.Link, file,
				m.PublishedAt.Time.UTC().Format(time.RFC3339)})
		}
		return head, rows, nil
	default:
		es, err := s.db.Events(r.Context(), false)
		if err != nil {
			return nil, nil, err
		}
		head := []string{"id", "url", "kind", "title", "starts_on", "place", "agenda", "participants", "outcomes", "practices"}
		var rows [][]string
		for _, e := range es {
			var prs []string
			for _, id := range e.Practices {
				prs = append(prs, fmt.Sprintf("%s/lab/practices/%d", base, id))
			}
			rows = append(rows, []string{strconv.FormatInt(e.ID, 10), fmt.Sprintf("%s/lab/events/%d", base, e.ID), e.Kind, e.Title, e.StartsOn.String(), e.Place,
				e.Agenda, e.Participants, e.Outcomes, strings.Join(prs, " ")})
		}
		return head, rows, nil
	}
}

func (s *Server) labListCSV(list string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		head, rows, err := s.labRows(r, list)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="lab-`+list+`.csv"`)
		cw := csv.NewWriter(w)
		cw.Write(head)
		for _, row := range rows {
			for i := range row {
				row[i] = csvCell(row[i])
			}
			cw.Write(row)
		}
		cw.Flush()
		return cw.Error()
	}
}

func (s *Server) labListJSON(list string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		head, rows, err := s.labRows(r, list)
		if err != nil {
			return err
		}
		out := make([]map[string]string, 0, len(rows))
		for _, row := range rows {
			m := map[string]string{}
			for i, h := range head {
				m[h] = row[i]
			}
			out = append(out, m)
		}
		w.Header().Set("Content-Disposition", `attachment; filename="lab-`+list+`.json"`)
		w.Header().Set("Access-Control-Allow-Origin", "*")
		return writeJSON(w, http.StatusOK, out)
	}
}

// labFeed is an Atom feed of everything published in the Lab.
func (s *Server) labFeed(w http.ResponseWriter, r *http.Request) error {
	news, err := s.db.LabNewsSince(r.Context(), time.Unix(0, 0), 50)
	if err != nil {
		return err
	}
	cat := s.catalog(r)
	base := baseURL(r)
	f := atomFeed{Title: cat.T("lab.members.feed_title"), ID: base + "/lab/feed.atom", Updated: time.Unix(0, 0).UTC().Format(time.RFC3339),
		Link: []atomLink{{Href: base + "/lab/feed.atom", Rel: "self"}, {Href: base + "/lab"}}}
	if len(news) > 0 {
		f.Updated = news[0].At.UTC().Format(time.RFC3339)
	}
	for _, n := range news {
		f.Entries = append(f.Entries, atomEntry{Title: n.Title, ID: base + n.Path + "#" + n.At.UTC().Format("20060102T150405"), Updated: n.At.UTC().Format(time.RFC3339),
			Link: atomLink{Href: base + n.Path}, Summary: cat.T("lab.members.news." + n.Kind)})
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Write([]byte(xml.Header))
	return xml.NewEncoder(w).Encode(f)
}

type labSubscribeData struct {
	Email  string
	Errors model.FieldErrors
	State  string // "", "asked", "confirmed", "unsubscribed", "expired"
	Token  string
}

func (s *Server) labSubscribeForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "lab_subscribe", "lab.members.subscribe", &labSubscribeData{})
}

func (s *Server) labSubscribe(w http.ResponseWriter, r *http.Request) error {
	email := model.CleanLine(r.PostFormValue("email"))
	if !s.subscribeIP.Allow(clientIP(r)) {
		return model.Errorf(model.ERateLimited, "lab.members.too_many", "too many sign-ups from this address; try again later")
	}
	base := s.baseURL
	if base == "" {
		base = baseURL(r)
	}
	lang := s.catalog(r).Lang
	wr := &reminders.Writer{I18n: s.i18n, BaseURL: base}
	err := s.db.Subscribe(r.Context(), email, lang, func(token string) mail.Message { return wr.Confirm(lang, token) })
	if fe := fieldErrs(err); fe != nil {
		return s.render(w, r, http.StatusUnprocessableEntity, "lab_subscribe", "lab.members.subscribe", &labSubscribeData{Email: email, Errors: fe})
	} else if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "lab_subscribe", "lab.members.subscribe", &labSubscribeData{State: "asked"})
}

func (s *Server) labConfirm(w http.ResponseWriter, r *http.Request) error {
	state := "confirmed"
	if err := s.db.ConfirmSubscription(r.Context(), r.URL.Query().Get("token")); err != nil {
		if !isNotFound(err) {
			return err
		}
		state = "expired"
	}
	return s.render(w, r, http.StatusOK, "lab_subscribe", "lab.members.subscribe", &labSubscribeData{State: state})
}

// labUnsubscribeForm asks to confirm with a button, so that mail scanners
// that open links do not unsubscribe people.
func (s *Server) labUnsubscribeForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "lab_subscribe", "lab.members.unsubscribe", &labSubscribeData{State: "unsubscribe", Token: r.URL.Query().Get("token")})
}

func (s *Server) labUnsubscribe(w http.ResponseWriter, r *http.Request) error {
	state := "unsubscribed"
	if err := s.db.Unsubscribe(r.Context(), r.PostFormValue("token")); err != nil {
		if !isNotFound(err) {
			return err
		}
		state = "expired"
	}
	return s.render(w, r, http.StatusOK, "lab_subscribe", "lab.members.unsubscribe", &labSubscribeData{State: state})
}

func isNotFound(err error) bool { return model.ErrorCode(err) == model.ENotFound }
