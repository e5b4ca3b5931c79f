package web

import (
	"net/http"
	"net/http/httptest"
)

func newRequest(acceptLanguage string) *http.Request {
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Accept-Language", acceptLanguage)
	return r
}
