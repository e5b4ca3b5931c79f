package web

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path"
	"strconv"
	"time"

	"buyright/internal/model"
	"buyright/internal/ocdsio"
	"buyright/ocds/extension"
)

// ocdsPageSize is how many releases one page of /api/v1/ocds/releases holds.
const ocdsPageSize = 100

func (s *Server) ocdsExporter(r *http.Request) *ocdsio.Exporter {
	return &ocdsio.Exporter{BaseURL: baseURL(r), Prefix: s.ocdsPrefix()}
}

// ocdsPrefix is the ocid prefix of purchases without an ocid of their own;
// BUYRIGHT_OCDS_PREFIX sets it (a publisher registers its own).
func (s *Server) ocdsPrefix() string {
	if s.ocidPrefix != "" {
		return s.ocidPrefix
	}
	return os.Getenv("BUYRIGHT_OCDS_PREFIX")
}

// flagPlaceholder tells the reader of an export when its ocids use the
// unregistered placeholder prefix: in a header on every OCDS download, and
// in the release package itself.
func (s *Server) flagPlaceholder(w http.ResponseWriter, pkg *ocdsio.Package) {
	if !ocdsio.IsPlaceholder(s.ocdsPrefix()) {
		return
	}
	w.Header().Set("Buyright-Warning", ocdsio.PlaceholderWarning)
	if pkg != nil {
		pkg.PlaceholderPrefix = ocdsio.PlaceholderWarning
	}
}

// ocdsReleases answers GET /api/v1/ocds/releases?page=N: one OCDS release
// package of the published purchases, in id order, with a link to the
// next page. Public, like the register.
func (s *Server) ocdsReleases(w http.ResponseWriter, r *http.Request) error {
	page := 1
	if v := r.URL.Query().Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1_000_000 {
			return model.Errorf(model.EInvalid, "error.invalid", "page must be a whole number from 1")
		}
		page = n
	}
	ctx := r.Context()
	total, err := s.db.CountPublished(ctx)
	if err != nil {
		return err
	}
	pps, err := s.db.PublishedPurchases(ctx, -1, (page-1)*ocdsPageSize, ocdsPageSize)
	if err != nil {
		return err
	}
	x := s.ocdsExporter(r)
	base := baseURL(r)
	self := func(n int) string { return fmt.Sprintf("%s/api/v1/ocds/releases?page=%d", base, n) }
	pkg := &ocdsio.Package{
		URI: self(page), Version: "1.1", Extensions: []string{x.ExtensionURL()},
		PublishedDate: time.Now().UTC().Format("2006-01-02T15:04:05Z"),
		Publisher:     ocdsio.Publisher{Name: "buyright public register (" + r.Host + ")", URI: base + "/register"},
		Releases:      make([]*ocdsio.Release, 0, len(pps)),
	}
	for _, pp := range pps {
		pkg.Releases = append(pkg.Releases, x.Release(pp))
	}
	links := &ocdsio.Links{}
	if (page-1)*ocdsPageSize+len(pps) < total {
		links.Next = self(page + 1)
	}
	if page > 1 {
		links.Prev = self(page - 1)
	}
	if links.Next != "" || links.Prev != "" {
		pkg.Links = links
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	s.flagPlaceholder(w, pkg)
	return writeJSON(w, http.StatusOK, pkg)
}

// ocdsReleasesJSONL streams every published purchase as one OCDS release a
// line, reading the register a batch at a time.
func (s *Server) ocdsReleasesJSONL(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	x := s.ocdsExporter(r)
	w.Header().Set("Content-Type", "application/x-ndjson; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="releases.jsonl"`)
	s.flagPlaceholder(w, nil)
	w.Header().Set("Access-Control-Allow-Origin", "*")
	bw := bufio.NewWriterSize(w, 64<<10)
	var after int64
	var line []byte
	for {
		pps, err := s.db.PublishedPurchases(ctx, after, 0, 500)
		if err != nil {
			return err
		}
		for _, pp := range pps {
			if line, err = ocdsio.AppendJSON(line[:0], x.Release(pp)); err != nil {
				return err
			}
			if _, err := bw.Write(line); err != nil {
				return nil // the client went away
			}
			after = pp.Purchase.ID
		}
		if len(pps) < 500 {
			break
		}
	}
	bw.Flush()
	return nil
}

// ocdsExtension serves the extension's files. extension.json is served with
// its documentationUrl pointing at this server's copy of the README.
func (s *Server) ocdsExtension(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("file")
	b, err := fs.ReadFile(extension.Files, name)
	if err != nil || !fs.ValidPath(name) {
		return model.NotFound("file")
	}
	switch path.Ext(name) {
	case ".json":
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		if name == "extension.json" {
			b = bytes.Replace(b, []byte(ocdsio.DocumentationURL), []byte(baseURL(r)+ocdsio.ExtensionPath+"README.md"), 1)
		}
	case ".csv":
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	default:
		w.Header().Set("Content-Type", "text/markdown; charset=utf-8")
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Write(b)
	return nil
}
