package web

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"

	"buyright/internal/model"
)

// Uploads from anyone (complaints) and from staff (engagement minutes,
// evidence) pass the same checks: a size limit, a type decided by the
// content and never by the name or the browser's claim, and a clean name.

const maxFileBytes = 5 << 20

// allowedTypes are the attachment types accepted, by sniffed content type.
var allowedTypes = map[string]string{
	"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg", "text/plain; charset=utf-8": ".txt",
}

type upload struct {
	Name, CType string
	Data        []byte
}

// checkUpload reads one uploaded file. It returns the translation key of
// the problem, or "" when the file is acceptable.
func checkUpload(h *multipart.FileHeader) (upload, string, error) {
	if h.Size > maxFileBytes {
		return upload{}, "upload.too_big", nil
	}
	f, err := h.Open()
	if err != nil {
		return upload{}, "", err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileBytes+1))
	if err != nil {
		return upload{}, "", err
	}
	if len(data) > maxFileBytes {
		return upload{}, "upload.too_big", nil
	}
	ctype := http.DetectContentType(data)
	ext, ok := allowedTypes[ctype]
	if !ok {
		return upload{}, "upload.type", nil
	}
	return upload{Name: safeFileName(h.Filename, ext), CType: ctype, Data: data}, "", nil
}

// oneFile reads a multipart form that carries exactly one checked file in
// the field "file" (a staff upload to a purchase); the other form values
// are then in r.FormValue. Problems come back as field errors.
func oneFile(w http.ResponseWriter, r *http.Request) (upload, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFileBytes+1<<20)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		return upload{}, model.FieldErrors{"file": multipartProblem(err, "upload.too_big")}.Err()
	}
	heads := r.MultipartForm.File["file"]
	if len(heads) != 1 {
		return upload{}, model.FieldErrors{"file": "invalid.required"}.Err()
	}
	u, problem, err := checkUpload(heads[0])
	if err != nil {
		return upload{}, err
	}
	if problem != "" {
		return upload{}, model.FieldErrors{"file": problem}.Err()
	}
	return u, nil
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

// serveDownload sends a stored file so that it cannot run in the page:
// attachment disposition, no sniffing, a sandboxing policy.
func serveDownload(w http.ResponseWriter, name, ctype string, data []byte) {
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "private, no-store")
	w.Write(data)
}
