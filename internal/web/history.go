package web

import "buyright/internal/i18n"

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
