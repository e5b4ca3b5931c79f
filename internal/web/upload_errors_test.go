package web_test

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"strings"
	"testing"

	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// postBody sends a raw body with a content type as a person.
func (w *world) postBody(name, path, ctype, body string) (int, string) {
	w.t.Helper()
	req, _ := http.NewRequest("POST", w.srv.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", ctype)
	if name != "" {
		req.AddCookie(w.signIn(name))
	}
	resp, err := client().Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, html.UnescapeString(string(b))
}

// A broken upload says what is wrong with it: only a body that is really
// too large is called "larger than 5 MB".
func TestUploadErrorsSayWhatIsWrong(t *testing.T) {
	w := newWorld(t, storetest.Open(t, store.SQLite))
	p := w.purchase("Uploads")
	path := fmt.Sprintf("/purchases/%d/files", p.ID)
	const tooBig = "larger than 5 MB"
	part := "--XyZ\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nevidence\r\n" +
		"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nhello"
	cases := []struct {
		what, ctype, body, want string
	}{
		{"cut short (no closing boundary)", "multipart/form-data; boundary=XyZ", part, "incomplete or malformed"},
		{"no boundary", "multipart/form-data", part + "\r\n--XyZ--\r\n", "incomplete or malformed"},
		{"wrong boundary", "multipart/form-data; boundary=Other", part + "\r\n--XyZ--\r\n", "incomplete or malformed"},
		{"not a file upload", "application/x-www-form-urlencoded", "kind=evidence", "not sent as a file upload"},
		{"too large", "multipart/form-data; boundary=XyZ", part + strings.Repeat("x", 7<<20) + "\r\n--XyZ--\r\n", tooBig},
	}
	for _, c := range cases {
		status, page := w.postBody("city_officer", path, c.ctype, c.body)
		if status != 422 || !strings.Contains(page, c.want) {
			t.Errorf("%s: %d, page does not say %q", c.what, status, c.want)
		}
		if c.want != tooBig && strings.Contains(page, tooBig) {
			t.Errorf("%s: still reported as %q", c.what, tooBig)
		}
	}
	// The same words on the other upload forms: the complaint form (public),
	// a monitoring CSV.
	broken := part
	for _, f := range []struct{ who, path, field string }{
		{"", "/complaints/new", ""},
		{"city_officer", fmt.Sprintf("/purchases/%d/monitoring/csv", p.ID), "csv"},
	} {
		status, page := w.postBody(f.who, f.path, "multipart/form-data; boundary=XyZ", broken)
		if status != 422 || !strings.Contains(page, "incomplete or malformed") || strings.Contains(page, "too large") || strings.Contains(page, tooBig) {
			t.Errorf("%s, cut short: %d %.400s", f.path, status, page)
		}
	}
	// A monitoring CSV has a limit of its own (1 MB), and says so.
	big := "period,group,favourable,total\n" + strings.Repeat("2026-01,a,1,2\n", 90_000)
	if s, page := w.uploadCSV(p, "big.csv", big); s != 422 || !strings.Contains(page, "larger than 1 MB") || strings.Contains(page, tooBig) {
		t.Errorf("CSV over 1 MB: %d, page does not name its limit", s)
	}
	// A good file still goes in.
	if s, body, _ := w.postFile("city_officer", path, map[string]string{"kind": "evidence"}, "file", "a.txt", []byte("hello")); s != 303 {
		t.Fatalf("good upload: %d %.300s", s, body)
	}
}
