package store_test

import (
	"strings"
	"testing"
	"time"

	"buyright/internal/contract"
	"buyright/internal/model"
	"buyright/internal/monitoring"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
	"buyright/internal/supplierdd"
)

type awardWorld struct {
	db                  *store.DB
	p                   *model.Purchase
	off                 *model.User
	vendor, rival, city *model.Organisation
	chen, rui           *model.User
}

func newAwardWorld(t *testing.T, db *store.DB) *awardWorld {
	t.Helper()
	w := &awardWorld{db: db}
	w.city = storetest.Org(t, db, "city", model.OrgPublicBody)
	w.vendor = storetest.Org(t, db, "vendor", model.OrgSupplier)
	w.rival = storetest.Org(t, db, "rival", model.OrgSupplier)
	w.off = storetest.User(t, db, w.city, "ana@city.example", model.RoleOfficer)
	w.chen = storetest.User(t, db, w.vendor, "chen@vendor.example", model.RoleSupplier)
	w.rui = storetest.User(t, db, w.rival, "rui@rival.example", model.RoleSupplier)
	storetest.User(t, db, w.vendor, "viewer@vendor.example", model.RoleViewer)
	w.p = storetest.Purchase(t, db, w.off, "Appointment booking")
	for _, o := range []*model.Organisation{w.vendor, w.rival} {
		if err := db.InviteSupplier(ctx, store.ActorOf(w.off), w.p, o.ID); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

// Only the supplier the body marks as holding the contract reports on
// it: values for the indicators assigned to it, incidents, and its
// sub-processors. Each reaches the body as a task where it must act.
func TestSupplierAfterAward(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newAwardWorld(t, db)
		ao, ac, ar := store.ActorOf(w.off), store.ActorOf(w.chen), store.ActorOf(w.rui)
		stranger := storetest.Org(t, db, "stranger", model.OrgSupplier)
		if err := db.SetAwarded(ctx, ao, w.p, []int64{stranger.ID}); model.ErrorCode(err) != model.EInvalid {
			t.Fatalf("an uninvited supplier holds the contract: %v", err)
		}
		if err := db.SetAwarded(ctx, ao, w.p, []int64{w.vendor.ID}); err != nil {
			t.Fatal(err)
		}
		for org, want := range map[int64]bool{w.vendor.ID: true, w.rival.ID: false} {
			if got, err := db.HoldsContract(ctx, w.p.ID, org); err != nil || got != want {
				t.Errorf("holds %d: %v %v", org, got, err)
			}
		}
		if held, _ := db.HeldContracts(ctx, w.vendor.ID); len(held) != 1 || held[0].PurchaseID != w.p.ID {
			t.Errorf("held contracts: %+v", held)
		}

		// The body assigns an indicator to the supplier, monthly from three
		// months ago; another stays the body's own.
		uptime := &monitoring.Indicator{Title: "Uptime", Unit: "percent", Direction: "higher", Threshold: f64(99)}
		own := &monitoring.Indicator{Title: "Complaints", Unit: "count", Direction: "lower"}
		for _, in := range []*monitoring.Indicator{uptime, own} {
			if err := db.AddIndicator(ctx, ao, w.p, in); err != nil {
				t.Fatal(err)
			}
		}
		today := model.DateOf(time.Now())
		first := model.DateOf(time.Date(today.Time().Year(), today.Time().Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -3, 0))
		if err := db.SetFeed(ctx, ao, w.p, &supplierdd.Feed{IndicatorID: uptime.ID, SupplierOrgID: w.rival.ID, EveryMonths: 1, FirstPeriod: first}); model.ErrorCode(err) != model.EInvalid {
			t.Errorf("assigned to a supplier without the contract: %v", err)
		}
		if err := db.SetFeed(ctx, ao, w.p, &supplierdd.Feed{IndicatorID: uptime.ID, SupplierOrgID: w.vendor.ID, EveryMonths: 2, FirstPeriod: first}); model.ErrorCode(err) != model.EInvalid {
			t.Errorf("every two months: %v", err)
		}
		if err := db.SetFeed(ctx, ao, w.p, &supplierdd.Feed{IndicatorID: uptime.ID, SupplierOrgID: w.vendor.ID, EveryMonths: 1, FirstPeriod: first}); err != nil {
			t.Fatal(err)
		}
		feeds, err := db.Feeds(ctx, w.p.ID)
		if err != nil || len(feeds) != 1 || feeds[0].Next != first {
			t.Fatalf("feeds: %+v %v", feeds, err)
		}
		wantDue := model.DateOf(first.Time().AddDate(0, 1, 14))
		if feeds[0].Due != wantDue || !feeds[0].Overdue(today) || feeds[0].Supplier != "Org vendor" {
			t.Errorf("first value due %s, overdue %v, by %q", feeds[0].Due, feeds[0].Overdue(today), feeds[0].Supplier)
		}

		// The rival cannot feed it; the vendor cannot feed the body's own.
		v := func(in *monitoring.Indicator, period model.Date, value float64) []monitoring.Measurement {
			return []monitoring.Measurement{{IndicatorID: in.ID, Period: period, Value: value}}
		}
		if _, err := db.RecordSupplierValues(ctx, ar, w.p, w.rival.ID, v(uptime, first, 99.9)); model.ErrorCode(err) != model.EForbidden {
			t.Errorf("rival feeds: %v", err)
		}
		if _, err := db.RecordSupplierValues(ctx, ac, w.p, w.vendor.ID, v(own, first, 3)); model.ErrorCode(err) != model.EInvalid {
			t.Errorf("vendor feeds the body's indicator: %v", err)
		}
		breaches, err := db.RecordSupplierValues(ctx, ac, w.p, w.vendor.ID, v(uptime, first, 97.5))
		if err != nil || len(breaches) != 1 {
			t.Fatalf("supplier value beyond the threshold: %v %v", breaches, err)
		}
		if ts := tasksOfKind(t, db, w.p, "monitoring"); len(ts) != 1 {
			t.Errorf("breach task: %+v", ts)
		}
		ms, _ := db.Measurements(ctx, w.p.ID)
		if len(ms) != 1 || ms[0].Source != "supplier" || ms[0].EnteredBy != "chen@vendor.example" {
			t.Errorf("measurements: %+v", ms)
		}
		feeds, _ = db.Feeds(ctx, w.p.ID)
		if next := model.DateOf(first.Time().AddDate(0, 1, 0)); feeds[0].Latest != first || feeds[0].Next != next {
			t.Errorf("after the first value: latest %s next %s", feeds[0].Latest, feeds[0].Next)
		}

		// Incidents: every one the supplier reports opens a task.
		inc := &monitoring.Incident{OccurredOn: today.AddDays(-1), Severity: "medium", What: "Booking page down for three hours <script>", Affected: "About 200 people"}
		if err := db.AddSupplierIncident(ctx, ar, w.p, w.rival.ID, inc); model.ErrorCode(err) != model.EForbidden {
			t.Errorf("rival reports an incident: %v", err)
		}
		if err := db.AddSupplierIncident(ctx, ac, w.p, w.vendor.ID, &monitoring.Incident{OccurredOn: today.AddDays(2), Severity: "low", What: "x"}); model.ErrorCode(err) != model.EInvalid {
			t.Errorf("incident in the future: %v", err)
		}
		if err := db.AddSupplierIncident(ctx, ac, w.p, w.vendor.ID, inc); err != nil {
			t.Fatal(err)
		}
		if serious := tasksOfKind(t, db, w.p, "incident"); len(serious) != 0 {
			t.Errorf("a medium incident is a serious-incident signal: %+v", serious)
		}
		ts := tasksOfKind(t, db, w.p, "supplier_report")
		if len(ts) != 1 || !strings.Contains(ts[0].Title, "Org vendor reported an incident (medium)") || ts[0].Due != today.AddDays(14) {
			t.Errorf("incident task: %+v", ts)
		}
		if si, _ := db.SupplierIncidents(ctx, w.p.ID, w.vendor.ID); len(si) != 1 || si[0].What != inc.What {
			t.Errorf("supplier incidents: %+v", si)
		}
		if all, _ := db.Incidents(ctx, w.p.ID); len(all) != 1 {
			t.Errorf("the body's incidents log: %+v", all)
		}

		// Third parties: a sub-processor reaching personal data needs the
		// body's authorisation; a subcontractor without data does not,
		// until it is given personal data.
		if err := db.DeclareSubcontractor(ctx, ac, w.p, w.vendor.ID, &supplierdd.Subcontractor{Name: "Cloud", Role: "subprocessor", Work: "Hosting", DataAccess: "none", Since: today}); model.ErrorCode(err) != model.EInvalid {
			t.Errorf("a sub-processor without data: %v", err)
		}
		host := &supplierdd.Subcontractor{Name: "Nimbus Hosting BV", Role: "subprocessor", Work: "Hosting and backups", DataAccess: "personal", Country: "Netherlands", Since: today.AddDays(-30)}
		sms := &supplierdd.Subcontractor{Name: "TextFast", Role: "subcontractor", Work: "Sends appointment reminders", DataAccess: "none", Since: today}
		if err := db.DeclareSubcontractor(ctx, ar, w.p, w.rival.ID, host); model.ErrorCode(err) != model.EForbidden {
			t.Errorf("rival declares: %v", err)
		}
		for _, s := range []*supplierdd.Subcontractor{host, sms} {
			if err := db.DeclareSubcontractor(ctx, ac, w.p, w.vendor.ID, s); err != nil {
				t.Fatal(err)
			}
		}
		if ts := tasksOfKind(t, db, w.p, "subprocessor"); len(ts) != 1 || !strings.Contains(ts[0].Title, "Nimbus Hosting BV") {
			t.Fatalf("authorisation tasks after two declarations: %+v", ts)
		}
		change := *sms
		change.DataAccess, change.Role = "personal", "subprocessor"
		if err := db.DeclareSubcontractor(ctx, ac, w.p, w.vendor.ID, &change); err != nil {
			t.Fatal(err)
		}
		if ts := tasksOfKind(t, db, w.p, "subprocessor"); len(ts) != 2 {
			t.Errorf("a wider access opens a task: %+v", ts)
		}
		if err := db.DeclareSubcontractor(ctx, ac, w.p, w.vendor.ID, &change); model.ErrorCode(err) != model.EInvalid {
			t.Errorf("nothing changed: %v", err)
		}
		ended := *host
		ended.EndedOn = today
		if err := db.DeclareSubcontractor(ctx, ac, w.p, w.vendor.ID, &ended); err != nil {
			t.Fatal(err)
		}
		if err := db.DeclareSubcontractor(ctx, ac, w.p, w.vendor.ID, &ended); model.ErrorCode(err) != model.EConflict {
			t.Errorf("an ended one changed: %v", err)
		}
		decl, _ := db.Declarations(ctx, w.p.ID)
		var kinds []string
		for _, d := range decl {
			kinds = append(kinds, d.Change)
		}
		if strings.Join(kinds, ",") != "ended,changed,added,added" || decl[0].DeclaredBy != "chen@vendor.example" {
			t.Errorf("declarations: %v %+v", kinds, decl)
		}
		subs, _ := db.Subcontractors(ctx, w.p.ID)
		if len(subs) != 2 || subs[0].Name != "TextFast" || subs[1].EndedOn != today {
			t.Errorf("still working first: %+v", subs)
		}

		// Reminders: the supplier's people (not its viewer, not the rival)
		// are told of the value owed and of a review within a week.
		if _, err := db.ScheduleReview(ctx, ao, w.p, contract.KindReview, today.AddDays(5)); err != nil {
			t.Fatal(err)
		}
		rem, err := db.DueReminders(ctx, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, r := range rem {
			if strings.HasPrefix(r.Kind, "supplier_") {
				got[r.Kind] += r.To + ";"
			}
		}
		// The second month's value was due at the latest on the 14th of
		// last month.
		if got["supplier_values_overdue"] != "chen@vendor.example;" || got["supplier_review_due"] != "chen@vendor.example;" || len(got) != 2 {
			t.Errorf("supplier reminders: %v", got)
		}

		// Taking the contract away stops it all.
		if err := db.SetAwarded(ctx, ao, w.p, nil); err != nil {
			t.Fatal(err)
		}
		if err := db.AddSupplierIncident(ctx, ac, w.p, w.vendor.ID, inc); model.ErrorCode(err) != model.EForbidden {
			t.Errorf("incident after the award was withdrawn: %v", err)
		}
		if err := db.RemoveFeed(ctx, ao, w.p, uptime.ID); err != nil {
			t.Fatal(err)
		}
		if feeds, _ := db.Feeds(ctx, w.p.ID); len(feeds) != 0 {
			t.Errorf("feeds after removal: %+v", feeds)
		}
		if _, _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

func f64(v float64) *float64 { return &v }
