// Package extension holds buyright's OCDS extension for human rights due
// diligence (extension.json, the release schema patch, codelists and the
// README), embedded so that the web server can serve it.
package extension

import "embed"

// Files are the extension's files, at their paths in this folder.
//
//go:embed extension.json release-schema.json README.md codelists/*.csv
var Files embed.FS
