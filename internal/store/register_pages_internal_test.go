package store

import (
	"context"
	"testing"
	"time"
)

// A reader waiting for a page whose computation panicked gets a page of
// its own, never an empty result.
func TestRegisterPageWaiterOutlivesAPanickingLeader(t *testing.T) {
	var c pageCache
	ctx := context.Background()
	started, release := make(chan struct{}), make(chan struct{})
	go func() {
		defer func() { recover() }()
		c.get(ctx, 1, "k", func() (*RegisterResult, bool, error) {
			close(started)
			<-release
			panic("leader fails")
		})
	}()
	<-started
	got := make(chan *RegisterResult)
	go func() {
		res, err := c.get(ctx, 1, "k", func() (*RegisterResult, bool, error) {
			return &RegisterResult{Total: 7}, true, nil
		})
		if err != nil {
			t.Error(err)
		}
		got <- res
	}()
	time.Sleep(10 * time.Millisecond) // let the second reader start waiting
	close(release)
	if res := <-got; res == nil || res.Total != 7 {
		t.Fatalf("waiter got %+v", res)
	}
}
