package ocds

import (
	"context"
	"io"
	"runtime"
	"sync"
)

// Process reads r (named name in errors), decodes it on workers goroutines
// (all cores when workers < 1), runs work on each item on those goroutines,
// and calls emit with each item and its work result on the calling
// goroutine, in input order. Rejected input arrives as items too.
//
// Memory stays flat: at most a few batches per worker are in flight. The
// item and its Raw bytes may be reused once emit returns.
//
// It returns the first error from emit, ctx's error if ctx ends, or an
// error when the input cannot be read any further.
func Process[T any](ctx context.Context, r io.Reader, name string, opts Options, workers int, work func(*Item) T, emit func(*Item, T) error) error {
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	opts = opts.withDefaults()
	src, err := newSource(r, name, opts)
	if err != nil {
		return err
	}
	defer src.close()

	type job struct {
		b     *batch
		items []Item
		res   []T
		done  chan struct{}
	}
	// A fixed set of jobs circulates: reader → workers → emitter → back.
	// Their buffers are reused for the whole run (a sync.Pool would be
	// emptied by every garbage collection), and their number is the bound
	// on memory.
	inFlight := 2*workers + 2
	free := make(chan *job, inFlight)
	for range inFlight {
		free <- &job{b: &batch{}, done: make(chan struct{}, 1)}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	todo := make(chan *job, inFlight)
	order := make(chan *job, inFlight)
	var readErr error
	go func() {
		defer close(todo)
		defer close(order)
		for {
			var j *job
			select {
			case j = <-free:
			case <-ctx.Done():
				return
			}
			if err := src.next(j.b); err != nil {
				if err != io.EOF {
					readErr = &Error{File: name, Reason: err.Error()}
				}
				return
			}
			// order first, so the emitter knows the sequence; neither send
			// can block, both channels hold every job.
			order <- j
			todo <- j
		}
	}()

	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dec := newDecoder(name, opts)
			for j := range todo {
				j.items = j.items[:0]
				for _, u := range j.b.units {
					j.items = dec.decode(u, j.items)
				}
				j.res = j.res[:0]
				for i := range j.items {
					j.res = append(j.res, work(&j.items[i]))
				}
				j.done <- struct{}{}
			}
		}()
	}
	defer wg.Wait()

	var emitErr error
	for j := range order {
		select {
		case <-j.done:
		case <-ctx.Done():
			// Workers may still hold jobs; let them finish in the
			// background, the deferred Wait collects them.
			emitErr = ctx.Err()
		}
		if emitErr != nil {
			break
		}
		for i := range j.items {
			if emitErr = emit(&j.items[i], j.res[i]); emitErr != nil {
				break
			}
		}
		if emitErr != nil {
			break
		}
		clear(j.res)
		free <- j
	}
	if emitErr != nil {
		cancel()
		// Drain so the reader goroutine can exit.
		for range order {
		}
		return emitErr
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return readErr
}
