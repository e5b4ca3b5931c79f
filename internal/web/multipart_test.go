package web_test

import (
	"io"
	"mime/multipart"
	"net/http"
	"strings"
)

type mpWriter struct{ w *multipart.Writer }

func newMultipart(b *strings.Builder) *mpWriter { return &mpWriter{multipart.NewWriter(b)} }
func (m *mpWriter) field(k, v string)           { m.w.WriteField(k, v) }
func (m *mpWriter) file(field, name string, data []byte) {
	fw, _ := m.w.CreateFormFile(field, name)
	fw.Write(data)
}
func (m *mpWriter) close()              { m.w.Close() }
func (m *mpWriter) contentType() string { return m.w.FormDataContentType() }

// postFile sends a multipart form with fields and one file as a person
// and returns the status, the page and the headers.
func (w *world) postFile(name, path string, fields map[string]string, fileField, fileName string, data []byte) (int, string, http.Header) {
	w.t.Helper()
	var b strings.Builder
	mw := newMultipart(&b)
	for k, v := range fields {
		mw.field(k, v)
	}
	mw.file(fileField, fileName, data)
	mw.close()
	req, _ := http.NewRequest("POST", w.srv.URL+path, strings.NewReader(b.String()))
	req.Header.Set("Content-Type", mw.contentType())
	req.AddCookie(w.signIn(name))
	resp, err := client().Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}
