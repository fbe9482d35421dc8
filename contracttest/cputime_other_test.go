//go:build !unix

package contracttest

import "time"

// cpuTime cannot be read here; benchmarks report wall-clock figures only.
func cpuTime() time.Duration { return 0 }
