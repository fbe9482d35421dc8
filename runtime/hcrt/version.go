package hcrt

// EnforceVersion stops the compilation of generated code that this runtime
// does not serve. Every generated package declares, with N the runtime
// version its generator wrote it for,
//
//	const (
//		_ = hcrt.EnforceVersion(N - hcrt.MinVersion)
//		_ = hcrt.EnforceVersion(hcrt.MaxVersion - N)
//	)
//
// A constant below zero does not convert to an unsigned type, so the build
// fails at that line when the runtime is newer than the code (N <
// MinVersion: regenerate it with a newer hookcontract) or older (N >
// MaxVersion: require a newer github.com/hookcontract/hookcontract/runtime).
type EnforceVersion uint

// The versions of generated code this runtime serves. MaxVersion grows
// when the generator starts emitting calls the runtime did not have;
// MinVersion grows when the runtime drops or changes a call older code
// makes. Version 2 added State.DiscardDrift and State.AcceptGraded,
// version 3 State.Plain and State.Spare.
const (
	MinVersion = 1
	MaxVersion = 3
)
