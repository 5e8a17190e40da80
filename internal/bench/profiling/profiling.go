// Package profiling writes CPU and heap profiles of a provider process that
// the benchmark runs, so a missed target can be traced to its cause.
package profiling

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
)

// DirVariable names the directory profiles go to; terraform passes its
// environment on to the provider processes it starts.
const DirVariable = "BENCH_PROFILE_DIR"

// Start begins CPU profiling into dir when dir is not empty. The returned
// function stops it and writes the heap profile and what is still running.
func Start(dir string) (stop func(), err error) {
	if dir == "" {
		return func() {}, nil
	}
	file, err := os.Create(filepath.Join(dir, fmt.Sprintf("cpu-%d.pprof", os.Getpid())))
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(file); err != nil {
		_ = file.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		_ = file.Close()
		if err := writeHeapProfile(dir); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
		if err := writeLeftovers(dir); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	}, nil
}

// writeHeapProfile records allocations over the process's life, which is
// where a high peak comes from even after the garbage is collected; its
// inuse samples are what was still reachable at the end.
func writeHeapProfile(dir string) error {
	file, err := os.Create(filepath.Join(dir, fmt.Sprintf("heap-%d.pprof", os.Getpid())))
	if err != nil {
		return err
	}
	runtime.GC()
	if err := pprof.Lookup("allocs").WriteTo(file, 0); err != nil {
		_ = file.Close()
		return err
	}
	return file.Close()
}

// writeLeftovers records the live heap and the goroutines still running
// once terraform has shut the provider down: a goroutine left behind by a
// request keeps that request's context, and all hung on it, reachable.
func writeLeftovers(dir string) error {
	file, err := os.Create(filepath.Join(dir, fmt.Sprintf("goroutines-%d.txt", os.Getpid())))
	if err != nil {
		return err
	}
	var stats runtime.MemStats
	runtime.ReadMemStats(&stats)
	_, _ = fmt.Fprintf(file, "%s: heap alloc after collection: %d bytes, %d objects, %d collections\n",
		filepath.Base(os.Args[0]), stats.HeapAlloc, stats.HeapObjects, stats.NumGC)
	if err := pprof.Lookup("goroutine").WriteTo(file, 1); err != nil {
		_ = file.Close()
		return err
	}
	return file.Close()
}
