package web

import (
	"net/http"
	"strconv"

	"buyright/internal/model"
	"buyright/internal/store"
)

type labPracticesData struct {
	Query  store.PracticeQuery
	Result *store.PracticeResult
	Active bool
}

func labPracticeQuery(r *http.Request) store.PracticeQuery {
	v := r.URL.Query()
	q := store.PracticeQuery{Text: model.CleanLine(v.Get("q"))}
	if len(q.Text) > 200 {
		q.Text = q.Text[:200]
	}
	if st := model.Stage(v.Get("stage")); st.Index() >= 0 {
		q.Stage = string(st)
	}
	pick := func(val string, list []string) string {
		for _, x := range list {
			if x == val {
				return x
			}
		}
		return ""
	}
	q.Hub = pick(v.Get("hub"), store.Hubs)
	q.Right = pick(v.Get("right"), store.PracticeRights)
	q.Technology = pick(v.Get("tech"), store.PracticeTechnologies)
	if j := v.Get("j"); len(j) <= 8 {
		q.Jurisdiction = model.CleanLine(j)
	}
	return q
}

func (s *Server) labPractices(w http.ResponseWriter, r *http.Request) error {
	q := labPracticeQuery(r)
	res, err := s.db.SearchPractices(r.Context(), q)
	if err != nil {
		return err
	}
	active := q != (store.PracticeQuery{})
	return s.render(w, r, http.StatusOK, "lab_practices", "lab.practices_title", labPracticesData{Query: q, Result: res, Active: active})
}

func (s *Server) labPractice(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return model.NotFound("practice")
	}
	p, err := s.db.PracticeByID(r.Context(), id, false)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "lab_practice", "lab.practice_title", p)
}

// labStageGroup is the practices of one lifecycle stage in a hub report.
type labStageGroup struct {
	Stage     model.Stage
	Practices []*store.Practice
}

func (s *Server) labHub(w http.ResponseWriter, r *http.Request) error {
	hub := r.PathValue("hub")
	known := false
	for _, h := range store.Hubs {
		known = known || h == hub
	}
	if !known {
		return model.NotFound("hub")
	}
	res, err := s.db.SearchPractices(r.Context(), store.PracticeQuery{Hub: hub})
	if err != nil {
		return err
	}
	var groups []labStageGroup
	for _, st := range model.Stages {
		g := labStageGroup{Stage: st}
		for _, p := range res.Practices {
			if p.Stage == st {
				g.Practices = append(g.Practices, p)
			}
		}
		groups = append(groups, g)
	}
	return s.render(w, r, http.StatusOK, "lab_hub", "lab.hub_title", map[string]any{"Hub": hub, "Groups": groups, "Total": len(res.Practices),
		"Rights": res.Facets["right"], "Jurisdictions": res.Facets["jurisdiction"]})
}

// labSynthesis is the cross-hub view: counts per hub and stage, and the
// rights and technologies that recur in more than one hub.
type labSynthesis struct {
	Hubs    []string
	Stages  []model.Stage
	Counts  map[string]map[model.Stage]int
	Totals  map[string]int
	Threads []labThread
}

type labThread struct {
	Kind, Value string
	Hubs        []string
}

func (s *Server) labHubs(w http.ResponseWriter, r *http.Request) error {
	res, err := s.db.SearchPractices(r.Context(), store.PracticeQuery{})
	if err != nil {
		return err
	}
	d := labSynthesis{Hubs: store.Hubs, Stages: model.Stages, Counts: map[string]map[model.Stage]int{}, Totals: map[string]int{}}
	for _, h := range store.Hubs {
		d.Counts[h] = map[model.Stage]int{}
	}
	seen := map[string]map[string]bool{} // "right:x" → hubs
	note := func(kind, v, hub string) {
		k := kind + ":" + v
		if seen[k] == nil {
			seen[k] = map[string]bool{}
		}
		seen[k][hub] = true
	}
	for _, p := range res.Practices {
		d.Counts[p.Hub][p.Stage]++
		d.Totals[p.Hub]++
		note("stage", string(p.Stage), p.Hub)
		for _, x := range p.Rights {
			note("right", x, p.Hub)
		}
		for _, x := range p.Technologies {
			note("tech", x, p.Hub)
		}
	}
	for _, kind := range []string{"right", "tech", "stage"} {
		var values []string
		switch kind {
		case "right":
			values = store.PracticeRights
		case "tech":
			values = store.PracticeTechnologies
		default:
			for _, st := range model.Stages {
				values = append(values, string(st))
			}
		}
		for _, v := range values {
			hubs := seen[kind+":"+v]
			if len(hubs) < 2 {
				continue
			}
			t := labThread{Kind: kind, Value: v}
			for _, h := range store.Hubs {
				if hubs[h] {
					t.Hubs = append(t.Hubs, h)
				}
			}
			d.Threads = append(d.Threads, t)
		}
	}
	return s.render(w, r, http.StatusOK, "lab_hubs", "lab.hubs_title", d)
}
