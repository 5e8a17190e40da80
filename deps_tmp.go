//go:build tools

package main

import (
	_ "github.com/hashicorp/go-retryablehttp"
	_ "github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	_ "github.com/hashicorp/terraform-plugin-framework/providerserver"
	_ "github.com/hashicorp/terraform-plugin-go/tfprotov6"
	_ "github.com/hashicorp/terraform-plugin-log/tflog"
	_ "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	_ "github.com/hashicorp/terraform-plugin-testing/plancheck"
	_ "github.com/hashicorp/terraform-plugin-testing/statecheck"
	_ "github.com/hashicorp/terraform-plugin-testing/knownvalue"
	_ "github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	_ "github.com/hashicorp/terraform-plugin-testing/tfversion"
	_ "github.com/hashicorp/terraform-plugin-testing/config"
	_ "github.com/hashicorp/terraform-plugin-testing/compare"
	_ "github.com/agext/levenshtein"
	_ "golang.org/x/sync/singleflight"
)
