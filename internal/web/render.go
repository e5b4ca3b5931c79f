package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"sync"

	"buyright/internal/i18n"
	"buyright/internal/model"
)

//go:embed templates
var templateFS embed.FS

// pages holds the page templates per language, each with that language's
// translation functions bound. A page is cloned from the parsed set the
// first time it is shown in a language, then kept, so a server starts
// without copying every page four times and requests after the first
// never clone.
type pages struct {
	base  map[string]*template.Template
	funcs map[string]template.FuncMap // by language
	mu    sync.RWMutex
	ready map[string]*template.Template // lang + "/" + name
}

// get returns page name in lang, or nil when there is no such page.
func (p *pages) get(lang, name string) (*template.Template, error) {
	key := lang + "/" + name
	p.mu.RLock()
	t, ok := p.ready[key]
	p.mu.RUnlock()
	if ok {
		return t, nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if t, ok := p.ready[key]; ok {
		return t, nil
	}
	b, ok := p.base[name]
	fm, known := p.funcs[lang]
	if !ok || !known {
		return nil, nil
	}
	c, err := b.Clone()
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", name, err)
	}
	c.Funcs(fm)
	p.ready[key] = c
	return c, nil
}

// parsed holds every page parsed once per process: the templates are
// embedded, so their parse trees never change. Servers clone a page per
// language when they first show it (tests start hundreds of servers, and
// parsing everything for each one was most of their cost).
var parsed struct {
	once  sync.Once
	pages map[string]*template.Template
	err   error
}

// parseOnce parses layout.html and the partials (partial_*.html) with each
// page; a page is any other file in templates/. The functions bound here
// only give the parser their names; parsePages binds the real ones.
func parseOnce(b *i18n.Bundle, sf *staticFiles) (map[string]*template.Template, error) {
	parsed.once.Do(func() {
		entries, err := fs.ReadDir(templateFS, "templates")
		if err != nil {
			parsed.err = err
			return
		}
		shared := []string{"templates/layout.html"}
		var names []string
		for _, e := range entries {
			switch n := e.Name(); {
			case n == "layout.html":
			case strings.HasPrefix(n, "partial_"):
				shared = append(shared, "templates/"+n)
			default:
				names = append(names, strings.TrimSuffix(n, ".html"))
			}
		}
		parsed.pages = map[string]*template.Template{}
		fm := funcs(b.Catalog(i18n.Default), sf, 0) // for parsing only
		for _, name := range names {
			t, err := template.New("layout.html").Option("missingkey=zero").Funcs(fm).ParseFS(templateFS, append(shared, "templates/"+name+".html")...)
			if err != nil {
				parsed.err = fmt.Errorf("template %s: %w", name, err)
				return
			}
			parsed.pages[name] = t
		}
	})
	return parsed.pages, parsed.err
}

// parsePages prepares the pages of a server: every template is parsed (and
// so checked) before it starts; each language's copy is made on first use.
func parsePages(b *i18n.Bundle, sf *staticFiles, uploadMB int64) (*pages, error) {
	base, err := parseOnce(b, sf)
	if err != nil {
		return nil, err
	}
	p := &pages{base: base, funcs: map[string]template.FuncMap{}, ready: map[string]*template.Template{}}
	for _, lang := range b.Langs() {
		p.funcs[lang] = funcs(b.Catalog(lang), sf, uploadMB)
	}
	return p, nil
}

// view is what every page template receives.
type view struct {
	Title  string // already translated
	User   *model.User
	Lang   string
	Langs  []langChoice
	Path   string // current request URI, for the language chooser's return
	Notice string // translation key of a one-time message
	Data   any
}

type langChoice struct {
	Code, Name string
	Current    bool
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// render writes a page with status. It renders into a buffer first, so a
// template error never leaves half a page on the wire.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, titleKey string, data any) error {
	cat := s.catalog(r)
	t, err := s.pages.get(cat.Lang, name)
	if err != nil {
		return err
	}
	if t == nil {
		return fmt.Errorf("web: no template %q", name)
	}
	title := cat.T(titleKey)
	if status == http.StatusUnprocessableEntity {
		// A form that came back with problems says so in the tab's title,
		// the first thing a screen reader announces (WCAG 2.4.2).
		title = cat.T("title.error_prefix") + title
	}
	v := view{Title: title, User: currentUser(r), Lang: cat.Lang, Path: r.URL.RequestURI(), Data: data,
		Notice: noticeKey(r.URL.Query().Get("done"))}
	for _, l := range s.i18n.Langs() {
		v.Langs = append(v.Langs, langChoice{Code: l, Name: s.i18n.Catalog(l).Name, Current: l == cat.Lang})
	}
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	if err := t.Execute(buf, v); err != nil {
		return fmt.Errorf("web: rendering %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err = w.Write(buf.Bytes())
	return err
}

// noticeKey maps the ?done= word of a redirect after a successful POST to
// its message. Unknown words show nothing, so the URL cannot inject text.
func noticeKey(done string) string {
	switch done {
	case "created", "saved", "moved", "commented", "invited", "password", "token_revoked", "user_created", "user_saved", "org_created", "remit_saved",
		"published", "requested", "finding", "task", "responded", "followed", "unfollowed", "opened", "answered", "hidden", "reported", "waived", "consult_created", "consult_invited", "impact_added",
		"answer_proposed", "practice_proposed", "shared", "event_added", "lab_published", "proposed_publication":
		return "notice." + done
	}
	return ""
}
