package web

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"buyright/internal/model"
	"buyright/internal/store"
)

// Uploads from anyone (complaints) and from staff (engagement minutes,
// evidence) pass the same checks: a size limit, a type decided by the
// content and never by the name or the browser's claim, and a clean name.

// maxFileBytes bounds each file of the public forms (complaints,
// consultation responses); staff uploads take the server's limit
// (Config.MaxUploadBytes, by default the same).
const (
	maxFileBytes        = 5 << 20
	defaultMaxFileBytes = maxFileBytes
)

// allowedTypes are the attachment types accepted, by sniffed content type.
var allowedTypes = map[string]string{
	"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg", "text/plain; charset=utf-8": ".txt",
}

// upload is a checked file, stored already as a blob (store.PutBlob) that
// the row about to be added names.
type upload struct {
	Name, CType string
	Blob        store.Blob
}

// storeUpload checks one file's type from its first bytes, before
// anything is stored, then streams it into the blob store; more than
// limit bytes stop it and leave nothing. It returns the translation key
// of the problem, or "" when the file was stored.
func (s *Server) storeUpload(r *http.Request, filename string, content io.Reader, limit int64) (upload, string, error) {
	head := make([]byte, 512)
	n, err := store.Fill(content, head)
	if err != nil {
		return upload{}, s.readProblem(err, limit), nil
	}
	head = head[:n]
	ctype := http.DetectContentType(head)
	ext, ok := allowedTypes[ctype]
	if !ok {
		return upload{}, "upload.type", nil
	}
	b, err := s.db.PutBlob(r.Context(), io.MultiReader(bytes.NewReader(head), content), limit)
	switch {
	case errors.Is(err, store.ErrBlobTooBig):
		return upload{}, s.tooBig(limit), nil
	case errors.Is(err, store.ErrBlobRead):
		return upload{}, s.readProblem(err, limit), nil
	case err != nil:
		return upload{}, "", err
	}
	return upload{Name: safeFileName(filename, ext), CType: ctype, Blob: b}, "", nil
}

// tooBigLimit is the refusal of a file over the server's limit
// (--max-upload-mb): the page fills in the limit configured.
const tooBigLimit = "upload.too_big_limit"

// tooBig is the refusal of a file over limit: the server's limit is
// stated as configured; the public forms' fixed limit has its own words.
func (s *Server) tooBig(limit int64) string {
	if limit == s.maxUpload {
		return tooBigLimit
	}
	return "upload.too_big"
}

// uploadMB is the server's upload limit in whole MB, as pages state it.
func (s *Server) uploadMB() int64 { return max(1, s.maxUpload>>20) }

// readProblem names what went wrong reading an upload from the request.
func (s *Server) readProblem(err error, limit int64) string {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return s.tooBig(limit)
	}
	return "upload.malformed"
}

// checkUpload stores one file of a form read with ParseMultipartForm
// (forms with several files or many fields; a large file waits in a
// temporary file, not in memory).
func (s *Server) checkUpload(r *http.Request, h *multipart.FileHeader, limit int64) (upload, string, error) {
	if h.Size > limit {
		return upload{}, s.tooBig(limit), nil
	}
	f, err := h.Open()
	if err != nil {
		return upload{}, "", err
	}
	defer f.Close()
	return s.storeUpload(r, h.Filename, f, limit)
}

