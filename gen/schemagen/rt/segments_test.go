package rt

import (
	"regexp"
	"testing"
)

// TestMatchSegsAgreesWithRegexp: on path-like patterns, hcMatchSegs answers
// as regexp does, including newlines and invalid UTF-8 inside runs.
func TestMatchSegsAgreesWithRegexp(t *testing.T) {
	cases := map[string][]hcSeg{
		`^/v0/tickets/[^/]+$`:                {{lit: "/v0/tickets/"}, {stop: '/', run: true}},
		`^/v0/tickets/[^/]+/messages/[^/]+$`: {{lit: "/v0/tickets/"}, {stop: '/', run: true}, {lit: "/messages/"}, {stop: '/', run: true}},
		`^a[^,]+,b$`:                         {{lit: "a"}, {stop: ',', run: true}, {lit: ",b"}},
		`^[^/]+$`:                            {{stop: '/', run: true}},
	}
	inputs := []string{"", "/", "/v0/tickets/", "/v0/tickets/x", "/v0/tickets/x/", "/v0/tickets/x/y",
		"/v0/tickets/debde69a/messages/39697476", "/v0/tickets/a/messages/", "/v0/tickets/a/messages/b/c",
		"/v0/tickets/\n", "/v0/tickets/\xff", "/v0/tickets/é", "a,b", "ax,b", "ax,b,", "abc", "a/b", "\n", "x\n"}
	for p, segs := range cases {
		re := regexp.MustCompile(p)
		for _, in := range inputs {
			if got, want := hcMatchSegs([]byte(in), segs), re.MatchString(in); got != want {
				t.Errorf("%s on %q: segments say %v, regexp %v", p, in, got, want)
			}
		}
	}
}
