// Package specs embeds the hookcontract webhook contracts: for each provider
// an OpenAPI 3.1 document, its JSON Schema 2020-12 files and its fixtures,
// laid out as described in LAYOUT.md. Any binary that imports this package
// carries the whole tree.
package specs

import (
	"embed"
	"io/fs"
)

//go:embed coverage.yaml */openapi.yaml */schemas */examples
var tree embed.FS

// FS returns the embedded spec tree, rooted at the directory that holds one
// folder per provider.
func FS() fs.FS { return tree }
