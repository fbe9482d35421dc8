package cli

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

var completionCommand = &command{
	name:    "completion",
	summary: "print a shell completion script (bash, zsh or fish)",
	usage:   "bash|zsh|fish",
	about: `Prints a script that completes hookcontract's commands and flags in the
given shell, written from the same table as this help.`,
	examples: []string{
		"source <(hookcontract completion bash)                                # bash, this shell",
		"hookcontract completion zsh > \"${fpath[1]}/_hookcontract\"              # zsh",
		"hookcontract completion fish > ~/.config/fish/completions/hookcontract.fish",
	},
	exits:   []exitStatus{{ExitOK, "script printed"}, {ExitUsage, "no shell, or one it does not know"}},
	noFlags: true,
	define: func(*flag.FlagSet) func(*env, []string) int {
		return func(e *env, args []string) int {
			if len(args) == 1 && (args[0] == "-h" || args[0] == "--help") {
				e.cmd.help(e.stdout)
				return ExitOK
			}
			if len(args) != 1 {
				return e.usageError("expected one shell: bash, zsh or fish")
			}
			switch args[0] {
			case "bash":
				writeBash(e.stdout)
			case "zsh":
				writeZsh(e.stdout)
			case "fish":
				writeFish(e.stdout)
			default:
				return e.usageError("unknown shell %q (expected bash, zsh or fish)", args[0])
			}
			return ExitOK
		}
	},
}

// flagWords lists a command's flags as typed: --name, and whether each
// takes a value.
func flagWords(c *command) (all, withValue []string) {
	for _, f := range c.flags() {
		all = append(all, "--"+f.name)
		if !f.bool {
			withValue = append(withValue, "--"+f.name)
		}
	}
	return append(all, "--help"), withValue
}

func writeBash(w io.Writer) {
	fmt.Fprint(w, `# bash completion for hookcontract; load with: source <(hookcontract completion bash)
_hookcontract() {
    local cur prev cmd i
    cur="${COMP_WORDS[COMP_CWORD]}"
    prev=""
    if [ "$COMP_CWORD" -gt 0 ]; then prev="${COMP_WORDS[COMP_CWORD-1]}"; fi
    cmd=""
    for ((i = 1; i < COMP_CWORD; i++)); do
        case "${COMP_WORDS[i]}" in
        -*) ;;
        *) cmd="${COMP_WORDS[i]}"; break ;;
        esac
    done
    local flags="" valued=""
    case "$cmd" in
    "")
`)
	fmt.Fprintf(w, "        COMPREPLY=($(compgen -W %q -- \"$cur\"))\n", strings.Join(append(commandNames(), "--help", "--version"), " "))
	fmt.Fprint(w, "        return ;;\n")
	for _, c := range commands {
		switch c.name {
		case "help":
			fmt.Fprintf(w, "    help)\n        COMPREPLY=($(compgen -W %q -- \"$cur\"))\n        return ;;\n", strings.Join(commandNames(), " "))
			continue
		case "completion":
			fmt.Fprint(w, "    completion)\n        COMPREPLY=($(compgen -W \"bash zsh fish\" -- \"$cur\"))\n        return ;;\n")
			continue
		}
		all, valued := flagWords(c)
		fmt.Fprintf(w, "    %s)\n        flags=%q\n        valued=%q ;;\n", c.name, strings.Join(all, " "), strings.Join(valued, " "))
	}
	fmt.Fprint(w, `    esac
    case " $valued " in
    *" $prev "*)
        COMPREPLY=($(compgen -f -- "$cur"))
        return ;;
    esac
    if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "$flags" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}
complete -o filenames -o bashdefault -F _hookcontract hookcontract
`)
}

// zshQuote quotes s for a zsh _describe or _arguments spec.
func zshQuote(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	s = strings.ReplaceAll(s, `'`, `'\''`)
	s = strings.ReplaceAll(s, `:`, `\:`)
	s = strings.ReplaceAll(s, `[`, `\[`)
	return strings.ReplaceAll(s, `]`, `\]`)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

func writeZsh(w io.Writer) {
	fmt.Fprint(w, `#compdef hookcontract
# zsh completion for hookcontract; install with:
#   hookcontract completion zsh > "${fpath[1]}/_hookcontract"
_hookcontract() {
    local -a cmds
    cmds=(
`)
	for _, c := range commands {
		fmt.Fprintf(w, "        '%s:%s'\n", c.name, zshQuote(c.summary))
	}
	fmt.Fprint(w, `    )
    if (( CURRENT == 2 )); then
        _describe -t commands 'hookcontract command' cmds
        return
    fi
    local cmd=${words[2]}
    shift words
    (( CURRENT-- ))
    case $cmd in
`)
	for _, c := range commands {
		switch c.name {
		case "help":
			fmt.Fprint(w, "    help)\n        _describe -t commands 'hookcontract command' cmds ;;\n")
			continue
		case "completion":
			fmt.Fprint(w, "    completion)\n        _values 'shell' bash zsh fish ;;\n")
			continue
		}
		fmt.Fprintf(w, "    %s)\n        _arguments -s \\\n", c.name)
		for _, f := range c.flags() {
			spec := "'--" + f.name + "[" + zshQuote(firstLine(f.usage)) + "]"
			if !f.bool {
				spec += ":" + zshQuote(f.arg) + ":_files"
			}
			fmt.Fprintf(w, "            %s' \\\n", spec)
		}
		fmt.Fprint(w, "            '--help[show the help]' \\\n            '*:file:_files' ;;\n")
	}
	fmt.Fprint(w, `    esac
}
if [ "$funcstack[1]" = "_hookcontract" ]; then
    _hookcontract "$@"
else
    compdef _hookcontract hookcontract
fi
`)
}

// fishQuote quotes s as one fish single-quoted word.
func fishQuote(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	return "'" + strings.ReplaceAll(s, `'`, `\'`) + "'"
}

func writeFish(w io.Writer) {
	fmt.Fprint(w, "# fish completion for hookcontract; install with:\n#   hookcontract completion fish > ~/.config/fish/completions/hookcontract.fish\ncomplete -c hookcontract -f\n")
	names := strings.Join(commandNames(), " ")
	for _, c := range commands {
		fmt.Fprintf(w, "complete -c hookcontract -n 'not __fish_seen_subcommand_from %s' -a %s -d %s\n", names, c.name, fishQuote(c.summary))
	}
	fmt.Fprint(w, "complete -c hookcontract -n '__fish_use_subcommand' -s h -l help -d 'show the help'\n")
	fmt.Fprint(w, "complete -c hookcontract -n '__fish_use_subcommand' -s v -l version -d 'print the version'\n")
	for _, c := range commands {
		cond := fishQuote("__fish_seen_subcommand_from " + c.name)
		switch c.name {
		case "help":
			fmt.Fprintf(w, "complete -c hookcontract -n %s -a %s\n", cond, fishQuote(names))
			continue
		case "completion":
			fmt.Fprintf(w, "complete -c hookcontract -n %s -a 'bash zsh fish'\n", cond)
			continue
		}
		fmt.Fprintf(w, "complete -c hookcontract -n %s -F\n", cond)
		for _, f := range c.flags() {
			req := ""
			if !f.bool {
				req = " -r -F"
			}
			fmt.Fprintf(w, "complete -c hookcontract -n %s -l %s%s -d %s\n", cond, f.name, req, fishQuote(firstLine(f.usage)))
		}
		fmt.Fprintf(w, "complete -c hookcontract -n %s -l help -d 'show the help'\n", cond)
	}
}