// oneFile reads a multipart form that carries exactly one checked file in
// the field "file" (a staff upload to a purchase), streaming the file
// from the request into the blob store as it arrives; the other form
// values are then in r.FormValue. Problems come back as field errors. A
// form parsed already (requirements.go) is read from r.MultipartForm.
func (s *Server) oneFile(w http.ResponseWriter, r *http.Request) (upload, error) {
	if r.MultipartForm != nil {
		heads := r.MultipartForm.File["file"]
		if len(heads) != 1 {
			return upload{}, model.FieldErrors{"file": "invalid.required"}.Err()
		}
		u, problem, err := s.checkUpload(r, heads[0], s.maxUpload)
		if err == nil && problem != "" {
			err = model.FieldErrors{"file": problem}.Err()
		}
		return u, err
	}
	// A body announced larger than any acceptable form is refused before
	// a byte of it is read.
	if r.ContentLength > s.maxUpload+formSlack {
		return upload{}, s.noFile(r, model.FieldErrors{"file": tooBigLimit})
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.maxUpload+formSlack)
	mr, err := r.MultipartReader()
	if err != nil {
		return upload{}, s.noFile(r, model.FieldErrors{"file": multipartProblem(err, tooBigLimit)})
	}
	values := url.Values{}
	var got []upload
	var problem string
	for room := int64(formSlack); ; {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return upload{}, s.noFile(r, model.FieldErrors{"file": multipartProblem(err, tooBigLimit)})
		}
		if part.FileName() == "" {
			v, err := io.ReadAll(io.LimitReader(part, room+1))
			if room -= int64(len(v)); err != nil || room < 0 {
				return upload{}, s.noFile(r, model.FieldErrors{"file": tooBigLimit})
			}
			values.Add(part.FormName(), string(v))
			continue
		}
		if part.FormName() != "file" || problem != "" {
			continue
		}
		u, p, err := s.storeUpload(r, part.FileName(), part, s.maxUpload)
		if err != nil {
			return upload{}, err
		}
		if problem = p; p == "" {
			got = append(got, u)
		}
	}
	s.setForm(r, values)
	switch {
	case problem != "":
		return upload{}, model.FieldErrors{"file": problem}.Err()
	case len(got) != 1:
		return upload{}, model.FieldErrors{"file": "invalid.required"}.Err()
	}
	return got[0], nil
}

// formSlack is the room a form's other fields and part headers may take
// beside its file.
const formSlack = 1 << 20

// setForm makes the values read from a streamed form (and the URL's
// query) what r.FormValue and r.PostFormValue return.
func (s *Server) setForm(r *http.Request, values url.Values) {
	r.PostForm = values
	r.Form = url.Values{}
	for k, v := range r.URL.Query() {
		r.Form[k] = v
	}
	for k, v := range values {
		r.Form[k] = append(r.Form[k], v...)
	}
	r.MultipartForm = &multipart.Form{Value: values}
}

// noFile ends a streamed form that cannot be read: the problem is the
// file's, and r.MultipartForm stays nil to say that no value was read.
func (s *Server) noFile(r *http.Request, fe model.FieldErrors) error {
	r.Form, r.PostForm, r.MultipartForm = url.Values{}, url.Values{}, nil
	return fe.Err()
}

// multipartProblem names what is wrong with a form that could not be read
// as a file upload: too large (tooBig, the caller's own words for its
// limit), not sent as an upload at all, or cut short or malformed (a
// missing or wrong boundary, a body that stops mid-part).
func multipartProblem(err error, tooBig string) string {
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return tooBig
	case errors.Is(err, http.ErrNotMultipart):
		return "upload.not_multipart"
	}
	return "upload.malformed"
}

// safeFileName keeps a readable name without paths, controls, bidi
// overrides or a misleading extension.
func safeFileName(name, ext string) string {
	if i := strings.LastIndexAny(name, `/\\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 32 || r == 0x7f || r == '"' || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
			return -1
		}
		return r
	}, model.CleanLine(name))
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[:i]
	}
	if name == "" || name == "." || name == ".." {
		name = "attachment"
	}
	if len(name) > 80 {
		name = name[:80]
	}
	return name + ext
}

// serveDownload streams a stored file, chunk by chunk, so that it cannot
// run in the page: attachment disposition, no sniffing, a sandboxing
// policy.
func (s *Server) serveDownload(w http.ResponseWriter, r *http.Request, name, ctype, sha string, size int64) {
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Length", strconv.FormatInt(size, 10))
	if n, err := s.db.CopyBlob(r.Context(), w, sha); (err != nil || n != size) && r.Context().Err() == nil {
		// The headers are gone: the short body tells the browser.
		s.log.Error("serving a file", "sha256", sha, "sent", n, "size", size, "err", err)
	}
}
