package main

import (
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/provider"
)

// version is stamped at release time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers such as delve")
	flag.Parse()

	provider.SetDefaultMemoryLimit()
	if err := provider.QuietUnrequestedLogs(provider.TypeName); err != nil {
		log.Fatal(err.Error())
	}

	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	err := tf6server.Serve("registry.terraform.io/secconf/securityforconfluence", provider.ProtocolServer(provider.New(version)), opts...)
	if err != nil {
		log.Fatal(err.Error())
	}
}
