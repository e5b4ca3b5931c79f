package store_test

import (
	"strings"
	"testing"

	"buyright/internal/catalog"
	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
	"buyright/internal/supplierdd"
)

// ddq is the built-in supplier questionnaire.
var ddq = func() *supplierdd.Questionnaire {
	set, err := catalog.Load("")
	if err != nil {
		panic(err)
	}
	return supplierdd.FromCatalog(set)
}()

// Each submission is a new numbered version kept whole; the review belongs
// to one version; the status the body sees follows the newest version.
func TestSupplierAnswersAreVersionedAndReviewedPerVersion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		city := storetest.Org(t, db, "city", model.OrgPublicBody)
		vendor := storetest.Org(t, db, "vendor", model.OrgSupplier)
		off := storetest.User(t, db, city, "ana@city.example", model.RoleOfficer)
		chen := storetest.User(t, db, vendor, "chen@vendor.example", model.RoleSupplier)
		p := storetest.Purchase(t, db, off, "Benefits portal")
		if err := db.InviteSupplier(ctx, store.ActorOf(off), p, vendor.ID); err != nil {
			t.Fatal(err)
		}

		// Nothing answered, or only unknown questions: refused, nothing kept.
		if _, err := db.SubmitSupplierAnswers(ctx, store.ActorOf(chen), p, vendor.ID, ddq, map[string]string{"policy": "  ", "not_a_question": "x"}); model.ErrorCode(err) != model.EInvalid {
			t.Fatalf("empty answers: %v", err)
		}
		v, err := db.SubmitSupplierAnswers(ctx, store.ActorOf(chen), p, vendor.ID, ddq, map[string]string{"policy": "  Board policy.  ", "not_a_question": "kept?"})
		if err != nil || v != 1 {
			t.Fatalf("first version: %d %v", v, err)
		}
		if err := db.ReviewSupplierAnswers(ctx, store.ActorOf(off), p, vendor.ID, 1, ddq, map[string]string{"policy": "partial", "not_a_question": "adequate"}, "Please add the data practices."); err != nil {
			t.Fatal(err)
		}
		inv, err := db.InvitedSuppliers(ctx, p.ID)
		if err != nil || len(inv) != 1 || inv[0].Versions != 1 || !inv[0].Reviewed {
			t.Fatalf("after review: %+v %v", inv, err)
		}
		if v, err = db.SubmitSupplierAnswers(ctx, store.ActorOf(chen), p, vendor.ID, ddq, map[string]string{"policy": "Board policy.", "data": "EU only."}); err != nil || v != 2 {
			t.Fatalf("second version: %d %v", v, err)
		}

		vs, err := db.SupplierAnswers(ctx, p.ID, vendor.ID)
		if err != nil || len(vs) != 2 {
			t.Fatalf("versions: %+v %v", vs, err)
		}
		if vs[0].Version != 2 || vs[1].Version != 1 {
			t.Errorf("not newest first: %d, %d", vs[0].Version, vs[1].Version)
		}
		if vs[1].Answers["policy"] != "Board policy." || len(vs[1].Answers) != 1 {
			t.Errorf("version 1 not kept as cleaned: %v", vs[1].Answers)
		}
		if vs[0].Answers["data"] != "EU only." || vs[0].SubmittedBy != "chen@vendor.example" {
			t.Errorf("version 2: %+v", vs[0])
		}
		if vs[0].Review != nil {
			t.Errorf("the new version carries the old review: %+v", vs[0].Review)
		}
		r := vs[1].Review
		if r == nil || r.Scores["policy"] != "partial" || len(r.Scores) != 1 || r.Comment != "Please add the data practices." || r.ReviewedBy != "ana@city.example" {
			t.Fatalf("review of version 1: %+v", r)
		}
		// The newest version is not reviewed yet, whatever happened to the first.
		if inv, _ := db.InvitedSuppliers(ctx, p.ID); inv[0].Versions != 2 || inv[0].Reviewed {
			t.Errorf("status after a new version: %+v", inv)
		}

		// A second review of the same version replaces the first as "the" review.
		if err := db.ReviewSupplierAnswers(ctx, store.ActorOf(off), p, vendor.ID, 1, ddq, map[string]string{"policy": "adequate"}, ""); err != nil {
			t.Fatal(err)
		}
		if vs, _ := db.SupplierAnswers(ctx, p.ID, vendor.ID); vs[1].Review.Scores["policy"] != "adequate" {
			t.Errorf("newest review not shown: %+v", vs[1].Review)
		}

		// Bad reviews: an unknown score, nothing at all, a version that does not exist.
		if err := db.ReviewSupplierAnswers(ctx, store.ActorOf(off), p, vendor.ID, 2, ddq, map[string]string{"policy": "excellent"}, ""); model.ErrorCode(err) != model.EInvalid {
			t.Errorf("unknown score: %v", err)
		}
		if err := db.ReviewSupplierAnswers(ctx, store.ActorOf(off), p, vendor.ID, 2, ddq, map[string]string{"policy": ""}, "   "); model.ErrorCode(err) != model.EInvalid {
			t.Errorf("empty review: %v", err)
		}
		if err := db.ReviewSupplierAnswers(ctx, store.ActorOf(off), p, vendor.ID, 9, ddq, nil, "x"); model.ErrorCode(err) != model.ENotFound {
			t.Errorf("missing version: %v", err)
		}

		// Every change is in the purchase's audit trail, which still verifies.
		entries, err := db.AuditFor(ctx, "purchase", p.ID, 20)
		if err != nil {
			t.Fatal(err)
		}
		count := map[string]int{}
		for _, e := range entries {
			count[e.Action]++
		}
		if count["supplier_answers"] != 2 || count["supplier_review"] != 2 {
			t.Errorf("audit: %v", count)
		}
		if _, _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

