package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed static
var staticFS embed.FS

// staticFiles serves the embedded assets under content-hashed names
// (style.3f2a9c1e.css), so browsers may cache them forever and a new
// release still reaches them at once.
type staticFiles struct {
	byHashed map[string]asset  // hashed name → asset
	urls     map[string]string // plain name → /static/hashed name
}

type asset struct {
	body  []byte
	ctype string
}

func loadStatic() (*staticFiles, error) {
	sf := &staticFiles{byHashed: map[string]asset{}, urls: map[string]string{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		name := path.Base(p)
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:4]) + ext
		sf.byHashed[hashed] = asset{body: b, ctype: mime.TypeByExtension(ext)}
		sf.urls[name] = "/static/" + hashed
		return nil
	})
	return sf, err
}

// URL returns the cache-busting URL of a plain asset name.
func (sf *staticFiles) URL(name string) string { return sf.urls[name] }

func (sf *staticFiles) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a, ok := sf.byHashed[r.PathValue("file")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", a.ctype)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Write(a.body)
}
