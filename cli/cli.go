// Package cli implements the hookcontract command. Run is the whole program:
// cmd/hookcontract's main only calls it, so tests run the command in-process.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"sort"
)

// Exit statuses.
const (
	ExitOK       = 0 // success: every payload conforms, generated code is up to date
	ExitFindings = 1 // a payload does not conform, generated code drifted
	ExitUsage    = 2 // bad usage, unreadable input, broken spec
)

// Run runs the hookcontract command with args (without the program name)
// and returns its exit status.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return ExitUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "test":
		return runTest(rest, stdin, stdout, stderr)
	case "generate":
		return runGenerate(rest, stdout, stderr)
	case "serve":
		return runServe(rest, stdout, stderr)
	case "send":
		return runSend(rest, stdin, stdout, stderr)
	case "diff":
		return runDiff(rest, stdin, stdout, stderr)
	case "coverage":
		return runCoverage(rest, stdin, stdout, stderr)
	case "suggest":
		return runSuggest(rest, stdin, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "hookcontract", version())
		return ExitOK
	case "help", "-h", "-help", "--help":
		usage(stdout)
		return ExitOK
	}
	fmt.Fprintf(stderr, "hookcontract: unknown command %q\n", cmd)
	usage(stderr)
	return ExitUsage
}

func usage(w io.Writer) {
	fmt.Fprint(w, `Usage: hookcontract <command> [flags]

Commands:
  test [flags] [PATH...]   check webhook payloads against the contracts
                           (no PATH: check the embedded fixtures)
  generate [flags]         generate Go packages from a spec
  serve [flags]            receive webhooks: verify, validate, capture
  send [flags] [PATH...]   sign payloads as a provider would and post them
  version                  print the version

Run 'hookcontract <command> -h' for a command's flags.
`)
}

func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	for _, d := range bi.Deps {
		if d.Path == "github.com/hookcontract/hookcontract" {
			return d.Version
		}
	}
	if bi.Main.Path == "github.com/hookcontract/hookcontract" && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

// parseInterleaved parses flags that may appear before, between or after
// positional arguments; "--" ends flag parsing.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		// fs.Parse stopped at a positional argument or after "--".
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func newFlagSet(name string, stderr io.Writer, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet("hookcontract "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: hookcontract %s %s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// flagError reports a usage error and returns ExitUsage; -h is not an error.
func flagError(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	return ExitUsage
}

func oneOf(v string, allowed []string) bool {
	i := sort.SearchStrings(allowed, v)
	return i < len(allowed) && allowed[i] == v
}
