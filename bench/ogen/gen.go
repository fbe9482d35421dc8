// Package ogen holds the benchmark's peer: ogen's generated decoders and
// validators for the same JSON Schemas as the generated packages, from the
// OpenAPI document that ./bundle writes from specs/ (regenerate with
// `go generate ./ogen` in the bench module). ogen is a dependency of the
// bench module only.
//
// ogen.yml sets ignore_not_implemented: ogen's code leaves out what it
// cannot express (if/then/else, const, some allOf constraints), so it
// checks less than the generated validators do; the comparison favours it.
package ogen

//go:generate go run ./bundle -specs ../../specs -o openapi.json
//go:generate go tool ogen --config ogen.yml --target peer --package ogenpeer --clean openapi.json
