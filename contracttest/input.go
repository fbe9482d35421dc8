package contracttest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Payload is one payload read from an input.
type Payload struct {
	Source string // file name as given (or found under a directory), "-" for stdin
	Line   int    // 1-based line in an NDJSON file, 0 for a whole-file payload
	Data   []byte
}

// InputError is an input that could not be read. The run goes on with the
// other inputs and ends with exit status 2.
type InputError struct {
	Path string
	Err  error
}

func (e *InputError) Error() string { return fmt.Sprintf("read %s: %v", e.Path, e.Err) }
func (e *InputError) Unwrap() error { return e.Err }

// IsNDJSON tells whether a file name holds one payload per line.
func IsNDJSON(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".ndjson" || ext == ".jsonl"
}

func isPayloadFile(name string) bool {
	return strings.EqualFold(filepath.Ext(name), ".json") || IsNDJSON(name)
}

// ExpandPaths turns the paths given on a command line into the sorted list
// of files to read: a file stands for itself, a directory for every .json,
// .ndjson and .jsonl file under it (walked recursively in lexical order,
// symbolic links to files followed, links to directories not), "-" for
// stdin. Unreadable entries are returned as errors beside the files found.
func ExpandPaths(paths []string) ([]string, []error) {
	var files []string
	var errs []error
	for _, p := range paths {
		if p == "-" {
			files = append(files, p)
			continue
		}
		fi, err := os.Stat(p)
		if err != nil {
			errs = append(errs, &InputError{Path: p, Err: unwrapPathError(err)})
			continue
		}
		if !fi.IsDir() {
			files = append(files, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(fp string, d fs.DirEntry, err error) error {
			if err != nil {
				errs = append(errs, &InputError{Path: fp, Err: unwrapPathError(err)})
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() || !isPayloadFile(d.Name()) {
				return nil
			}
			if d.Type()&fs.ModeSymlink != 0 {
				fi, err := os.Stat(fp)
				if err != nil {
					errs = append(errs, &InputError{Path: fp, Err: unwrapPathError(err)})
					return nil
				}
				if fi.IsDir() {
					return nil
				}
			}
			found = append(found, fp)
			return nil
		})
		if err != nil {
			errs = append(errs, &InputError{Path: p, Err: err})
		}
		sort.Strings(found)
		files = append(files, found...)
	}
	return files, errs
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// ReadPayloads reads one input. A .json file (or any file not named
// .ndjson/.jsonl) is one payload; an NDJSON file is one payload per
// non-blank line; stdin ("-") is one payload, or one per line when it holds
// several lines that each start a JSON value.
func ReadPayloads(name string, stdin io.Reader, emit func(Payload)) error {
	var data []byte
	var err error
	if name == "-" {
		if stdin == nil {
			return &InputError{Path: "-", Err: errors.New("no standard input")}
		}
		data, err = io.ReadAll(stdin)
	} else {
		data, err = os.ReadFile(name)
	}
	if err != nil {
		return &InputError{Path: name, Err: unwrapPathError(err)}
	}
	if IsNDJSON(name) || (name == "-" && looksLikeNDJSON(data)) {
		SplitLines(name, data, emit)
		return nil
	}
	emit(Payload{Source: name, Data: data})
	return nil
}

// SplitLines emits one payload per non-blank line of data. Blank and
// whitespace-only lines are skipped; a final line without newline counts.
func SplitLines(name string, data []byte, emit func(Payload)) {
	line := 0
	for len(data) > 0 {
		line++
		var l []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			l, data = data[:i], data[i+1:]
		} else {
			l, data = data, nil
		}
		l = bytes.TrimSuffix(l, []byte{'\r'})
		if len(bytes.TrimSpace(l)) == 0 {
			continue
		}
		emit(Payload{Source: name, Line: line, Data: l})
	}
}

// looksLikeNDJSON tells whether stdin holds several JSON values, one per
// line, rather than one (possibly pretty-printed) value.
func looksLikeNDJSON(data []byte) bool {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), len(data)+1)
	lines := 0
	for sc.Scan() {
		l := bytes.TrimSpace(sc.Bytes())
		if len(l) == 0 {
			continue
		}
		if l[0] != '{' && l[0] != '[' {
			return false
		}
		if _, err := decode(l); err != nil {
			return false
		}
		lines++
	}
	return lines > 1
}
