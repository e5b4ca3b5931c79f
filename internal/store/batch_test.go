package store_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"buyright/internal/audit"
	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// Reads sent together give exactly what each gives alone, a step sees
// its round's answers, and a read a step queues is answered before Run
// returns: on PostgreSQL through one round trip per round, on SQLite one
// read after another.
func TestBatchAnswersAsSingleReads(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		org := storetest.Org(t, db, "city", model.OrgPublicBody)
		u := storetest.User(t, db, org, "ana@city.example", model.RoleOfficer)
		var ps []*model.Purchase
		for i := range 3 {
			p := storetest.Purchase(t, db, u, fmt.Sprintf("Benefits scoring %d", i))
			for j := range i + 1 {
				if _, err := db.AddComment(ctx, store.ActorOf(u), u, p, fmt.Sprintf("comment %d on %d", j, i)); err != nil {
					t.Fatal(err)
				}
			}
			ps = append(ps, p)
		}

		comments := make([][]model.Comment, len(ps))
		var trail []audit.Entry
		var list *store.PurchaseList
		var counts []store.StageCount
		var later []model.Comment
		steps := 0
		b := db.NewBatch()
		for i, p := range ps {
			b.Comments(p.ID, &comments[i])
		}
		b.AuditFor("purchase", ps[2].ID, 100, &trail)
		b.Purchases(u, store.PurchaseFilter{}, &list)
		b.CountByStage(u, false, &counts)
		b.Then(func(context.Context) error {
			steps++
			if len(comments[2]) != 3 {
				t.Errorf("the step ran before its round's reads: %d comments", len(comments[2]))
			}
			b.Comments(ps[1].ID, &later) // goes out in a second round
			return nil
		})
		if err := b.Run(ctx); err != nil {
			t.Fatal(err)
		}
		if steps != 1 {
			t.Errorf("step ran %d times", steps)
		}
		for i, p := range ps {
			alone, err := db.Comments(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(alone) != i+1 || !reflect.DeepEqual(comments[i], alone) {
				t.Errorf("purchase %d: batch gave %+v, alone %+v", i, comments[i], alone)
			}
		}
		if alone, _ := db.Comments(ctx, ps[1].ID); !reflect.DeepEqual(later, alone) {
			t.Errorf("read queued by a step: %+v, want %+v", later, alone)
		}
		if alone, _ := db.AuditFor(ctx, "purchase", ps[2].ID, 100); len(trail) == 0 || !reflect.DeepEqual(trail, alone) {
			t.Errorf("audit in batch %d entries, alone %d", len(trail), len(alone))
		}
		if list == nil || list.Total != 3 || len(list.Items) != 3 || list.Items[0].OrgName != org.Name {
			t.Errorf("purchase list in batch: %+v", list)
		}
		planning := 0
		for _, c := range counts {
			if c.Stage == model.StagePlanning {
				planning = c.Count
			}
		}
		if planning != 3 {
			t.Errorf("counts by stage in batch: %+v", counts)
		}
	})
}

// A batch that cannot be answered says which read failed, and an empty
// batch costs nothing.
func TestBatchErrors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if err := db.NewBatch().Run(ctx); err != nil {
			t.Fatalf("empty batch: %v", err)
		}
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		var flags []store.PurchaseFlag
		var history []model.StageChange
		b := db.NewBatch()
		b.PurchaseFlags(1, &flags)
		b.StageHistory(1, &history)
		err := b.Run(cancelled)
		if err == nil || !strings.HasPrefix(err.Error(), "store: ") {
			t.Fatalf("cancelled batch: %v, want an error naming the read", err)
		}
		// The pool is still usable afterwards.
		b = db.NewBatch()
		b.PurchaseFlags(1, &flags)
		b.StageHistory(1, &history)
		if err := b.Run(ctx); err != nil {
			t.Fatalf("batch after a cancelled one: %v", err)
		}
	})
}
