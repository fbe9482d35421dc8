// Package templates holds the overrides of oapi-codegen's templates the
// generator uses when it generates management-endpoint clients: a file
// named like one of oapi-codegen's templates replaces it.
package templates

import (
	"embed"
	"io/fs"
)

//go:embed *.tmpl
var files embed.FS

// Overrides returns the template overrides, by oapi-codegen template name.
func Overrides() (map[string]string, error) {
	names, err := fs.Glob(files, "*.tmpl")
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, n := range names {
		b, err := files.ReadFile(n)
		if err != nil {
			return nil, err
		}
		out[n] = string(b)
	}
	return out, nil
}
