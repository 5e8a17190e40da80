package provider

import (
	"os"
	"runtime/debug"
)

// DefaultMemoryLimit is the soft limit on the provider process's Go memory
// when GOMEMLIMIT does not set one. The framework turns a large list into a
// great deal of short-lived garbage (it copies the whole list for every
// element it visits when planning a nested list), and with the runtime's
// default pacing the heap grew to 140 MiB for 5000 reviews in three
// space_reviewed_findings although far less was live. Under the limit the
// collector runs earlier instead. It is soft: a configuration whose live
// data needs more still runs, with the collector taking at most half the
// CPU, and GOMEMLIMIT in Terraform's environment raises or lowers it.
const DefaultMemoryLimit = 64 << 20

// SetDefaultMemoryLimit applies DefaultMemoryLimit unless GOMEMLIMIT is set,
// and returns the limit in effect.
func SetDefaultMemoryLimit() int64 {
	if os.Getenv("GOMEMLIMIT") != "" {
		return debug.SetMemoryLimit(-1)
	}
	debug.SetMemoryLimit(DefaultMemoryLimit)
	return DefaultMemoryLimit
}
