// Package testmod writes what a throwaway module needs to build generated
// code from this checkout: a go.mod that requires the runtime module and
// replaces it with the checkout's runtime/ directory. Tests build such
// modules with GOWORK=off and GOFLAGS=-mod=mod.
package testmod

import (
	"path/filepath"
	"runtime"
	"strconv"
)

// RuntimeModule is the module path generated code imports its runtime from.
const RuntimeModule = "github.com/hookcontract/hookcontract/runtime"

// RuntimeDir is the absolute directory of the runtime module in this
// checkout.
func RuntimeDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "runtime")
}

// GoMod is the go.mod of a module named module that builds generated code
// against this checkout's runtime, followed by extra (more directives, or
// "").
func GoMod(module, extra string) []byte { return GoModAt(module, RuntimeDir(), extra) }

// GoModAt is GoMod with the runtime module replaced by the one in
// runtimeDir (a changed copy, say).
func GoModAt(module, runtimeDir, extra string) []byte {
	return []byte("module " + module + "\n\ngo 1.26\n\nrequire " + RuntimeModule + " v0.1.0\n\nreplace " + RuntimeModule + " => " + strconv.Quote(filepath.ToSlash(runtimeDir)) + "\n" + extra)
}
