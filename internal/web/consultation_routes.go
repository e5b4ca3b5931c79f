package web

import (
	"time"
)

// consultationRoutes registers the consultations on purchases: the public
// pages and response form (no sign-in), the body's working pages, and civil
// society's participation page.
func (s *Server) consultationRoutes(page, member func(string, handlerFunc)) {
	page("GET /consultations", s.consultList)
	page("GET /consultations/receipt", s.consultReceipt)
	page("GET /consultations/follow", s.consultFollowForm)
	page("POST /consultations/follow", s.consultFollow)
	page("GET /consultations/{c}", s.consultPage)
	page("GET /consultations/{c}/respond", s.consultRespondForm)
	page("POST /consultations/{c}/respond", s.consultRespond)

	member("GET /purchases/{id}/consultations", s.consultPurchase)
	member("POST /purchases/{id}/consultations", s.consultCreate)
	member("POST /purchases/{id}/consultation-waiver", s.consultWaiver)
	member("GET /purchases/{id}/consultations/{c}", s.consultManage)
	member("POST /purchases/{id}/consultations/{c}", s.consultSaveDraft)
	member("POST /purchases/{id}/consultations/{c}/open", s.consultOpen)
	member("POST /purchases/{id}/consultations/{c}/deadline", s.consultExtend)
	member("POST /purchases/{id}/consultations/{c}/invitations", s.consultInvite)
	member("POST /purchases/{id}/consultations/{c}/responses/{r}/hide", s.consultHide)
	member("POST /purchases/{id}/consultations/{c}/responses/{r}/impact", s.consultImpact)
	member("GET /purchases/{id}/consultations/{c}/responses/{r}/files/{f}", s.consultFile)
	member("POST /purchases/{id}/consultations/{c}/answers", s.consultAnswer)
	member("POST /purchases/{id}/consultations/{c}/report", s.consultReport)

	member("GET /participation", s.participation)
	member("POST /participation/follow", s.followPurchase)
	member("POST /participation/unfollow", s.unfollowPurchase)
	member("GET /participation/responses/{r}", s.orgResponse)
	member("GET /participation/responses/{r}/files/{f}", s.orgResponseFile)
}

// consultLimits slow down the public side per address, as the complaints
// channel does, but with buckets of their own: a busy consultation must
// not use up the complaints' allowance, nor the other way round.
type consultLimits struct {
	respond allower // responses sent through the public form
	peek    allower // receipt codes tried
}

func (s *Server) newConsultLimits() consultLimits {
	return consultLimits{respond: s.sharedLimit("consult_respond", 5, 10*time.Minute), peek: s.sharedLimit("consult_code", 10, time.Minute)}
}
