package web_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"buyright/internal/store"
	"buyright/internal/store/storetest"
	"buyright/internal/web"
)

// A server started with another upload limit (serve --max-upload-mb) takes
// files up to that limit and, past it, says the limit it has, in the
// reader's language; the hint beside the file field states it too. The
// public complaint form keeps its own 5 MB.
func TestUploadLimitIsTheConfiguredOne(t *testing.T) {
	w := newWorldWith(t, storetest.Open(t, store.SQLite), func(c *web.Config) { c.MaxUploadBytes = 2 << 20 })
	p := w.purchase("Uploads with a 2 MB limit")
	path := fmt.Sprintf("/purchases/%d/files", p.ID)
	big := []byte(strings.Repeat("x", 3<<20))
	status, page, _ := w.postFile("city_officer", path, map[string]string{"kind": "evidence"}, "file", "big.txt", big)
	if status != 422 || !strings.Contains(page, "The file is larger than 2 MB.") || strings.Contains(page, "5 MB") {
		t.Fatalf("3 MB file under a 2 MB limit: %d, page does not say the 2 MB limit: %.600s", status, page)
	}
	if s, body, _ := w.postFile("city_officer", path, map[string]string{"kind": "evidence"}, "file", "fits.txt", []byte(strings.Repeat("y", 3<<19))); s != 303 {
		t.Fatalf("1.5 MB file under a 2 MB limit: %d %.300s", s, body)
	}
	if hint := w.page("city_officer", fmt.Sprintf("/purchases/%d/contract", p.ID)); !strings.Contains(hint, "up to 2 MB") {
		t.Errorf("the contract page's file hint does not state 2 MB")
	}
	for lang, want := range map[string]string{"fr": "Le fichier dépasse 2 Mo.", "es": "El archivo ocupa más de 2 MB.", "pt": "O ficheiro tem mais de 2 MB."} {
		var b strings.Builder
		mw := newMultipart(&b)
		mw.field("kind", "evidence")
		mw.file("file", "big.txt", big)
		mw.close()
		req, _ := http.NewRequest("POST", w.srv.URL+path, strings.NewReader(b.String()))
		req.Header.Set("Content-Type", mw.contentType())
		req.Header.Set("Accept-Language", lang)
		req.AddCookie(w.signIn("city_officer"))
		resp, err := client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 422 || !strings.Contains(string(page), want) {
			t.Errorf("%s: %d, page does not say %q", lang, resp.StatusCode, want)
		}
	}
	if page := w.page("", "/complaints/new"); !strings.Contains(page, "5 MB each") {
		t.Errorf("the public complaint form no longer states its own 5 MB")
	}
}
