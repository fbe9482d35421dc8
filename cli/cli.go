// Package cli implements the hookcontract command. Run is the whole program:
// cmd/hookcontract's main only calls it, so tests run the command in-process.
//
// Every command is one entry of the commands table: its name, a one-line
// summary, its usage line, a paragraph about it, the flags it defines,
// examples and exit statuses. Help, `help <command>`, the short usage an
// unknown flag prints and the shell completion scripts are all written from
// that table, so a new command is one entry.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"sort"
	"strings"
)

// Exit statuses.
const (
	ExitOK       = 0 // success: every payload conforms, generated code is up to date
	ExitFindings = 1 // a payload does not conform, generated code drifted
	ExitUsage    = 2 // bad usage, unreadable input, broken spec
)

// env is what a command runs with.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	cmd            *command
	fs             *flag.FlagSet
}

// errorf prints "hookcontract <command>: <message>" on stderr.
func (e *env) errorf(format string, a ...any) {
	fmt.Fprintf(e.stderr, "hookcontract %s: %s\n", e.cmd.name, fmt.Sprintf(format, a...))
}

// fail prints an error like errorf and returns ExitUsage: for a bad flag
// value or an input that cannot be read, where the short usage would not
// help.
func (e *env) fail(format string, a ...any) int {
	e.errorf(format, a...)
	return ExitUsage
}

// usageError prints a usage error and the command's short usage, and
// returns ExitUsage.
func (e *env) usageError(format string, a ...any) int {
	e.errorf(format, a...)
	e.cmd.shortUsage(e.stderr)
	return ExitUsage
}

// exitStatus is one line of a command's "Exit status" section.
type exitStatus struct {
	code int
	what string
}

// command is one entry of the commands table.
type command struct {
	name     string
	summary  string   // one line, lowercase, for the command list
	usage    string   // what follows "hookcontract <name> " on the usage line
	about    string   // paragraphs shown by help <name>
	examples []string // command lines, each optionally followed by "  # comment"
	exits    []exitStatus
	// define registers the command's flags on fs and returns the function
	// that runs it once the flags are parsed, with the positional
	// arguments. Flags and positional arguments may be interleaved; "--"
	// ends the flags.
	define func(fs *flag.FlagSet) func(e *env, args []string) int
	// noFlags: the command parses its arguments itself (help, completion).
	noFlags bool
}

// commands is the table of every command, in the order help lists them.
// It is filled in init, since help and completion read it.
var commands []*command

func init() {
	commands = []*command{
		testCommand,
		generateCommand,
		serveCommand,
		sendCommand,
		diffCommand,
		coverageCommand,
		suggestCommand,
		completionCommand,
		versionCommand,
		helpCommand,
	}
}

func lookup(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

// Run runs the hookcontract command with args (without the program name)
// and returns its exit status.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return ExitUsage
	}
	name, rest := args[0], args[1:]
	switch name {
	case "-h", "-help", "--help":
		usage(stdout)
		return ExitOK
	case "-v", "-version", "--version":
		name = "version"
	}
	c := lookup(name)
	if c == nil {
		fmt.Fprintf(stderr, "hookcontract: unknown command %q\n", name)
		if strings.HasPrefix(name, "-") {
			fmt.Fprintf(stderr, "hookcontract: flags follow the command: hookcontract <command> %s\n", name)
		}
		fmt.Fprintf(stderr, "Run 'hookcontract help' for the commands.\n")
		return ExitUsage
	}
	return c.run(rest, stdin, stdout, stderr)
}

func (c *command) newFlagSet() (*flag.FlagSet, func(*env, []string) int) {
	fs := flag.NewFlagSet("hookcontract "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	var run func(*env, []string) int
	if c.define != nil {
		run = c.define(fs)
	}
	return fs, run
}

func (c *command) run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs, run := c.newFlagSet()
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, cmd: c, fs: fs}
	if c.noFlags {
		return run(e, args)
	}
	pos, err := parseInterleaved(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		c.help(stdout)
		return ExitOK
	}
	if err != nil {
		return e.usageError("%s", dashFlag(err.Error()))
	}
	return run(e, pos)
}

// dashFlag rewrites the flag package's "-name" in an error as "--name",
// the spelling the help uses.
func dashFlag(msg string) string {
	for _, p := range []string{"flag provided but not defined: -", "flag needs an argument: -", "bad flag syntax: -"} {
		if strings.HasPrefix(msg, p) && !strings.HasPrefix(msg, p+"-") {
			return p[:len(p)-1] + "--" + msg[len(p):]
		}
	}
	if strings.HasPrefix(msg, "invalid value ") {
		if i := strings.Index(msg, " for flag -"); i >= 0 {
			return msg[:i] + " for flag --" + msg[i+len(" for flag -"):]
		}
	}
	return msg
}

// shortUsage is what a usage error shows: the usage line and where to
// read more.
func (c *command) shortUsage(w io.Writer) {
	fmt.Fprintf(w, "Usage: hookcontract %s %s\n", c.name, c.usage)
	fmt.Fprintf(w, "Run 'hookcontract help %s' for its flags, examples and exit status.\n", c.name)
}

