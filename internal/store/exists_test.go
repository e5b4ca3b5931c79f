package store_test

import (
	"testing"

	"buyright/internal/catalog"
	"buyright/internal/contract"
	"buyright/internal/lawmap"
	"buyright/internal/mail"
	"buyright/internal/model"
	"buyright/internal/monitoring"
	"buyright/internal/screening"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
	"buyright/internal/tender"
)

// Every write that can meet one of the schema's unique constraints (found
// by reading the migrations: organisation slugs, e-mail addresses, ocids
// per body, invited suppliers, oversight remits, Lab members and
// subscribers, catalogue uploads, tender items, safeguards, publications,
// summaries, the outbox, jurisdictions, measurements and outcomes per
// period and group) is done a second time on both databases. The second
// time is either accepted or refused with a message for the person, never
// an internal error; on PostgreSQL a swallowed constraint violation would
// also abort the transaction ("commit unexpectedly resulted in rollback").
// Afterwards the audit log still verifies.
func TestWritesThatAlreadyExist(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		city := storetest.Org(t, db, "city", model.OrgPublicBody)
		nhri := storetest.Org(t, db, "nhri", model.OrgOversight)
		vendor := storetest.Org(t, db, "vendor", model.OrgSupplier)
		off := storetest.User(t, db, city, "ana@city.example", model.RoleOfficer)
		a := store.ActorOf(off)
		p := storetest.Purchase(t, db, off, "Benefits portal")
		withOCID := &model.Purchase{OrgID: city.ID, Title: "Imported", Sector: "health", OCID: "ocds-abc123-1", LeadUserID: off.ID}
		if err := db.CreatePurchase(ctx, a, withOCID); err != nil {
			t.Fatal(err)
		}
		ind := &monitoring.Indicator{Title: "Uptime", Unit: "percent", Direction: "higher"}
		if err := db.AddIndicator(ctx, a, p, ind); err != nil {
			t.Fatal(err)
		}
		jan := day(t, "2026-01-01")

		cases := []struct {
			what string
			do   func() error
		}{
			{"organisation with a taken short name", func() error {
				return db.CreateOrg(ctx, a, &model.Organisation{Slug: "city", Name: "Another city", Kind: model.OrgPublicBody})
			}},
			{"person with a taken e-mail", func() error {
				return db.CreateUser(ctx, a, &model.User{OrgID: city.ID, Email: "ANA@city.example", Role: model.RoleViewer}, "!")
			}},
			{"purchase with a taken ocid", func() error {
				return db.CreatePurchase(ctx, a, &model.Purchase{OrgID: city.ID, Title: "Again", Sector: "health", OCID: "ocds-abc123-1", LeadUserID: off.ID})
			}},
			{"purchase changed to a taken ocid", func() error {
				q := *p
				q.OCID = "ocds-abc123-1"
				return db.UpdatePurchase(ctx, a, &q)
			}},
			{"supplier invited again", func() error { return db.InviteSupplier(ctx, a, p, vendor.ID) }},
			{"remit naming a body twice", func() error { return db.SetRemit(ctx, a, nhri.ID, []int64{city.ID, city.ID}) }},
			{"Lab member added again", func() error { return db.SetLabMember(ctx, a, vendor.ID, true) }},
			{"digest subscription asked again", func() error {
				return db.Subscribe(ctx, "reader@example.org", "en", func(string) mail.Message { return mail.Message{Subject: "s", Body: "b"} })
			}},
			{"catalogue set uploaded again", func() error {
				return db.SaveCatalogUpload(ctx, a, "set", "hash-1", []catalog.Source{{Name: "x.yaml", Data: []byte("x: 1")}})
			}},
			{"tender item decided again", func() error {
				return db.DecideTender(ctx, a, p, tender.Choice{ItemID: "CL-EXIT", Decision: tender.Accepted})
			}},
			{"safeguard listed twice", func() error {
				return db.SaveSafeguards(ctx, a, p, []contract.Safeguard{{ItemID: "CL-EXIT", Signed: true}, {ItemID: "CL-EXIT", Signed: true}})
			}},
			{"published again with translations", func() error {
				return db.Publish(ctx, a, p, true, "Summary", map[string]string{"pt": "Resumo", "es": "Resumen"})
			}},
			{"same mail queued again", func() error {
				_, err := db.QueueMail(ctx, "test:1", mail.Message{To: "x@example.org", Subject: "s", Body: "b"})
				return err
			}},
			{"jurisdiction put again", func() error {
				_, err := db.PutJurisdiction(ctx, a, lawmap.Jurisdiction{Code: "PT", Name: "Portugal", Kind: "country"})
				return err
			}},
			{"value for the same period entered twice", func() error {
				_, err := db.RecordMeasurements(ctx, a, p, "form", []monitoring.Measurement{{IndicatorID: ind.ID, Period: jan, Value: 99}, {IndicatorID: ind.ID, Period: jan, Value: 98}})
				return err
			}},
			{"outcomes for the same period and group entered twice", func() error {
				_, err := db.RecordOutcomes(ctx, a, p, []monitoring.GroupOutcome{{Period: jan, Group: "A", Favourable: 5, Total: 10}, {Period: jan, Group: "A", Favourable: 6, Total: 10}})
				return err
			}},
			{"screening saved again", func() error {
				return db.SaveScreening(ctx, a, p, map[string]any{"essential_service": "yes"}, screening.Result{})
			}},
			{"contract recorded again from a blank form", func() error {
				return db.SaveContract(ctx, a, p, &contract.Contract{Reference: "C-1", Suppliers: []string{"Vendor"}, Currency: "EUR", SignedOn: jan}, 0)
			}},
			{"amendment added again", func() error {
				return db.AddAmendment(ctx, a, p, &contract.Amendment{MadeOn: jan, Summary: "More users", Reason: "Growth"})
			}},
			{"exit plan saved again from a blank form", func() error {
				return db.SaveExitPlan(ctx, a, p, &contract.ExitPlan{DataReturn: "CSV"}, 0)
			}},
			{"supplier answers sent again", func() error {
				_, err := db.SubmitSupplierAnswers(ctx, store.Actor{Label: "vendor"}, p, vendor.ID, ddq, map[string]string{"policy": "Our policy"})
				return err
			}},
			{"release with the same ocid twice in one batch", func() error {
				row := func(id string) store.ImportRow {
					return store.ImportRow{Purchase: &model.Purchase{Title: "Cameras", OCID: "ocds-abc123-9", Stage: model.StagePlanning}, ReleaseID: id, ReleaseDate: "2026-01-0" + id}
				}
				st, err := db.ImportPurchases(ctx, store.System, city.ID, []store.ImportRow{row("1"), row("2")})
				if err == nil && len(st.Rejected) > 0 {
					return st.Rejected[0].Err
				}
				return err
			}},
		}
		for _, c := range cases {
			for i := 1; i <= 2; i++ {
				err := c.do()
				if err != nil && model.ErrorCode(err) == model.EInternal {
					t.Errorf("%s (time %d): internal error %v", c.what, i, err)
				}
			}
		}
		if _, _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatalf("audit log after the repeats: %v", err)
		}
		// Inviting again records nothing new: one invitation, one audit row.
		inv, err := db.InvitedSuppliers(ctx, p.ID)
		if err != nil || len(inv) != 1 {
			t.Fatalf("invitations after inviting three times: %+v %v", inv, err)
		}
		entries, _ := db.AuditFor(ctx, "purchase", p.ID, 100)
		invites := 0
		for _, e := range entries {
			if e.Action == "invite_supplier" {
				invites++
			}
		}
		if invites != 1 {
			t.Fatalf("%d invite_supplier audit rows, want 1", invites)
		}
	})
}
