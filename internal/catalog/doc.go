// Package catalog holds buyright's framework catalogues as data: rights,
// principles, requirements, questions and scoring rules, each item with a
// stable id, text in our own words, the reference it rests on and its
// translations.
//
// The default set is embedded in the binary (data/*.yaml). An organisation
// may lay its own files over it: an item with an id that already exists
// replaces the built-in one, a new id extends the catalogue it names. A set
// is only ever handed out when it has no problems, so a catalogue with errors
// is never activated; the problems name file and line.
//
// The format is documented for organisations in docs/catalogs.md.
package catalog
