// Command hookcontract checks webhook payloads against their contracts and
// generates Go packages from webhook specs. See the README.
package main

import (
	"os"

	"github.com/hookcontract/hookcontract/cli"
)

func main() { os.Exit(cli.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
