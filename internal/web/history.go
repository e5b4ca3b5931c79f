package web

import (
	"strings"

	"buyright/internal/i18n"
)

// historySentence says in the reader's language what an audit entry
// records. Every action the store writes has a sentence (a test reads the
// store's source for them); an entry written by a newer version still
// reads as a sentence that names the action rather than as a raw key.
func historySentence(cat *i18n.Catalog, action string) string {
	key := "history." + action
	if s := cat.T(key); s != key {
		return s
	}
	return cat.T("history.unknown", action)
}

// historyActor names who made an audit entry. People are named as
// recorded; the labels the store gives entries no person made ("public"
// for a complaint or response sent without an account, "organisation"
// for one sent in an organisation's name, "system", "cli") are words of
// the interface, translated like the rest.
func historyActor(cat *i18n.Catalog, label string) string {
	switch label {
	case "public", "organisation", "system", "cli", "startup check":
		return cat.T("history.actor." + strings.ReplaceAll(label, " ", "_"))
	}
	return label
}
