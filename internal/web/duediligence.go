package web

import (
	"context"
	"net/http"
	"sync"

	"buyright/internal/catalog"
	"buyright/internal/screening"
)

// dueDiligence holds the catalogue set in force and every set a screening
// was pinned to, so a purchase screened against an older catalogue is still
// shown with the questions it was answered against. An administrator's
// upload replaces the active set without a restart.
type dueDiligence struct {
	mu     sync.RWMutex
	base   [][]catalog.Source // built-in, plus the server's --catalog-dir
	set    *catalog.Set
	q      *screening.Questionnaire
	byHash map[string]*catalog.Set
}

// assessmentRoutes registers the screening, assessment, report and
// catalogue administration pages.
func (s *Server) assessmentRoutes(member func(string, handlerFunc)) {
	member("GET /purchases/{id}/screening", s.screeningView)
	member("POST /purchases/{id}/screening", s.screeningSave)
	member("POST /purchases/{id}/screening/signoff", s.screeningSignOff)
	member("GET /purchases/{id}/requirements", s.requirementsView)
	member("POST /purchases/{id}/requirements/{req}", s.requirementEvidence)
	member("GET /purchases/{id}/assessment", s.assessmentView)
	member("POST /purchases/{id}/assessment/signoff", s.assessmentSignOff)
	member("POST /purchases/{id}/assessment/{section}", s.assessmentSave)
	member("GET /purchases/{id}/assessment/diff", s.assessmentDiff)
	member("GET /purchases/{id}/assessment/report", s.assessmentReport)
	member("GET /purchases/{id}/assessment.json", s.assessmentJSON)
	member("GET /admin/catalogs", s.catalogAdmin)
	member("POST /admin/catalogs", s.catalogUpload)
	member("POST /admin/catalogs/reset", s.catalogReset)
}

// initDueDiligence loads the catalogue set: base (nil: the built-in one)
// with the administrator's active upload, if any, laid over it. An upload
// that no longer builds over the base (the built-in set changed under it)
// is logged and left out, never half applied.
func (s *Server) initDueDiligence(ctx context.Context, base *catalog.Set) error {
	if base == nil {
		var err error
		if base, err = catalog.Load(""); err != nil {
			return err
		}
	}
	s.dd = &dueDiligence{base: base.Layers(), byHash: map[string]*catalog.Set{}}
	s.dd.activate(base)
	if s.db == nil {
		return nil
	}
	up, err := s.db.ActiveCatalogUpload(ctx)
	if err != nil || up == nil {
		return err
	}
	set, probs := catalog.Build(append(append([][]catalog.Source{}, s.dd.base...), up.Sources)...)
	if len(probs) > 0 {
		s.log.Warn("the active catalogue upload does not build over this release's catalogues; using the built-in set", "upload", up.Name, "problems", probs.Error())
		return nil
	}
	s.dd.activate(set)
	return nil
}

func (d *dueDiligence) activate(set *catalog.Set) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.set, d.q = set, screening.New(set)
	d.byHash[set.Hash()] = set
}

// current returns the active set and its questionnaire.
func (d *dueDiligence) current() (*catalog.Set, *screening.Questionnaire) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.set, d.q
}

// setFor returns the set with hash: a set this server built, or one rebuilt
// from a kept upload; nil when it cannot be found.
func (s *Server) setFor(ctx context.Context, hash string) *catalog.Set {
	s.dd.mu.RLock()
	set := s.dd.byHash[hash]
	s.dd.mu.RUnlock()
	if set != nil || hash == "" {
		return set
	}
	up, err := s.db.CatalogUploadByHash(ctx, hash)
	if err != nil || up == nil {
		return nil
	}
	set, probs := catalog.Build(append(append([][]catalog.Source{}, s.dd.base...), up.Sources)...)
	if len(probs) > 0 || set.Hash() != hash {
		return nil
	}
	s.dd.mu.Lock()
	s.dd.byHash[hash] = set
	s.dd.mu.Unlock()
	return set
}

// requirementTitle names a requirement in English (gate results are stored
// with overrides in English); the id alone if the catalogue lost it.
func (s *Server) requirementTitle(id string) string {
	set, _ := s.dd.current()
	if it, ok := set.Item(id); ok {
		return it.Title.In("en")
	}
	return id
}

// itemTitle names a catalogue item in the reader's language.
func itemTitle(set *catalog.Set, id, lang string) string {
	if set != nil {
		if it, ok := set.Item(id); ok {
			return it.Title.In(lang)
		}
	}
	return id
}

func langOf(r *http.Request, s *Server) string { return s.catalog(r).Lang }
