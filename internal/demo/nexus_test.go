package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"buyright/internal/auth"
	"buyright/internal/demo"
	"buyright/internal/lifecycle"
	"buyright/internal/model"
	"buyright/internal/staterequest"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// The nexus story of the demo, as the "done when" tells it: a
// telecom operator licensed by the State records three requests from the
// police and one from the health agency; the police records its side;
// the public report shows ranges; the contact-tracing app has a firewall
// and an incident whose task oversight sees; the emergency register shows
// the app past its sunset.
func TestSeedNexus(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := demo.Seed(ctx, db, auth.Hasher{P: auth.Params{Memory: 64, Time: 1, Threads: 1}}); err != nil {
			t.Fatal(err)
		}
		user := func(email string) *model.User {
			u, _, err := db.UserForSignIn(ctx, email)
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		olu, marco, bruno, sara := user("olu@lusonet.example"), user("marco@police.example"), user("bruno@nhri.example"), user("sara@comms.example")

		lic, err := db.Purchases(ctx, sara, store.PurchaseFilter{})
		if err != nil || len(lic.Items) != 1 || lic.Items[0].Kind != model.KindLicence || lic.Items[0].Stage != model.StageImplementation {
			t.Fatalf("the licence: %+v %v", lic, err)
		}
		f, _ := db.RequirementFacts(ctx, lic.Items[0].ID)
		if len(f.TermsMissing) != 0 || f.Result.RequirementsByStage["planning"] == nil {
			t.Fatalf("licence terms missing %v", f.TermsMissing)
		}
		if k, _, _ := db.ScreenedKind(ctx, lic.Items[0].ID); k != "licence" {
			t.Errorf("the licence was screened as %q", k)
		}
		if l, _ := db.Purchases(ctx, olu, store.PurchaseFilter{}); l.Total != 1 {
			t.Errorf("the operator sees %d relationships, want its licence", l.Total)
		}

		byAuthority := map[string]int{}
		recs, _ := db.StateRequests(ctx, olu)
		for _, r := range recs {
			byAuthority[r.AuthorityName]++
		}
		if byAuthority["Public Security Police"] != 3 || byAuthority["National Health Data Agency"] != 1 {
			t.Errorf("the operator's records: %v", byAuthority)
		}
		if own, _ := db.StateRequests(ctx, marco); len(own) != 3 {
			t.Errorf("the police recorded %d requests", len(own))
		}
		ms, _ := db.RequestMismatches(ctx, bruno)
		got := map[string]string{}
		for _, m := range ms {
			got[m.Reference] = m.Kind
		}
		if len(ms) != 2 || got["PSP/2026/0331"] != staterequest.Differs || got["HA-EPI-2026-04"] != staterequest.CompanyOnly {
			t.Errorf("oversight's mismatches: %v", got)
		}

		reps, _ := db.TransparencyReports(ctx, 0)
		if len(reps) != 2 {
			t.Fatalf("published reports: %d", len(reps))
		}
		for _, rep := range reps {
			pub := staterequest.Publish(rep.Cells)
			if pub.Total.Exact() {
				t.Errorf("%s's report shows its small total exactly: %v", rep.Org, pub.Total)
			}
			for _, rows := range pub.Tables {
				for _, row := range rows {
					if row.Count.Exact() && row.Count.Lo > 0 && row.Count.Lo < staterequest.Threshold {
						t.Errorf("%s: %s shows %d", rep.Org, row.Key, row.Count.Lo)
					}
				}
			}
		}

		joao := user("joao@health.example")
		app, _ := db.Purchases(ctx, joao, store.PurchaseFilter{Query: "contact-tracing"})
		if len(app.Items) != 1 {
			t.Fatalf("tracing app: %d", len(app.Items))
		}
		rules, _ := db.FirewallRules(ctx, app.Items[0].ID)
		incidents, _ := db.FirewallIncidents(ctx, app.Items[0].ID)
		if len(rules) != 1 || len(incidents) != 1 || !incidents[0].TaskOpen {
			t.Errorf("firewall: %d rules, incidents %+v", len(rules), incidents)
		}
		signals, _ := db.SignalTasks(ctx, bruno, 50)
		seen := false
		for _, s := range signals {
			seen = seen || strings.HasPrefix(s.Title, "Firewall breached")
		}
		if !seen {
			t.Error("oversight does not see the firewall incident's task")
		}
		measures, _, err := db.EmergencyRegister(ctx)
		if err != nil || len(measures) != 1 || !lifecycle.PastSunset(measures[0].Purchase, model.DateOf(time.Now())) {
			t.Errorf("emergency register: %+v %v", measures, err)
		}
	})
}
