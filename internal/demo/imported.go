package demo

import (
	"context"
	"strings"

	"buyright/internal/model"
	"buyright/internal/ocds"
	"buyright/internal/ocdsio"
	"buyright/internal/store"
)

// importedReleases are open contracting releases of a regional transport
// body, made up for the demo, that `buyright import` would bring in: the
// public view of imported data (/imported) and the red-flag filters have
// something to show. They go through the real screener, so the flags are
// the ones an import would raise.
const importedReleases = `{"ocid":"ocds-demo-rtc-0001","id":"0001-tender","date":"2026-02-10T09:00:00Z","tag":["tender"],"language":"en","buyer":{"name":"Regional Transport Consortium"},"tender":{"title":"Facial recognition at station entrances","description":"Supply and installation of facial recognition cameras at the entrances of twelve metro stations.","procurementMethod":"direct","numberOfTenderers":1,"status":"active","tenderPeriod":{"startDate":"2026-02-10","endDate":"2026-03-01"},"value":{"amount":2400000,"currency":"EUR"}}}
{"ocid":"ocds-demo-rtc-0002","id":"0002-tender","date":"2026-01-20T09:00:00Z","tag":["tender"],"language":"en","buyer":{"name":"Regional Transport Consortium"},"tender":{"title":"Passenger ticketing app and data platform","description":"A mobile ticketing app and a cloud data platform holding passengers' journeys and personal data.","procurementMethod":"open","status":"active","tenderPeriod":{"startDate":"2026-01-20","endDate":"2026-03-15"},"value":{"amount":850000,"currency":"EUR"},"documents":[{"documentType":"tenderNotice","title":"Contract notice"}]}}
{"ocid":"ocds-demo-rtc-0003","id":"0003-tender","date":"2026-01-05T09:00:00Z","tag":["tender"],"language":"en","buyer":{"name":"Regional Transport Consortium"},"tender":{"title":"CCTV maintenance at bus depots","description":"Maintenance of the CCTV surveillance cameras at four bus depots.","procurementMethod":"limited","numberOfTenderers":1,"status":"active","tenderPeriod":{"startDate":"2026-01-05","endDate":"2026-01-30"},"value":{"amount":120000,"currency":"EUR"}}}
{"ocid":"ocds-demo-rtc-0004","id":"0004-tender","date":"2025-12-01T09:00:00Z","tag":["tender"],"language":"en","buyer":{"name":"Regional Transport Consortium"},"tender":{"title":"Driver rostering software","description":"Software licences for scheduling bus drivers' shifts.","procurementMethod":"open","status":"active","tenderPeriod":{"startDate":"2025-12-01","endDate":"2026-01-10"},"value":{"amount":95000,"currency":"EUR"},"documents":[{"documentType":"tenderNotice","title":"Contract notice"},{"documentType":"technicalSpecifications","title":"Specifications"}]}}
`

// seedImported creates the transport body, outside the oversight body's
// remit so that oversight's lists are as before, and imports the
// releases into it.
func seedImported(ctx context.Context, db *store.DB) error {
	org := &model.Organisation{Slug: "transport", Name: "Regional Transport Consortium", Kind: model.OrgPublicBody, Jurisdiction: "PT"}
	if err := db.CreateOrg(ctx, store.System, org); err != nil {
		return err
	}
	lists, err := ocds.DefaultLists()
	if err != nil {
		return err
	}
	scr := ocds.NewScreener(lists)
	var rows []store.ImportRow
	err = ocds.Process(ctx, strings.NewReader(importedReleases), "demo", ocds.Options{}, 1,
		func(it *ocds.Item) store.ImportRow {
			if it.Err != nil {
				return store.ImportRow{}
			}
			res := scr.Screen(it.Release)
			return ocdsio.Row(it.Release, &res)
		},
		func(it *ocds.Item, row store.ImportRow) error {
			if it.Err != nil {
				return it.Err
			}
			rows = append(rows, row)
			return nil
		})
	if err != nil {
		return err
	}
	_, err = db.ImportPurchases(ctx, store.Actor{Label: "demo import"}, org.ID, rows)
	return err
}
