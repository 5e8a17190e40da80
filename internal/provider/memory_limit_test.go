package provider

import (
	"runtime/debug"
	"testing"
)

func TestSetDefaultMemoryLimit(t *testing.T) {
	previous := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(previous) })

	t.Setenv("GOMEMLIMIT", "")
	debug.SetMemoryLimit(1 << 40)
	if got := SetDefaultMemoryLimit(); got != DefaultMemoryLimit || debug.SetMemoryLimit(-1) != DefaultMemoryLimit {
		t.Errorf("without GOMEMLIMIT the limit is %d (returned %d), want %d", debug.SetMemoryLimit(-1), got, DefaultMemoryLimit)
	}

	// The runtime reads GOMEMLIMIT at start; the provider must then leave
	// whatever limit is in effect alone.
	t.Setenv("GOMEMLIMIT", "1GiB")
	debug.SetMemoryLimit(1 << 30)
	if got := SetDefaultMemoryLimit(); got != 1<<30 || debug.SetMemoryLimit(-1) != 1<<30 {
		t.Errorf("with GOMEMLIMIT set the limit became %d (returned %d), want it left at %d", debug.SetMemoryLimit(-1), got, 1<<30)
	}
}
