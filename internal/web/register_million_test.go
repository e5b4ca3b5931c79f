package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// A word in more entries than the facet counts read is shown as an
// estimate, said to be one in the reader's language; a rare word is counted.
func TestRegisterSaysAboutForEstimates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		err := db.SeedRegister(context.Background(), w.orgs["city"], 2500, func(i int) store.RegisterSeed {
			title := fmt.Sprintf("Purchase %d: camera network", i)
			if i%500 == 0 {
				title += " ombudsman"
			}
			return store.RegisterSeed{Title: title, Summary: "Cameras.", Sector: "policing", Technologies: []model.Technology{"surveillance"}, Stage: model.StageContract, Year: 2024}
		})
		if err != nil {
			t.Fatal(err)
		}
		_, body, _ := w.do("", "GET", "/register?q=camera", nil)
		if !strings.Contains(body, "About 2500 entries found") || !strings.Contains(body, "(about 2500)") {
			t.Fatalf("no estimate said as such:\n%s", body)
		}
		_, body, _ = w.do("", "GET", "/register?q=ombudsman", nil)
		if !strings.Contains(body, "5 entries found") || strings.Contains(body, "about") {
			t.Fatalf("rare word not counted exactly:\n%s", body)
		}
	})
}
