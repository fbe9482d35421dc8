// Command releasecheck compares the exported API of the generated module
// (generated/) with its last release, the newest generated/vX.Y.Z tag,
// and prints the semantic version bump the changes require. `make
// release-check` runs it; with -next vX.Y.Z it fails when that version is
// not a large enough bump.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/hookcontract/hookcontract/internal/contractdiff"
)

// tagPrefix starts the tags of the generated module: a module in a
// subdirectory is tagged with its directory as prefix.
const tagPrefix = "generated/"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("releasecheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	repo := fs.String("repo", ".", "the repository `DIR`")
	module := fs.String("module", "generated", "the module's `DIR` in the repository")
	next := fs.String("next", "", "the version `vX.Y.Z` about to be tagged: fail when the changes need a larger bump")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	r, err := check(*repo, *module)
	if err != nil {
		fmt.Fprintf(stderr, "release-check: %v\n", err)
		return 2
	}
	r.write(stdout)
	if *next == "" {
		return 0
	}
	nv, ok := parseVersion(*next)
	if !ok {
		fmt.Fprintf(stderr, "release-check: -next %q: expected vX.Y.Z\n", *next)
		return 2
	}
	if r.last != nil && !nv.greater(*r.last) {
		fmt.Fprintf(stderr, "release-check: %s is not after the last release %s\n", *next, r.last)
		return 1
	}
	if want := r.nextVersion(); r.last != nil && want.greater(nv) {
		fmt.Fprintf(stderr, "release-check: %s is too small a bump: the changes need %s (at least %s)\n", *next, r.bump, want)
		return 1
	}
	return 0
}

type version struct{ major, minor, patch int }

func (v version) String() string { return fmt.Sprintf("v%d.%d.%d", v.major, v.minor, v.patch) }

func (v version) greater(w version) bool {
	if v.major != w.major {
		return v.major > w.major
	}
	if v.minor != w.minor {
		return v.minor > w.minor
	}
	return v.patch > w.patch
}

func parseVersion(s string) (version, bool) {
	parts := strings.Split(strings.TrimPrefix(s, "v"), ".")
	if !strings.HasPrefix(s, "v") || len(parts) != 3 {
		return version{}, false
	}
	var n [3]int
	for i, p := range parts {
		x, err := strconv.Atoi(p)
		if err != nil || x < 0 || (len(p) > 1 && p[0] == '0') {
			return version{}, false
		}
		n[i] = x
	}
	return version{n[0], n[1], n[2]}, true
}

type result struct {
	last    *version // nil: no release yet
	tag     string
	changes []contractdiff.APIChange
	bump    contractdiff.Bump
}

func (r *result) nextVersion() version {
	if r.last == nil {
		return version{0, 1, 0}
	}
	v := *r.last
	switch r.bump {
	case contractdiff.BumpMajor:
		if v.major == 0 {
			// Before v1 an incompatible change bumps the minor version.
			return version{0, v.minor + 1, 0}
		}
		return version{v.major + 1, 0, 0}
	case contractdiff.BumpMinor:
		return version{v.major, v.minor + 1, 0}
	case contractdiff.BumpPatch:
		return version{v.major, v.minor, v.patch + 1}
	}
	return v
}

func (r *result) write(w io.Writer) {
	if r.last == nil {
		fmt.Fprintf(w, "no %sv* tag yet: the first release of the generated module is %s%s\n", tagPrefix, tagPrefix, r.nextVersion())
		return
	}
	var incompatible, compatible []string
	for _, c := range r.changes {
		line := fmt.Sprintf("  %s: %s", c.Package, c.Message)
		if c.Compatible {
			compatible = append(compatible, line)
		} else {
			incompatible = append(incompatible, line)
		}
	}
	if len(incompatible) > 0 {
		fmt.Fprintf(w, "incompatible changes since %s:\n%s\n", r.tag, strings.Join(incompatible, "\n"))
	}
	if len(compatible) > 0 {
		fmt.Fprintf(w, "compatible changes since %s:\n%s\n", r.tag, strings.Join(compatible, "\n"))
	}
	next := r.nextVersion()
	switch {
	case r.bump == contractdiff.BumpNone:
		fmt.Fprintf(w, "no change since %s: nothing to release\n", r.tag)
	case r.bump == contractdiff.BumpMajor && r.last.major > 0:
		fmt.Fprintf(w, "required bump: major: the next release is %s%s, which needs the module path to end in /v%d\n", tagPrefix, next, next.major)
	case r.bump == contractdiff.BumpMajor:
		fmt.Fprintf(w, "required bump: major (before v1: minor): the next release is %s%s\n", tagPrefix, next)
	default:
		fmt.Fprintf(w, "required bump: %s: the next release is %s%s\n", r.bump, tagPrefix, next)
	}
}

