package web_test

import (
	"crypto/sha256"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"runtime"
	"sync"
	"testing"
	"time"

	"buyright/internal/store/storetest"
	"buyright/internal/web"
)

// pdfReader yields size bytes that sniff as a PDF, without holding them.
type pdfReader struct{ left, off int64 }

func (p *pdfReader) Read(b []byte) (int, error) {
	if p.left == 0 {
		return 0, io.EOF
	}
	n := min(int64(len(b)), p.left)
	for i := range n {
		if p.off < 5 {
			b[i] = "%PDF-"[p.off]
		} else {
			b[i] = byte(p.off*31 + p.off>>9)
		}
		p.off++
	}
	p.left -= n
	return int(n), nil
}

// heapPeak samples the live heap (what is left after a collection) over
// and over until stop is called, and returns the highest figure seen.
// Garbage is left out on purpose: when the collector happens to run says
// nothing about what a request holds.
func heapPeak() (stop func() uint64) {
	var mu sync.Mutex
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		for {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			mu.Lock()
			peak = max(peak, ms.HeapAlloc)
			mu.Unlock()
			select {
			case <-done:
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	return func() uint64 {
		close(done)
		wg.Wait()
		return peak
	}
}

// uploadMemory uploads a file of size bytes to a purchase through the
// form, downloads it again, checks the bytes, and returns the heap's peak
// above where it started and the bytes allocated meanwhile (client and
// server are in this process: both are counted).
func uploadMemory(t *testing.T, w *world, purchaseID int64, size int64) (peak, alloc uint64) {
	t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	want := sha256.New()
	go func() {
		mw.WriteField("kind", "evidence")
		part, err := mw.CreateFormFile("file", "big.pdf")
		if err == nil {
			_, err = io.Copy(io.MultiWriter(part, want), &pdfReader{left: size})
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/purchases/%d/files", w.srv.URL, purchaseID), pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.AddCookie(w.signIn("city_officer"))

	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	stop := heapPeak()
	resp, err := client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		stop()
		t.Fatalf("upload of %d bytes: %d", size, resp.StatusCode)
	}
	files, err := w.db.PurchaseFiles(ctx, purchaseID, "evidence")
	if err != nil || len(files) == 0 {
		t.Fatal(files, err)
	}
	f := files[len(files)-1]
	get, _ := http.NewRequest("GET", fmt.Sprintf("%s/purchases/%d/files/%d", w.srv.URL, purchaseID, f.ID), nil)
	get.AddCookie(w.signIn("city_officer"))
	resp, err = client().Do(get)
	if err != nil {
		t.Fatal(err)
	}
	got := sha256.New()
	n, _ := io.Copy(got, resp.Body)
	resp.Body.Close()
	p := stop()
	runtime.ReadMemStats(&after)
	if n != size || fmt.Sprintf("%x", got.Sum(nil)) != fmt.Sprintf("%x", want.Sum(nil)) || f.SHA256 != fmt.Sprintf("%x", want.Sum(nil)) {
		t.Fatalf("%d bytes up, %d down, or not the same bytes", size, n)
	}
	if p > before.HeapAlloc {
		peak = p - before.HeapAlloc
	}
	return peak, after.TotalAlloc - before.TotalAlloc
}

// Files of 1, 10 and 50 MB go up through the form and come down again
// through one server, byte for byte. What the request holds stays flat
// (store.TestBlobMemoryStaysFlat measures it where the bytes pass);
// here the figures of the whole round trip are logged: the live heap's
// peak (sampled after forced collections, so it also counts what was
// allocated while a collection ran: the faster the transfer, the more)
// and the bytes allocated, which grow with the file because the database
// drivers copy each chunk they read into a fresh slice (garbage at once).
// Reading a file whole, as before, allocated about three times its size.
func TestUploadAndDownloadOf1To50MBThroughTheForms(t *testing.T) {
	if testing.Short() || raceDetector {
		t.Skip("uploads 61 MB (not with -short or -race)")
	}
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			w := newWorldWith(t, storetest.Open(t, d), func(c *web.Config) { c.MaxUploadBytes = 64 << 20 })
			p := w.purchase("Large files")
			uploadMemory(t, w, p.ID, 64<<10) // warm up: sign-in, templates, connections
			for _, mb := range []int64{1, 10, 50} {
				peak, alloc := uploadMemory(t, w, p.ID, mb<<20)
				t.Logf("%s: %2d MB up and down: live heap peak +%.1f MB, allocated %.1f MB", d, mb, float64(peak)/(1<<20), float64(alloc)/(1<<20))
				if limit := uint64(4*mb<<20 + 8<<20); alloc > limit {
					t.Errorf("%d MB up and down allocated %d bytes, more than 4 bytes for each byte of the file and 8 MB", mb, alloc)
				}
			}
		})
	}
}
