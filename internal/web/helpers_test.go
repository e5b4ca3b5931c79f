package web

import "net/http/httptest"
import "net/http"

func newRequest(acceptLanguage string) *http.Request {
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Accept-Language", acceptLanguage)
	return r
}
