package demo

import (
	"context"

	"buyright/internal/model"
	"buyright/internal/store"
)

// seedLabMembers adds materials and an event in the Lab's members' space.
func seedLabMembers(ctx context.Context, db *store.DB, people map[string]*model.User) error {
	return nil
}
