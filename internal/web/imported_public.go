package web

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"buyright/internal/model"
	"buyright/internal/ocds"
	"buyright/internal/store"
)

// The public view of imported releases (/imported) lets a journalist
// without an account browse what was imported from open contracting data
// and the screener's red flags, and download it. It shows only what the
// source release said and what the screener found (store.ImportedReleases
// reads nothing people typed in buyright), and says on every row that it
// was imported and not screened by the body.

// knownFlag is f if it is a red flag the screener raises, else "".
func knownFlag(f string) string {
	if slices.ContainsFunc(ocds.FlagKinds, func(k ocds.FlagInfo) bool { return k.ID == f }) {
		return f
	}
	return ""
}

// importedQuery reads a search from the URL; unknown values are ignored,
// so a hand-edited link shows everything rather than an error.
func importedQuery(r *http.Request) store.ImportedQuery {
	v := r.URL.Query()
	q := store.ImportedQuery{Text: model.CleanLine(v.Get("q"))}
	if len([]rune(q.Text)) > 200 {
		q.Text = string([]rune(q.Text)[:200])
	}
	q.Flag = knownFlag(v.Get("flag"))
	if id, err := strconv.ParseInt(v.Get("body"), 10, 64); err == nil && id > 0 {
		q.OrgID = id
	}
	q.Page, _ = strconv.Atoi(v.Get("page"))
	return q
}

type importedPage struct {
	Query  store.ImportedQuery
	Result *store.ImportedResult
	Kinds  []ocds.FlagInfo
	Bodies []importedBody
	// Download is the query string of the current filter, for the
	// download links (without the page: a download is every match).
	Download string
}

type importedBody struct {
	ID    int64
	Name  string
	Count int
}

func (s *Server) importedPublic(w http.ResponseWriter, r *http.Request) error {
	q := importedQuery(r)
	res, err := s.db.ImportedReleases(r.Context(), q)
	if err != nil {
		return err
	}
	bodies, err := s.importedBodies(r, res)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "imported", "imported.title", importedPage{Query: q, Result: res, Kinds: ocds.FlagKinds, Bodies: bodies,
		Download: buildQuery("q", q.Text, "flag", q.Flag, "body", q.OrgID)})
}

// importedBodies names the bodies of the body facet.
func (s *Server) importedBodies(r *http.Request, res *store.ImportedResult) ([]importedBody, error) {
	orgs, err := s.db.Orgs(r.Context())
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, o := range orgs {
		names[strconv.FormatInt(o.ID, 10)] = o.Name
	}
	var out []importedBody
	for _, f := range res.Bodies {
		id, _ := strconv.ParseInt(f.Value, 10, 64)
		out = append(out, importedBody{ID: id, Name: names[f.Value], Count: f.Count})
	}
	return out, nil
}

// importedAll is every match of the URL's filter, for the downloads.
func (s *Server) importedAll(r *http.Request) ([]store.ImportedRelease, error) {
	q := importedQuery(r)
	q.All = true
	res, err := s.db.ImportedReleases(r.Context(), q)
	if err != nil {
		return nil, err
	}
	return res.Items, nil
}

// importedColumns are the CSV's columns; the JSON has the same fields.
var importedColumns = []string{"ocid", "release_id", "release_date", "title", "buyer", "stage", "value", "currency",
	"tender_date", "award_date", "contract_start", "contract_end", "flags", "flag_reasons", "flag_paths", "screened_by_body"}

func (s *Server) importedCSV(w http.ResponseWriter, r *http.Request) error {
	items, err := s.importedAll(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="imported-releases.csv"`)
	w.Header().Set("Access-Control-Allow-Origin", "*")
	cw := csv.NewWriter(w)
	cw.Write(importedColumns)
	for _, it := range items {
		var ids, reasons, paths []string
		for _, f := range it.Flags {
			ids, reasons = append(ids, f.ID), append(reasons, f.Reason)
			if !slices.Contains(paths, f.Path) {
				paths = append(paths, f.Path)
			}
		}
		row := []string{it.OCID, it.ReleaseID, it.ReleaseDate, it.Title, it.Buyer, string(it.Stage), moneyInput(it.ValueMinor), it.Currency,
			it.TenderDate.String(), it.AwardDate.String(), it.ContractStart.String(), it.ContractEnd.String(),
			strings.Join(ids, ";"), strings.Join(reasons, ";"), strings.Join(paths, ";"), "false"}
		for i := range row {
			row[i] = csvCell(row[i])
		}
		if err := cw.Write(row); err != nil {
			return nil // the client went away
		}
	}
	cw.Flush()
	return nil
}

// importedJSON is one release of the JSON download.
type importedJSON struct {
	store.ImportedRelease
	Value         string `json:"value,omitempty"`
	TenderDate    string `json:"tender_date,omitempty"`
	AwardDate     string `json:"award_date,omitempty"`
	ContractStart string `json:"contract_start,omitempty"`
	ContractEnd   string `json:"contract_end,omitempty"`
	// ScreenedByBody is always false: an import is the screener's reading
	// of the source, not the body's human-rights screening.
	ScreenedByBody bool `json:"screened_by_body"`
}

func (s *Server) importedJSONDownload(w http.ResponseWriter, r *http.Request) error {
	items, err := s.importedAll(r)
	if err != nil {
		return err
	}
	out := make([]importedJSON, len(items))
	for i, it := range items {
		if it.Flags == nil {
			it.Flags = []store.PurchaseFlag{}
		}
		out[i] = importedJSON{ImportedRelease: it, Value: moneyInput(it.ValueMinor), TenderDate: it.TenderDate.String(), AwardDate: it.AwardDate.String(),
			ContractStart: it.ContractStart.String(), ContractEnd: it.ContractEnd.String()}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="imported-releases.json"`)
	w.Header().Set("Access-Control-Allow-Origin", "*")
	return json.NewEncoder(w).Encode(out)
}
