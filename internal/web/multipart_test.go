package web_test

import (
	"mime/multipart"
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