func git(repo string, args ...string) ([]byte, error) {
	cmd := exec.Command("git", append([]string{"-C", repo}, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("git %s: %s", strings.Join(args, " "), strings.TrimSpace(errb.String()+" "+err.Error()))
	}
	return out.Bytes(), nil
}

// lastTag returns the newest generated/vX.Y.Z tag, by version.
func lastTag(repo string) (string, *version, error) {
	out, err := git(repo, "tag", "--list", tagPrefix+"v*")
	if err != nil {
		return "", nil, err
	}
	var best *version
	tag := ""
	for _, t := range strings.Fields(string(out)) {
		v, ok := parseVersion(strings.TrimPrefix(t, tagPrefix))
		if ok && (best == nil || v.greater(*best)) {
			best, tag = &v, t
		}
	}
	return tag, best, nil
}

func check(repo, module string) (*result, error) {
	tag, last, err := lastTag(repo)
	if err != nil {
		return nil, err
	}
	r := &result{last: last, tag: tag}
	if last == nil {
		return r, nil
	}
	modPath, err := modulePath(filepath.Join(repo, module, "go.mod"))
	if err != nil {
		return nil, err
	}
	cur, err := packagesOnDisk(filepath.Join(repo, module))
	if err != nil {
		return nil, err
	}
	old, err := packagesAt(repo, tag, module)
	if err != nil {
		return nil, err
	}
	dirs := map[string]bool{}
	for d := range cur {
		dirs[d] = true
	}
	for d := range old {
		dirs[d] = true
	}
	codeChanged := false
	var sorted []string
	for d := range dirs {
		sorted = append(sorted, d)
	}
	slices.Sort(sorted)
	for _, d := range sorted {
		if !sameFiles(old[d], cur[d]) {
			codeChanged = true
		}
		ip := modPath
		if d != "." {
			ip += "/" + d
		}
		var op, np *types.Package
		if old[d] != nil {
			if op, err = contractdiff.CheckPackage(ip, old[d]); err != nil {
				return nil, fmt.Errorf("%s at %s: %w", ip, tag, err)
			}
		}
		if cur[d] != nil {
			if np, err = contractdiff.CheckPackage(ip, cur[d]); err != nil {
				return nil, fmt.Errorf("%s: %w", ip, err)
			}
		}
		r.changes = append(r.changes, contractdiff.ComparePackages(ip, op, np)...)
	}
	r.bump = contractdiff.RequiredBump(r.changes, codeChanged)
	return r, nil
}

func sameFiles(a, b map[string][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for n, x := range a {
		if y, ok := b[n]; !ok || !bytes.Equal(x, y) {
			return false
		}
	}
	return true
}

func modulePath(gomod string) (string, error) {
	data, err := os.ReadFile(gomod)
	if err != nil {
		return "", err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`), nil
		}
	}
	return "", fmt.Errorf("%s: no module line", gomod)
}

// packagesOnDisk reads the non-test Go files of every package under dir,
// by directory relative to it ("." for dir itself).
func packagesOnDisk(dir string) (map[string]map[string][]byte, error) {
	pkgs := map[string]map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !isAPIFile(d.Name()) {
			return nil
		}
		rel, err := filepath.Rel(dir, filepath.Dir(p))
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		add(pkgs, filepath.ToSlash(rel), d.Name(), data)
		return nil
	})
	return pkgs, err
}

func isAPIFile(name string) bool {
	return strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go")
}

func add(pkgs map[string]map[string][]byte, dir, name string, data []byte) {
	if pkgs[dir] == nil {
		pkgs[dir] = map[string][]byte{}
	}
	pkgs[dir][name] = data
}

// packagesAt reads the packages of module at a tag, from git's objects:
// the working tree is not touched.
func packagesAt(repo, tag, module string) (map[string]map[string][]byte, error) {
	out, err := git(repo, "ls-tree", "-r", "-z", "--name-only", tag+"^{commit}", "--", module)
	if err != nil {
		return nil, err
	}
	pkgs := map[string]map[string][]byte{}
	for _, name := range strings.Split(string(out), "\x00") {
		if name == "" || !isAPIFile(path.Base(name)) {
			continue
		}
		data, err := git(repo, "show", tag+":"+name)
		if err != nil {
			return nil, err
		}
		rel := strings.TrimPrefix(path.Dir(name), module)
		rel = strings.TrimPrefix(rel, "/")
		if rel == "" {
			rel = "."
		}
		add(pkgs, rel, path.Base(name), data)
	}
	if len(pkgs) == 0 {
		return nil, errors.New(tag + ": no Go package under " + module)
	}
	return pkgs, nil
}
