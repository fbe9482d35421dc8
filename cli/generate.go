package cli

import (
	"fmt"
	"io"
)

func runGenerate(args []string, stdout, stderr io.Writer) int {
	_ = args
	_ = stdout
	fmt.Fprintln(stderr, "hookcontract generate: not available in this build")
	return ExitUsage
}
