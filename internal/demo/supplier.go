package demo

import (
	"context"

	"buyright/internal/model"
	"buyright/internal/store"
)

// seedSupplierDD adds the invited supplier answers its due-diligence questionnaire.
func seedSupplierDD(ctx context.Context, db *store.DB, people map[string]*model.User) error {
	return nil
}
