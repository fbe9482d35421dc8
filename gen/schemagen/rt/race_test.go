//go:build race

package rt

// raceEnabled: sync.Pool drops items at random under the race detector.
const raceEnabled = true
