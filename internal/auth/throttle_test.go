package auth

import (
	"testing"
	"time"
)

func TestThrottle(t *testing.T) {
	th := Throttle{Free: 3, Base: time.Second, Max: 15 * time.Minute}
	t0 := time.Unix(1000, 0)
	cases := []struct {
		n    int
		at   time.Time
		want time.Duration
	}{
		{0, t0, 0}, {2, t0, 0},
		{3, t0, time.Second}, {4, t0, 2 * time.Second}, {5, t0, 4 * time.Second},
		{13, t0, 15 * time.Minute}, {200, t0, 15 * time.Minute},
		{4, t0.Add(time.Second), time.Second}, {4, t0.Add(5 * time.Second), 0},
	}
	for _, c := range cases {
		if got := th.Wait(c.n, t0, c.at); got != c.want {
			t.Errorf("Wait(%d failures, %v later) = %v, want %v", c.n, c.at.Sub(t0), got, c.want)
		}
	}
}
