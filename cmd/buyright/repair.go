package main

import (
	"context"
	"log/slog"

	"buyright/internal/catalog"
	"buyright/internal/monitoring"
	"buyright/internal/store"
)

// repairIndicators puts monitoring indicators that older versions saved
// with the form's unit and direction instead of their catalogue entry's
// back to the catalogue's terms, before the server answers anyone. Each
// fix is audited and the indicator's tasks are judged again; a row that
// cannot be fixed (its threshold does not fit the catalogue's unit) is
// left as it is and named in the log for a person to correct.
func repairIndicators(ctx context.Context, db *store.DB, set *catalog.Set, log *slog.Logger) error {
	fixes, err := db.RepairIndicators(ctx, func(id string) (monitoring.Terms, bool) {
		it, ok := set.Item(id)
		if !ok || it.Kind != "indicator" {
			return monitoring.Terms{}, false
		}
		return monitoring.Terms{Unit: it.Unit, Direction: it.Direction, ByGroup: it.ByGroup}, true
	})
	for _, f := range fixes {
		args := []any{"purchase", f.PurchaseID, "indicator", f.IndicatorID, "catalogue_entry", f.CatalogID,
			"saved_as", f.Was.Unit + ", " + f.Was.Direction + " is better", "catalogue", f.Now.Unit + ", " + f.Now.Direction + " is better"}
		if f.Problem != "" {
			log.Warn("a monitoring indicator departs from its catalogue entry and cannot be corrected automatically; correct it on its page", append(args, "problem", f.Problem)...)
			continue
		}
		log.Info("corrected a monitoring indicator to its catalogue entry's unit, direction and grouping; its tasks were judged again", args...)
	}
	return err
}
