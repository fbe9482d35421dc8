package main

import (
	"bytes"
	"os"
	"testing"
)

// TestBundleUpToDate: the committed document that ogen's peer code is
// generated from is what bundling specs/ gives now; when a schema changes,
// `go generate ./ogen` in the bench module rewrites both.
func TestBundleUpToDate(t *testing.T) {
	want, err := bundle("../../../specs")
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("bench/ogen/openapi.json is stale: run `go generate ./ogen` in the bench module")
	}
}
