// Package ocds reads Open Contracting Data Standard (OCDS) data as a stream
// and screens each release for purchases of digital technology and for
// human-rights due-diligence red flags.
//
// The reader accepts every common shape of OCDS file (JSON Lines of
// releases, release packages, records or record packages; one pretty-printed
// release, release package or record package; a JSON array of releases),
// plain or gzip-compressed, and never holds more than one line or one
// package element in memory. Bad input never stops a run: each bad line or
// element becomes a reject naming file, line, column, JSON path and reason,
// and the good releases around it are still delivered.
//
// Decoding is done by a hand-written validating scanner that keeps only the
// fields screening reads (Release) next to the raw JSON bytes, because a
// general-purpose decoder spends most of its time building values nobody
// reads. The scanner still checks the whole line is valid JSON.
//
// A later import command can reuse the same stream: Process runs decoding
// and any per-release work on all cores and hands items back in input order.
package ocds
