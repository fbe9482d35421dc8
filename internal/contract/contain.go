package contract

import (
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// readSpecFile reads name from the spec directory fsys as fs.ReadFile
// does, but refuses a path that reaches, through a symbolic link, outside
// fsys: a schema file linked to one elsewhere on the machine would
// otherwise be read and its content copied into generated code.
func readSpecFile(fsys fs.FS, name string) ([]byte, error) {
	if err := contained(fsys, name); err != nil {
		return nil, err
	}
	return fs.ReadFile(fsys, name)
}

// maxLinkHops bounds the symbolic links followed for one path.
const maxLinkHops = 40

// contained resolves the symbolic links along name, lexically, and reports
// an error when one points outside fsys (an absolute target, or one that
// climbs above its root). A file system without links (embed.FS) passes.
func contained(fsys fs.FS, name string) error {
	rl, ok := fsys.(fs.ReadLinkFS)
	if !ok {
		return nil
	}
	rest := strings.Split(path.Clean(name), "/")
	cur := "."
	for hops := 0; len(rest) > 0; {
		elem := rest[0]
		rest = rest[1:]
		next := path.Join(cur, elem)
		if next == ".." || strings.HasPrefix(next, "../") {
			return fmt.Errorf("read %s: path leaves the spec directory", name)
		}
		fi, err := rl.Lstat(next)
		if err != nil {
			return nil // fs.ReadFile reports it
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			cur = next
			continue
		}
		if hops++; hops > maxLinkHops {
			return fmt.Errorf("read %s: more than %d symbolic links", name, maxLinkHops)
		}
		target, err := rl.ReadLink(next)
		if err != nil {
			return fmt.Errorf("read %s: %w", name, err)
		}
		target = strings.ReplaceAll(target, `\`, "/")
		resolved := path.Join(cur, target)
		if path.IsAbs(target) || (len(target) > 1 && target[1] == ':') || resolved == ".." || strings.HasPrefix(resolved, "../") {
			return fmt.Errorf("read %s: %s is a symbolic link to %q, outside the spec directory: copy the file in instead", name, next, target)
		}
		rest = append(strings.Split(resolved, "/"), rest...)
		cur = "."
	}
	return nil
}