// Two suppliers invited to one purchase each have their own numbering and
// read only their own answers; an uninvited supplier cannot answer; the
// answers of one purchase cannot be reviewed through another.
func TestSupplierAnswersStaySeparatePerSupplierAndPurchase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		city := storetest.Org(t, db, "city", model.OrgPublicBody)
		vendor := storetest.Org(t, db, "vendor", model.OrgSupplier)
		rival := storetest.Org(t, db, "rival", model.OrgSupplier)
		stranger := storetest.Org(t, db, "stranger", model.OrgSupplier)
		off := storetest.User(t, db, city, "ana@city.example", model.RoleOfficer)
		chen := storetest.User(t, db, vendor, "chen@vendor.example", model.RoleSupplier)
		rui := storetest.User(t, db, rival, "rui@rival.example", model.RoleSupplier)
		sam := storetest.User(t, db, stranger, "sam@stranger.example", model.RoleSupplier)
		p := storetest.Purchase(t, db, off, "Benefits portal")
		other := storetest.Purchase(t, db, off, "Parking sensors")
		for _, org := range []int64{vendor.ID, rival.ID} {
			if err := db.InviteSupplier(ctx, store.ActorOf(off), p, org); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.InviteSupplier(ctx, store.ActorOf(off), other, vendor.ID); err != nil {
			t.Fatal(err)
		}

		for _, s := range []struct {
			u    *model.User
			org  int64
			text string
		}{{chen, vendor.ID, "Vendor v1"}, {chen, vendor.ID, "Vendor v2"}, {rui, rival.ID, "Rival v1"}} {
			if _, err := db.SubmitSupplierAnswers(ctx, store.ActorOf(s.u), p, s.org, ddq, map[string]string{"policy": s.text}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.SubmitSupplierAnswers(ctx, store.ActorOf(sam), p, stranger.ID, ddq, map[string]string{"policy": "Let me in"}); model.ErrorCode(err) != model.EForbidden {
			t.Errorf("uninvited supplier answers: %v", err)
		}

		rv, err := db.SupplierAnswers(ctx, p.ID, rival.ID)
		if err != nil || len(rv) != 1 || rv[0].Version != 1 || rv[0].Answers["policy"] != "Rival v1" {
			t.Fatalf("rival's answers: %+v %v", rv, err)
		}
		vv, _ := db.SupplierAnswers(ctx, p.ID, vendor.ID)
		for _, v := range vv {
			if strings.Contains(v.Answers["policy"], "Rival") {
				t.Errorf("vendor's versions hold the rival's answer: %+v", v)
			}
		}
		if len(vv) != 2 {
			t.Errorf("vendor's versions: %d", len(vv))
		}
		if sv, _ := db.SupplierAnswers(ctx, p.ID, stranger.ID); len(sv) != 0 {
			t.Errorf("stranger has answers: %+v", sv)
		}
		// The vendor's answers on this purchase are not on the other one.
		if ov, _ := db.SupplierAnswers(ctx, other.ID, vendor.ID); len(ov) != 0 {
			t.Errorf("answers leak to another purchase: %+v", ov)
		}
		if err := db.ReviewSupplierAnswers(ctx, store.ActorOf(off), other, vendor.ID, 1, ddq, nil, "x"); model.ErrorCode(err) != model.ENotFound {
			t.Errorf("review through another purchase: %v", err)
		}

		inv, _ := db.InvitedSuppliers(ctx, p.ID)
		got := map[int64]int{}
		for _, x := range inv {
			got[x.OrgID] = x.Versions
		}
		if len(inv) != 2 || got[vendor.ID] != 2 || got[rival.ID] != 1 {
			t.Errorf("invited: %+v", inv)
		}
		// The vendor's list of invitations puts the unanswered one first
		// and does not mention the rival.
		invs, err := db.Invitations(ctx, vendor.ID)
		if err != nil || len(invs) != 2 || invs[0].PurchaseID != other.ID || invs[0].Versions != 0 || invs[1].Versions != 2 {
			t.Errorf("vendor's invitations: %+v %v", invs, err)
		}
		if invs, _ := db.Invitations(ctx, stranger.ID); len(invs) != 0 {
			t.Errorf("stranger's invitations: %+v", invs)
		}
	})
}
