package web

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// A staff upload is read from the request as it streams. Whatever the
// body, reading it ends in one stored file of an accepted type within the
// limit, or in a problem with the file field (never a server error), and
// a refused upload leaves no chunk behind.
func FuzzOneFile(f *testing.F) {
	part := func(name, filename, content string) string {
		h := "--B\r\nContent-Disposition: form-data; name=\"" + name + "\""
		if filename != "" {
			h += "; filename=\"" + filename + "\""
		}
		return h + "\r\n\r\n" + content + "\r\n"
	}
	for _, s := range []string{
		part("kind", "", "evidence") + part("file", "a.txt", "hello") + "--B--\r\n",
		part("file", "a.pdf", "%PDF-1.4 x") + part("ref", "", "r") + "--B--\r\n",
		part("file", "a.pdf", "%PDF-1.4 "+strings.Repeat("x", 5000)) + "--B--\r\n",
		part("file", "a.exe", "MZ\x90\x00") + "--B--\r\n",
		part("file", "a.txt", "one") + part("file", "b.txt", "two") + "--B--\r\n",
		part("file", "a.txt", "cut short"),
		"--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x\"\r\n\r\n%PDF",
		"",
	} {
		f.Add([]byte(s))
	}
	db := storetest.Open(f, store.SQLite)
	s := &Server{db: db, maxUpload: 4096, log: slog.New(slog.DiscardHandler)}
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest("POST", "/purchases/1/files", bytes.NewReader(body))
		r.Header.Set("Content-Type", "multipart/form-data; boundary=B")
		u, err := s.oneFile(httptest.NewRecorder(), r)
		var pending int
		if qerr := db.QueryRowForTest("SELECT COUNT(*) FROM blob_chunks WHERE blob LIKE 'pending:%'", &pending); qerr != nil || pending != 0 {
			t.Fatalf("%d chunks of unfinished uploads left (%v)", pending, qerr)
		}
		if err != nil {
			var me *model.Error
			if !errors.As(err, &me) || me.Fields["file"] == "" {
				t.Fatalf("not a problem with the file: %v", err)
			}
			return
		}
		if _, ok := allowedTypes[u.CType]; !ok || u.Blob.Size > s.maxUpload || !strings.HasSuffix(u.Name, allowedTypes[u.CType]) {
			t.Fatalf("accepted %+v", u)
		}
		got, rerr := db.ReadBlob(r.Context(), u.Blob.SHA256)
		if rerr != nil || int64(len(got)) != u.Blob.Size || http.DetectContentType(got) != u.CType {
			t.Fatalf("stored %d bytes of %+v (%v)", len(got), u, rerr)
		}
	})
}
