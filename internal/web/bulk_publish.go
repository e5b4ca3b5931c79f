package web

import (
	"net/http"
	"strconv"

	"buyright/internal/model"
	"buyright/internal/store"
)

// A body's administrator can publish imported purchases on the register
// several at a time: the ones ticked in the purchase list, or all that
// match the list's filter. The first POST shows what will be published
// and what will not, and why; publishing needs a second POST with
// confirm=yes. Each publication goes through store.Publish, so each is a
// register change and a line in the audit log of its own.
//
// The summary published with each is written here and claims nothing the
// import did not do: it says where the record came from and that it was
// not screened or assessed. The register entry keeps its "imported, not
// screened" mark, which comes from the purchase having no screening.

// bulkPublishMax bounds one action, so that one click cannot hold the
// database for minutes; the page says when there were more.
const bulkPublishMax = 2000

func canBulkPublish(u *model.User) bool {
	return u != nil && !u.Disabled && u.Role == model.RoleAdmin && u.Org != nil && u.Org.Kind == model.OrgPublicBody
}

type bulkPage struct {
	Publish []store.BulkCandidate
	Skipped []store.BulkCandidate
	Done    bool
	// More is set when "all matching" found more than bulkPublishMax.
	More bool
	// Back is the purchase list with the filter the action came from.
	Back string
}

func (s *Server) bulkPublish(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	if !canBulkPublish(u) {
		return model.Forbidden()
	}
	if err := r.ParseForm(); err != nil {
		return model.FieldErrors{"id": "invalid.type_integer"}.Err()
	}
	f := filterFromQuery(r)
	d := bulkPage{Back: "/purchases" + buildQuery("q", f.Query, "stage", f.Stage, "sector", f.Sector, "tech", f.Technology, "flag", f.Flag)}
	var ids []int64
	if r.PostFormValue("all") == "yes" {
		// Every purchase of the administrator's body the filter matches.
		f.OrgID, f.PerPage, f.NoTotal = u.OrgID, 200, true
		for f.Page = 1; ; f.Page++ {
			list, err := s.db.Purchases(r.Context(), u, f)
			if err != nil {
				return err
			}
			for _, p := range list.Items {
				ids = append(ids, p.ID)
			}
			if len(list.Items) < f.PerPage || len(ids) > bulkPublishMax {
				break
			}
		}
	} else {
		for _, v := range r.PostForm["id"] {
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil || id <= 0 {
				return model.FieldErrors{"id": "invalid.type_integer"}.Err()
			}
			ids = append(ids, id)
		}
	}
	cands, err := s.db.ImportedToPublish(r.Context(), u.OrgID, ids)
	if err != nil {
		return err
	}
	for _, c := range cands {
		switch {
		case c.Skip != "":
			if r.PostFormValue("all") != "yes" { // "all" takes what it can, quietly
				d.Skipped = append(d.Skipped, c)
			}
		case len(d.Publish) < bulkPublishMax:
			d.Publish = append(d.Publish, c)
		default:
			d.More = true
		}
	}
	if r.PostFormValue("confirm") != "yes" {
		return s.render(w, r, http.StatusOK, "bulk_publish", "bulk.title", d)
	}
	// Publishing: the summary in every language, from the catalogue.
	a := store.ActorOf(u)
	langs := s.i18n.Langs()
	for _, c := range d.Publish {
		p, _, err := s.db.Purchase(r.Context(), u, c.PurchaseID)
		if err != nil {
			return err
		}
		translations := map[string]string{}
		for _, l := range langs[1:] {
			translations[l] = s.i18n.Catalog(l).T("bulk.summary", p.OCID)
		}
		if err := s.db.Publish(r.Context(), a, p, true, s.i18n.Catalog(langs[0]).T("bulk.summary", p.OCID), translations); err != nil {
			return err
		}
	}
	d.Done = true
	return s.render(w, r, http.StatusOK, "bulk_publish", "bulk.done_title", d)
}
