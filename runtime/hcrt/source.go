package hcrt

import "embed"

// Source holds the Go files of this package, without its tests, for tools
// that type-check generated code where no module cache holds the runtime
// (hookcontract diff compares the Go API of two generations). A test keeps
// the list whole.
//
//go:embed decode.go dedupe.go events.go exported.go format.go handler.go lookup.go nullable.go num.go reflectdecode.go rt.go segments.go server.go sign.go source.go tape.go value.go verify.go version.go
var Source embed.FS
