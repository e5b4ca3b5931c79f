//go:build race

package web_test

// raceDetector is true in a build with -race, which runs Go code five to
// ten times slower: the few tests that only walk many pages or move many
// megabytes skip there and run in CI's second pass, without it.
const raceDetector = true
