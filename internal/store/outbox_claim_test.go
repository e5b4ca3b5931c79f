package store_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"buyright/internal/mail"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// Workers claiming the outbox at the same moment (app servers, one
// database) each get different messages, and together all of them.
func TestClaimMailConcurrentWorkersTakeEachMessageOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		const n = 60
		for i := range n {
			if _, err := db.QueueMail(ctx, fmt.Sprint("k", i), mail.Message{To: fmt.Sprintf("p%d@example.org", i), Subject: "s", Body: "b"}); err != nil {
				t.Fatal(err)
			}
		}
		var mu sync.Mutex
		seen := map[int64]int{}
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					batch, err := db.ClaimMail(ctx, 7, time.Hour)
					if err != nil {
						t.Error(err)
						return
					}
					if len(batch) == 0 {
						return
					}
					mu.Lock()
					for _, q := range batch {
						seen[q.ID]++
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if len(seen) != n {
			t.Fatalf("%d of %d messages claimed", len(seen), n)
		}
		for id, k := range seen {
			if k != 1 {
				t.Fatalf("message %d claimed %d times", id, k)
			}
		}
	})
}