// help writes the command's whole manual.
func (c *command) help(w io.Writer) {
	fmt.Fprintf(w, "Usage: hookcontract %s %s\n", c.name, c.usage)
	if c.about != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(c.about))
	}
	if fl := c.flags(); len(fl) > 0 {
		fmt.Fprintf(w, "\nFlags:\n")
		width := 0
		for _, f := range fl {
			width = max(width, len(f.spelling()))
		}
		for _, f := range fl {
			lines := wrap(f.usage, max(40, 76-width))
			fmt.Fprintf(w, "  %-*s  %s\n", width, f.spelling(), lines[0])
			for _, l := range lines[1:] {
				fmt.Fprintf(w, "  %-*s  %s\n", width, "", l)
			}
		}
		fmt.Fprintf(w, "  %-*s  %s\n", width, "-h, --help", "show this help")
	}
	if len(c.examples) > 0 {
		fmt.Fprintf(w, "\nExamples:\n")
		for _, ex := range c.examples {
			fmt.Fprintf(w, "  %s\n", ex)
		}
	}
	if len(c.exits) > 0 {
		fmt.Fprintf(w, "\nExit status:\n")
		for _, x := range c.exits {
			for i, l := range wrap(x.what, 72) {
				if i == 0 {
					fmt.Fprintf(w, "  %d  %s\n", x.code, l)
				} else {
					fmt.Fprintf(w, "     %s\n", l)
				}
			}
		}
	}
}

// wrap breaks s into lines of at most width bytes, at spaces.
func wrap(s string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		if line != "" && len(line)+1+len(word) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	return append(lines, line)
}

// flagInfo is one flag as help and completion show it.
type flagInfo struct {
	name  string
	arg   string // the value's placeholder, "" for a boolean flag
	usage string // with its default appended when it has one
	bool  bool
}

func (f flagInfo) spelling() string {
	if f.arg == "" {
		return "--" + f.name
	}
	return "--" + f.name + " " + f.arg
}

// flags lists the command's flags, sorted by name.
func (c *command) flags() []flagInfo {
	if c.define == nil || c.noFlags {
		return nil
	}
	fs, _ := c.newFlagSet()
	var out []flagInfo
	fs.VisitAll(func(f *flag.Flag) {
		arg, u := flag.UnquoteUsage(f)
		isBool := false
		if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && bf.IsBoolFlag() {
			isBool, arg = true, ""
		}
		if d := f.DefValue; d != "" && d != "false" && d != "0" && d != "[]" && !isBool {
			u += fmt.Sprintf(" (default %s)", d)
		}
		out = append(out, flagInfo{name: f.Name, arg: arg, usage: u, bool: isBool})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

func usage(w io.Writer) {
	fmt.Fprint(w, "hookcontract checks webhook payloads against their contracts and generates Go\nfrom them.\n\nUsage: hookcontract <command> [flags] [arguments]\n\nCommands:\n")
	width := 0
	for _, c := range commands {
		width = max(width, len(c.name))
	}
	for _, c := range commands {
		fmt.Fprintf(w, "  %-*s  %s\n", width, c.name, c.summary)
	}
	fmt.Fprint(w, `
Flags:
  -h, --help     show this help
  -v, --version  print the version

Exit status: 0 success, 1 findings (a payload does not conform, generated
code is stale, a request was not answered 2xx, a contract change of a
--fail-on class, changes to suggest), 2 bad usage or I/O errors.

Run 'hookcontract help <command>' for a command's flags, examples and exit
status.
`)
}

var helpCommand = &command{
	name:     "help",
	summary:  "show the help of a command",
	usage:    "[COMMAND]",
	examples: []string{"hookcontract help test"},
	exits:    []exitStatus{{ExitOK, "help shown"}, {ExitUsage, "no such command"}},
	noFlags:  true,
	define: func(*flag.FlagSet) func(*env, []string) int {
		return func(e *env, args []string) int {
			switch {
			case len(args) == 1 && (args[0] == "-h" || args[0] == "--help"):
				e.cmd.help(e.stdout)
				return ExitOK
			case len(args) == 0:
				usage(e.stdout)
				return ExitOK
			case len(args) > 1:
				return e.usageError("expected one command, found %d arguments", len(args))
			}
			c := lookup(args[0])
			if c == nil {
				e.errorf("unknown command %q (commands: %s)", args[0], strings.Join(commandNames(), ", "))
				return ExitUsage
			}
			c.help(e.stdout)
			return ExitOK
		}
	},
}

var versionCommand = &command{
	name:    "version",
	summary: "print the version",
	usage:   "",
	about:   "Prints the module version the command was built from ((devel) for a build\nfrom a working tree). Also: hookcontract --version, hookcontract -v.",
	exits:   []exitStatus{{ExitOK, "version printed"}},
	define: func(*flag.FlagSet) func(*env, []string) int {
		return func(e *env, args []string) int {
			if len(args) > 0 {
				return e.usageError("unexpected argument %q", args[0])
			}
			fmt.Fprintln(e.stdout, "hookcontract", version())
			return ExitOK
		}
	},
}

func commandNames() []string {
	var names []string
	for _, c := range commands {
		names = append(names, c.name)
	}
	return names
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

func oneOf(v string, allowed []string) bool {
	i := sort.SearchStrings(allowed, v)
	return i < len(allowed) && allowed[i] == v
}
