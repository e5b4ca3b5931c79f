package store_test

import (
	"testing"
	"time"

	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// Failures are counted per group the sign-in limits need, on both
// databases; a good sign-in forgets only the person's own; a day later
// they are gone.
func TestSignInFailureGroups(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		ana := store.SignInKey{Email: "Ana@city.example", Addr: "addr-ana"}
		anaKnown := store.SignInKey{Email: "ana@city.example", Addr: "addr-ana", Device: "dev-ana"}
		stranger := store.SignInKey{Email: "ana@city.example", Addr: "addr-x"}
		spray := store.SignInKey{Email: "bob@city.example", Addr: "addr-x"}
		for k, n := range map[store.SignInKey]int{ana: 2, anaKnown: 1, stranger: 4, spray: 3} {
			for i := 0; i < n; i++ {
				if err := db.RecordSignInFailure(ctx, k); err != nil {
					t.Fatal(err)
				}
			}
		}
		f, err := db.SignInHistory(ctx, stranger)
		if err != nil {
			t.Fatal(err)
		}
		if f.Pair.N != 4 || f.Account.N != 6 || f.Addr.N != 7 || f.Device.N != 0 || !f.Pair.Last.Equal(now) {
			t.Fatalf("stranger's view: %+v", f)
		}
		if f, _ = db.SignInHistory(ctx, anaKnown); f.Device.N != 1 {
			t.Fatalf("known browser's view: %+v", f)
		}
		if err := db.ClearSignInFailures(ctx, anaKnown); err != nil {
			t.Fatal(err)
		}
		if f, _ = db.SignInHistory(ctx, stranger); f.Account.N != 4 || f.Addr.N != 7 {
			t.Fatalf("after Ana's sign-in, strangers' failures must stay: %+v", f)
		}
		if err := db.RememberDevice(ctx, "dev-ana", "ANA@city.example", time.Hour); err != nil {
			t.Fatal(err)
		}
		if ok, err := db.KnownDevice(ctx, "dev-ana", "ana@city.example"); !ok || err != nil {
			t.Fatalf("known browser: %v %v", ok, err)
		}
		if ok, _ := db.KnownDevice(ctx, "dev-ana", "bob@city.example"); ok {
			t.Fatal("a browser known for Ana is known for Bob")
		}
		now = now.Add(25 * time.Hour)
		if err := db.DeleteExpired(ctx); err != nil {
			t.Fatal(err)
		}
		if f, _ = db.SignInHistory(ctx, stranger); f.Addr.N != 0 || f.Account.N != 0 {
			t.Fatalf("a day later: %+v", f)
		}
		if ok, _ := db.KnownDevice(ctx, "dev-ana", "ana@city.example"); ok {
			t.Fatal("an expired browser is still known")
		}
	})
}
