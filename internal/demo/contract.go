package demo

import (
	"context"

	"buyright/internal/model"
	"buyright/internal/store"
)

// seedContract adds the contract record and an amendment.
func seedContract(ctx context.Context, db *store.DB, people map[string]*model.User) error {
	return nil
}
