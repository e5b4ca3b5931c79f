package web_test

import (
	"strings"
	"testing"

	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// A member proposes the tool its organisation shared; another member
// organisation may not propose it for them; a Lab editor (not a site
// administrator) publishes it, and only then does the public portal list
// it. Each step says what happened, in words about the Lab.
func TestMemberProposesToolEditorPublishes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		for _, org := range []string{"city", "cso"} {
			if err := db.SetLabMember(ctx, store.System, w.orgs[org].ID, true); err != nil {
				t.Fatal(err)
			}
		}
		s, loc := w.shareMaterial("city_officer", "Supplier audit checklist", "checklist.txt", []byte("1. Ask for the list of factories.\n"))
		if s != 303 || !strings.HasSuffix(loc, "?done=shared") {
			t.Fatalf("share: %d %s", s, loc)
		}
		path := strings.TrimSuffix(loc, "?done=shared")
		if body := w.page("city_officer", loc); !strings.Contains(body, "Material shared with the Lab") || strings.Contains(body, "purchase was registered") {
			t.Error("sharing a material does not say so")
		}
		if body := w.page("city_officer", path); !strings.Contains(body, `action="`+path+`/propose"`) {
			t.Fatal("the sharing organisation is not offered to propose it")
		}
		if body := w.page("cso_viewer", path); strings.Contains(body, `/propose"`) {
			t.Error("another member organisation is offered to propose it")
		}
		w.post("cso_viewer", path+"/propose", nil, 403)
		w.post("city_officer", path+"/propose", nil, 303)
		if body := w.page("city_officer", path+"?done=proposed_publication"); !strings.Contains(body, "Proposed for publication: a Lab editor can now publish it.") ||
			!strings.Contains(body, "proposed for publication") {
			t.Error("the proposal is not confirmed on the page")
		}
		w.post("city_officer", path+"/propose", nil, 409)
		if _, body, _ := w.do("", "GET", "/lab/materials", nil); strings.Contains(body, "Supplier audit checklist") {
			t.Fatal("public before an editor published it")
		}
		if body := w.page("lab_editor", path); !strings.Contains(body, `action="`+path+`/publish"`) {
			t.Fatal("the editor is not offered to publish the proposed tool")
		}
		w.post("cso_viewer", path+"/publish", nil, 403)
		w.post("lab_editor", path+"/publish", nil, 303)
		if _, body, _ := w.do("", "GET", "/lab/materials", nil); !strings.Contains(body, "Supplier audit checklist") {
			t.Fatal("not on the portal after the editor published it")
		}
	})
}
