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

// pages holds every page template, parsed once per language so that the
// translation function is bound at parse time and requests never clone.
type pages struct {
	byLang map[string]map[string]*template.Template
}

// parsePages parses layout.html and the partials (partial_*.html) with each page.
// A page is any other file in templates/.
func parsePages(b *i18n.Bundle, sf *staticFiles) (*pages, error) {
	entries, err := fs.ReadDir(templateFS, "templates")
	if err != nil {
		return nil, err
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
	p := &pages{byLang: map[string]map[string]*template.Template{}}
	for _, lang := range b.Langs() {
		cat := b.Catalog(lang)
		p.byLang[lang] = map[string]*template.Template{}
		for _, name := range names {
			t := template.New("layout.html").Option("missingkey=zero").Funcs(funcs(cat, sf))
			t, err := t.ParseFS(templateFS, append(shared, "templates/"+name+".html")...)
			if err != nil {
				return nil, fmt.Errorf("template %s: %w", name, err)
			}
			p.byLang[lang][name] = t
		}
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
	t := s.pages.byLang[cat.Lang][name]
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
	_, err := w.Write(buf.Bytes())
	return err
}

// noticeKey maps the ?done= word of a redirect after a successful POST to
// its message. Unknown words show nothing, so the URL cannot inject text.
func noticeKey(done string) string {
	switch done {
	case "created", "saved", "moved", "commented", "invited", "password", "token_revoked", "user_created", "user_saved", "org_created", "remit_saved",
		"published", "requested", "finding", "task", "responded", "followed", "unfollowed", "opened", "answered", "hidden", "reported", "waived", "consult_created", "consult_invited", "impact_added":
		return "notice." + done
	}
	return ""
}
