//go:build !race

package hcrt

const raceEnabled = false
