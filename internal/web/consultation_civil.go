package web

import (
	"net/http"
	"strconv"

	"buyright/internal/access"
	"buyright/internal/consultation"
	"buyright/internal/model"
	"buyright/internal/store"
)

// Civil society in the product: a page for the people of a civil-society
// organisation with the consultations it is invited to and the open ones,
// what it sent (its to read, whatever became of it), the meetings it is
// named in, and the published purchases it follows.

type participationData struct {
	Invitations []consultCard
	Open        []consultCard
	Responses   []orgResponseLine
	Meetings    []store.Meeting
	Following   []store.Followed
	Recent      []store.RegisterCard
	Followed    map[int64]bool
	Today       model.Date
	Lang        string
}

type orgResponseLine struct {
	*consultation.Response
	Title string
	Phase consultation.Phase
}

func (s *Server) participation(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	if !access.CanFollow(u) {
		return model.Forbidden()
	}
	ctx := r.Context()
	d := &participationData{Today: model.DateOf(s.now()), Lang: langOf(r, s), Followed: map[int64]bool{}}
	invited, err := s.db.OrgInvitations(ctx, u.OrgID)
	if err != nil {
		return err
	}
	d.Invitations = s.cards(r, invited)
	all, err := s.db.PublicConsultations(ctx, 50)
	if err != nil {
		return err
	}
	for _, c := range s.cards(r, all) {
		if c.Phase == consultation.PhaseOpen {
			d.Open = append(d.Open, c)
		}
	}
	rs, err := s.db.OrgResponses(ctx, u.OrgID)
	if err != nil {
		return err
	}
	for _, x := range rs {
		c, err := s.db.Consultation(ctx, x.ConsultationID)
		if err != nil {
			return err
		}
		d.Responses = append(d.Responses, orgResponseLine{Response: x, Title: c.Title(d.Lang), Phase: c.Phase(d.Today)})
	}
	if d.Meetings, err = s.db.OrgMeetings(ctx, u.OrgID); err != nil {
		return err
	}
	if d.Following, err = s.db.Following(ctx, u.ID); err != nil {
		return err
	}
	for _, f := range d.Following {
		d.Followed[f.PurchaseID] = true
	}
	res, err := s.db.SearchRegister(ctx, store.RegisterQuery{})
	if err != nil {
		return err
	}
	for _, h := range res.Cards {
		if len(d.Recent) == 10 {
			break
		}
		d.Recent = append(d.Recent, h)
	}
	return s.render(w, r, http.StatusOK, "participation", "participation.title", d)
}

// followPurchase and unfollowPurchase take the purchase from the form, so
// the register entry's button and the participation page share them.
func (s *Server) followPurchase(w http.ResponseWriter, r *http.Request) error {
	return s.follow(w, r, true)
}

func (s *Server) unfollowPurchase(w http.ResponseWriter, r *http.Request) error {
	return s.follow(w, r, false)
}

func (s *Server) follow(w http.ResponseWriter, r *http.Request, on bool) error {
	u := currentUser(r)
	if !access.CanFollow(u) {
		return model.Forbidden()
	}
	id, err := strconv.ParseInt(r.PostFormValue("purchase"), 10, 64)
	if err != nil {
		return model.NotFound("register entry")
	}
	a := store.ActorOf(u)
	done := "followed"
	if on {
		err = s.db.Follow(r.Context(), a, u, id)
	} else {
		err, done = s.db.Unfollow(r.Context(), a, u, id), "unfollowed"
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/participation?done="+done+"#following", http.StatusSeeOther)
	return nil
}

// loadOrgResponse loads a response the signed-in person's organisation
// sent from its account; any other is not found.
func (s *Server) loadOrgResponse(r *http.Request) (*consultation.Response, error) {
	id, err := strconv.ParseInt(r.PathValue("r"), 10, 64)
	if err != nil {
		return nil, model.NotFound("response")
	}
	rsp, err := s.db.ConsultationResponse(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if rsp.Kind != consultation.Organisation || !access.CanReadOrgResponse(currentUser(r), rsp.OrgID) {
		return nil, model.NotFound("response")
	}
	return rsp, nil
}

func (s *Server) orgResponse(w http.ResponseWriter, r *http.Request) error {
	rsp, err := s.loadOrgResponse(r)
	if err != nil {
		return err
	}
	return s.showResponse(w, r, rsp, &consultReadData{OrgFiles: true})
}

func (s *Server) orgResponseFile(w http.ResponseWriter, r *http.Request) error {
	rsp, err := s.loadOrgResponse(r)
	if err != nil {
		return err
	}
	fid, err := strconv.ParseInt(r.PathValue("f"), 10, 64)
	if err != nil {
		return model.NotFound("file")
	}
	f, err := s.db.ConsultationFile(r.Context(), rsp.ID, fid)
	if err != nil {
		return err
	}
	s.serveDownload(w, r, f.Name, f.CType, f.SHA256, f.Size)
	return nil
}
