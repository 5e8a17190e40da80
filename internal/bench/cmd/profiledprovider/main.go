// Command profiledprovider is the provider with CPU and heap profiling, for
// finding out where a missed benchmark target goes. Each process writes
// cpu-<pid>.pprof, heap-<pid>.pprof and goroutines-<pid>.txt into
// $BENCH_PROFILE_DIR when terraform shuts it down. It is never released.
package main

import (
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/bench/profiling"
	"github.com/secconf/terraform-provider-securityforconfluence/internal/provider"
)

func main() {
	dir := os.Getenv(profiling.DirVariable)
	if dir == "" {
		log.Fatal(profiling.DirVariable + " is not set; run this through the bench command's -profile flag")
	}
	stop, err := profiling.Start(dir)
	if err != nil {
		log.Fatal(err)
	}

	provider.SetDefaultMemoryLimit()
	if err := provider.QuietUnrequestedLogs(provider.TypeName); err != nil {
		log.Fatal(err)
	}
	serveErr := tf6server.Serve("registry.terraform.io/secconf/securityforconfluence", provider.ProtocolServer(provider.New("bench")))

	stop()
	if serveErr != nil {
		log.Fatal(serveErr)
	}
}
