// Command profiledprovider is the provider with CPU and heap profiling, for
// finding out where a missed benchmark target goes. Each process writes
// cpu-<pid>.pprof and heap-<pid>.pprof into $BENCH_PROFILE_DIR when
// terraform shuts it down. It is never released.
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/provider"
)

func main() {
	dir := os.Getenv("BENCH_PROFILE_DIR")
	if dir == "" {
		log.Fatal("BENCH_PROFILE_DIR is not set; run this through the bench command's -profile flag")
	}
	stop, err := startCPUProfile(dir)
	if err != nil {
		log.Fatal(err)
	}

	opts := providerserver.ServeOpts{Address: "registry.terraform.io/secconf/securityforconfluence"}
	serveErr := providerserver.Serve(context.Background(), provider.New("bench"), opts)

	stop()
	if err := writeHeapProfile(dir); err != nil {
		log.Print(err)
	}
	if serveErr != nil {
		log.Fatal(serveErr)
	}
}

func startCPUProfile(dir string) (func(), error) {
	file, err := os.Create(filepath.Join(dir, fmt.Sprintf("cpu-%d.pprof", os.Getpid())))
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(file); err != nil {
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		_ = file.Close()
	}, nil
}

// writeHeapProfile records allocations over the process's life, which is
// where a high peak comes from even after the garbage is collected.
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
