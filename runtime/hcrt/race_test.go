//go:build race

package hcrt

// raceEnabled: sync.Pool drops items at random under the race detector.
const raceEnabled = true
