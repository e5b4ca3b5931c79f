package web_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// Each field names what it asks: kinds of material, event and review are
// not kinds of organisation, and a monitoring value is not an estimate.
func TestLabelsNameWhatTheyAsk(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	w := newWorld(t, db)
	if err := db.SetLabMember(ctx, store.System, w.orgs["cso"].ID, true); err != nil {
		t.Fatal(err)
	}
	p := w.purchase("Benefits portal")
	base := fmt.Sprintf("/purchases/%d", p.ID)
	w.post("city_officer", base+"/monitoring/indicators", url.Values{"catalog_id": {"IND-ON-TIME"}, "title": {""}, "target": {"95"}}, 303)
	for _, c := range []struct{ who, path, want string }{
		{"cso_viewer", "/lab/members", `<label for="f-kind">Kind of material</label>`},
		{"cso_viewer", "/lab/members", `<label for="f-ekind">Kind of event</label>`},
		{"cso_viewer", "/lab/members", `<label for="f-etitle">`},
		{"city_officer", base + "/reviews", `<label for="f-kind">Kind of review</label>`},
		{"city_officer", base + "/monitoring", `<label for="f-value">Value`},
	} {
		body := w.page(c.who, c.path)
		if !strings.Contains(body, c.want) {
			t.Errorf("%s lacks %q", c.path, c.want)
		}
		if strings.Contains(body, "Kind of organisation") || strings.Contains(body, "Estimated value") {
			t.Errorf("%s still uses a wrong label", c.path)
		}
	}
}
