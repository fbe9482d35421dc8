// Package bench holds the benchmarks of the generated packages beside the
// reference validator and encoding/json. It is a module of its own so that
// neither the root module nor the generated one depends on the other;
// go.work ties them for `make bench`.
package bench
