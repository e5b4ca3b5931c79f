// Package screening evaluates the screening questionnaire of the catalogue:
// which questions are visible given the answers so far, whether an answer
// set is valid, and what it scores - an impact level I to IV with the
// answers that raised it, the assessments required, a stop where an AI Act
// prohibited practice is likely, and the requirements each lifecycle stage
// must meet before the purchase may leave it.
//
// Everything here is a pure function of a catalogue set and an answer set:
// no database, no clock. The same answers against the same catalogue (same
// hash) always give the same result, which is what lets a signed-off
// assessment be re-checked later.
package screening
