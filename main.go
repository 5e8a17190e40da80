package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/provider"
)

// version is stamped at release time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers such as delve")
	flag.Parse()

	if err := provider.QuietUnrequestedLogs(provider.TypeName); err != nil {
		log.Fatal(err.Error())
	}

	opts := providerserver.ServeOpts{
		Address: "registry.terraform.io/secconf/securityforconfluence",
		Debug:   debug,
	}

	err := providerserver.Serve(context.Background(), provider.New(version), opts)
	if err != nil {
		log.Fatal(err.Error())
	}
}
