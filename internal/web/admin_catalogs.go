package web

import (
	"errors"
	"io"
	"net/http"
	"path"
	"strings"

	"buyright/internal/access"
	"buyright/internal/catalog"
	"buyright/internal/model"
	"buyright/internal/store"
)

// maxCatalogUpload bounds an upload: the whole built-in set is about 200 KB.
const maxCatalogUpload = 2 << 20

type catalogRow struct {
	ID, Title, Version, Files string
	Items                     int
}

type catalogAdminData struct {
	Hash     string
	Catalogs []catalogRow
	Uploads  []*store.CatalogUpload
	Problems []string
	Errors   map[string]string
	Name     string
}

func (s *Server) catalogAdminPage(w http.ResponseWriter, r *http.Request, status int, d *catalogAdminData) error {
	set, _ := s.dd.current()
	lang := langOf(r, s)
	d.Hash = set.Hash()
	for _, c := range set.Catalogs() {
		d.Catalogs = append(d.Catalogs, catalogRow{ID: c.ID, Title: c.Title.In(lang), Version: c.Version, Files: strings.Join(c.Files, ", "), Items: len(c.Items)})
	}
	var err error
	if d.Uploads, err = s.db.CatalogUploads(r.Context()); err != nil {
		return err
	}
	return s.render(w, r, status, "admin_catalogs", "catalogs.title", d)
}

func (s *Server) catalogAdmin(w http.ResponseWriter, r *http.Request) error {
	if !access.CanAdminSite(currentUser(r)) {
		return model.Forbidden()
	}
	return s.catalogAdminPage(w, r, http.StatusOK, &catalogAdminData{})
}

// catalogUpload lints the uploaded YAML files laid over the built-in set and
// activates them only when the whole set is clean; otherwise it lists every
// problem as file:line: message and nothing changes.
func (s *Server) catalogUpload(w http.ResponseWriter, r *http.Request) error {
	if !access.CanAdminSite(currentUser(r)) {
		return model.Forbidden()
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxCatalogUpload+64<<10)
	d := &catalogAdminData{Errors: map[string]string{}}
	if err := r.ParseMultipartForm(maxCatalogUpload); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			d.Errors["catalog_files"] = "catalogs.too_big"
		} else {
			d.Errors["catalog_files"] = "catalogs.no_files"
		}
		return s.catalogAdminPage(w, r, http.StatusUnprocessableEntity, d)
	}
	d.Name = model.CleanLine(r.FormValue("name"))
	var sources []catalog.Source
	for _, fh := range r.MultipartForm.File["catalog_files"] {
		name := path.Base(strings.ReplaceAll(fh.Filename, "\\", "/"))
		if !strings.HasSuffix(name, ".yaml") && !strings.HasSuffix(name, ".yml") {
			d.Errors["catalog_files"] = "catalogs.not_yaml"
			continue
		}
		f, err := fh.Open()
		if err != nil {
			return err
		}
		b, err := io.ReadAll(io.LimitReader(f, maxCatalogUpload+1))
		f.Close()
		if err != nil {
			return err
		}
		sources = append(sources, catalog.Source{Name: "upload/" + name, Data: b})
	}
	if len(sources) == 0 && d.Errors["catalog_files"] == "" {
		d.Errors["catalog_files"] = "catalogs.no_files"
	}
	if d.Name == "" {
		d.Name = sources0(sources)
	}
	if model.TooLong(d.Name, 200) {
		d.Errors["name"] = "invalid.too_long"
	}
	if len(d.Errors) > 0 {
		return s.catalogAdminPage(w, r, http.StatusUnprocessableEntity, d)
	}
	set, probs := catalog.Build(append(append([][]catalog.Source{}, s.dd.base...), sources)...)
	if len(probs) > 0 {
		for _, p := range probs {
			d.Problems = append(d.Problems, p.String())
		}
		d.Errors["catalog_files"] = "catalogs.problems"
		return s.catalogAdminPage(w, r, http.StatusUnprocessableEntity, d)
	}
	if err := s.db.SaveCatalogUpload(r.Context(), store.ActorOf(currentUser(r)), d.Name, set.Hash(), sources); err != nil {
		return err
	}
	s.dd.activate(set)
	http.Redirect(w, r, "/admin/catalogs?done=saved", http.StatusSeeOther)
	return nil
}

func sources0(src []catalog.Source) string {
	if len(src) == 0 {
		return ""
	}
	return strings.TrimPrefix(src[0].Name, "upload/")
}

// catalogReset goes back to the server's own catalogues, keeping uploads.
func (s *Server) catalogReset(w http.ResponseWriter, r *http.Request) error {
	if !access.CanAdminSite(currentUser(r)) {
		return model.Forbidden()
	}
	if err := s.db.DeactivateCatalogUploads(r.Context(), store.ActorOf(currentUser(r))); err != nil {
		return err
	}
	base, probs := catalog.Build(s.dd.base...)
	if len(probs) > 0 {
		return probs
	}
	s.dd.activate(base)
	http.Redirect(w, r, "/admin/catalogs?done=saved", http.StatusSeeOther)
	return nil
}
