package schemagen

import (
	"fmt"
	"testing"
)

// TestPathSegments: path-like patterns are cut into segments; patterns
// where cutting runs at their stop byte would change the meaning are left
// to regexp. (rt's tests check hcMatchSegs against regexp.)
func TestPathSegments(t *testing.T) {
	recognised := []string{
		`^/v0/tickets/[^/]+$`,
		`^/v0/tickets/[^/]+/messages/[^/]+$`,
		`^a[^,]+,b$`,
		`^[^/]+$`,
	}
	notRecognised := []string{
		`/v0/tickets/[^/]+$`, // not anchored at the start
		`^/v0/[^/]+x$`,       // run followed by a literal not starting with the stop byte
		`^(?i)abc[^/]+$`,     // case folding
		`^[^/]+[^,]+$`,       // two runs in a row
		`^[a-z]+$`,           // not "all but one"
		`^[^é]+$`,            // stop is not ASCII
	}
	want := map[string][]segment{
		`^/v0/tickets/[^/]+$`:                {{lit: "/v0/tickets/"}, {stop: '/', run: true}},
		`^/v0/tickets/[^/]+/messages/[^/]+$`: {{lit: "/v0/tickets/"}, {stop: '/', run: true}, {lit: "/messages/"}, {stop: '/', run: true}},
		`^a[^,]+,b$`:                         {{lit: "a"}, {stop: ',', run: true}, {lit: ",b"}},
		`^[^/]+$`:                            {{stop: '/', run: true}},
	}
	for _, p := range recognised {
		segs, ok := pathSegments(p)
		if !ok {
			t.Errorf("%s: not recognised", p)
			continue
		}
		if fmt.Sprint(segs) != fmt.Sprint(want[p]) {
			t.Errorf("%s: segments %v, want %v", p, segs, want[p])
		}
	}
	for _, p := range notRecognised {
		if _, ok := pathSegments(p); ok {
			t.Errorf("%s: recognised, but ending runs at the stop byte is not its meaning", p)
		}
	}
}
