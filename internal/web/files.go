package web

import (
	"net/http"
	"strconv"
	"strings"

	"buyright/internal/access"
	"buyright/internal/model"
	"buyright/internal/store"
)

// Documents attached to a purchase: minutes and letters of the engagement
// with the people affected (attached to an engagement entry of the
// assessment) and other evidence. Whoever may work on the assessment may
// attach; whoever may see the purchase's record may download; suppliers
// and other bodies see nothing.

var fileKinds = map[string]bool{"engagement": true, "evidence": true, "contract": true, "exit": true}

func (s *Server) fileUpload(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.loadPurchase(r, access.Assess)
	if err != nil {
		return err
	}
	u, err := s.oneFile(w, r)
	kind, ref := r.FormValue("kind"), model.CleanLine(r.FormValue("ref"))
	if r.MultipartForm != nil && (!fileKinds[kind] || model.TooLong(ref, 100)) {
		return model.FieldErrors{"kind": "invalid.choice"}.Err()
	}
	if err != nil {
		return err
	}
	f := &store.PurchaseFile{Kind: kind, Ref: ref, Name: u.Name, CType: u.CType, SHA256: u.Blob.SHA256}
	if err := s.db.AddPurchaseFile(r.Context(), store.ActorOf(currentUser(r)), p, f); err != nil {
		return err
	}
	back := "/purchases/" + strconv.FormatInt(p.ID, 10)
	if next := r.FormValue("next"); strings.HasPrefix(next, back+"/") {
		back = next
	}
	http.Redirect(w, r, safeNext(back), http.StatusSeeOther)
	return nil
}

func (s *Server) fileDownload(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.loadPurchase(r, access.ViewRecord)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("file"), 10, 64)
	if err != nil {
		return model.NotFound("file")
	}
	f, err := s.db.PurchaseFileData(r.Context(), p.ID, id)
	if err != nil {
		return err
	}
	s.serveDownload(w, r, f.Name, f.CType, f.SHA256, f.Size)
	return nil
}

// engagementFiles groups a purchase's engagement documents by entry.
func (s *Server) engagementFiles(r *http.Request, purchaseID int64) (map[string][]store.PurchaseFile, error) {
	files, err := s.db.PurchaseFiles(r.Context(), purchaseID, "engagement")
	if err != nil {
		return nil, err
	}
	out := map[string][]store.PurchaseFile{}
	for _, f := range files {
		out[f.Ref] = append(out[f.Ref], f)
	}
	return out, nil
}
