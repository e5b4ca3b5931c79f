package web_test

import (
	"fmt"
	"net/url"
	"strconv"
	"testing"

	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// Doing again what is already done, through the forms, on both databases:
// re-inviting a supplier is accepted (it answered 500 on PostgreSQL), a
// taken short name or e-mail address is refused on the form, a remit may
// name a body twice.
func TestAlreadyExistsOverHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.purchase("Invited twice")
		rival := strconv.FormatInt(w.orgs["rival"].ID, 10)
		for i := 1; i <= 2; i++ {
			if s, body, _ := w.do("city_officer", "POST", fmt.Sprintf("/purchases/%d/suppliers", p.ID), url.Values{"org_id": {rival}}); s != 303 {
				t.Fatalf("invitation %d: %d %.300s", i, s, body)
			}
		}
		steps := []struct {
			who, path string
			form      url.Values
			want      []int
		}{
			{"site_admin", "/admin/orgs", url.Values{"slug": {"twice"}, "name": {"Twice"}, "kind": {"supplier"}}, []int{303, 422}},
			{"city_admin", "/admin/users", url.Values{"email": {"twice@test.example"}, "role": {"viewer"}}, []int{201, 422}},
			{"site_admin", fmt.Sprintf("/admin/orgs/%d/remit", w.orgs["nhri"].ID), url.Values{"remit": {strconv.FormatInt(w.orgs["city"].ID, 10), strconv.FormatInt(w.orgs["city"].ID, 10)}}, []int{303, 303}},
		}
		for _, st := range steps {
			for i, want := range st.want {
				if s, body, _ := w.do(st.who, "POST", st.path, st.form); s != want {
					t.Errorf("%s, time %d: %d, want %d %.300s", st.path, i+1, s, want, body)
				}
			}
		}
		if _, _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}
