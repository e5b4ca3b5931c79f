package store

import (
	"context"
	"database/sql"
	"time"

	"buyright/internal/metrics"
)

// DefineMetrics adds the database's gauges to a registry: the connection
// pools as database/sql sees them, and the outbox's queue, read from the
// database when scraped (so every server reports the one shared queue).
func (db *DB) DefineMetrics(m *metrics.Registry) {
	pools := func() map[string]sql.DBStats {
		out := map[string]sql.DBStats{"write": db.write.Stats()}
		if db.read != db.write {
			out["read"] = db.read.Stats()
		}
		return out
	}
	m.GaugeFunc("buyright_db_connections", "Database connections by pool and state (in_use, idle, max_open).", func() []metrics.Sample {
		var ss []metrics.Sample
		for name, st := range pools() {
			ss = append(ss,
				metrics.Sample{Labels: []string{"pool", name, "state", "in_use"}, Value: float64(st.InUse)},
				metrics.Sample{Labels: []string{"pool", name, "state", "idle"}, Value: float64(st.Idle)},
				metrics.Sample{Labels: []string{"pool", name, "state", "max_open"}, Value: float64(st.MaxOpenConnections)})
		}
		return ss
	})
	m.GaugeFunc("buyright_db_wait_seconds", "Total time requests waited for a free database connection since start, by pool (a counter in meaning).", func() []metrics.Sample {
		var ss []metrics.Sample
		for name, st := range pools() {
			ss = append(ss, metrics.Sample{Labels: []string{"pool", name}, Value: st.WaitDuration.Seconds()})
		}
		return ss
	})
	m.GaugeFunc("buyright_outbox_messages", "Messages in the outbox by state: waiting (not yet sent, still to try) and failed (given up).", func() []metrics.Sample {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		var waiting, failed int64
		err := db.read.QueryRowContext(ctx, `SELECT
			COUNT(*) FILTER (WHERE sent_at IS NULL AND failed_at IS NULL),
			COUNT(*) FILTER (WHERE failed_at IS NOT NULL)
			FROM outbox`).Scan(&waiting, &failed)
		if err != nil {
			return nil
		}
		return []metrics.Sample{
			{Labels: []string{"state", "waiting"}, Value: float64(waiting)},
			{Labels: []string{"state", "failed"}, Value: float64(failed)},
		}
	})
}
