package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ProviderAddress is the address the dev_overrides block redirects to the
// freshly built binary.
const ProviderAddress = "registry.terraform.io/secconf/securityforconfluence"

// NullProviderName and NullProviderAddress name the second baseline, the
// framework provider of internal/bench/cmd/nullprovider whose resource
// makes no requests.
const (
	NullProviderName    = "benchnull"
	NullProviderAddress = "registry.terraform.io/secconf/benchnull"
)

// WriteCLIConfig writes a CLI configuration that runs the provider binaries in
// pluginDir without terraform init, so the benchmark needs no registry.
func WriteCLIConfig(file, pluginDir string) error {
	content := fmt.Sprintf(`provider_installation {
  dev_overrides {
    %q = %q
    %q = %q
  }
  direct {}
}
`, ProviderAddress, pluginDir, NullProviderAddress, pluginDir)
	return os.WriteFile(file, []byte(content), 0o600)
}

// Shape is how the N resources are written.
type Shape string

const (
	// ShapeBlocks writes one resource block per review with literal values:
	// Terraform's own evaluation cost stays linear, so the provider's share
	// of the time is what the ratio shows.
	ShapeBlocks Shape = "blocks"
	// ShapeForEach writes one resource with for_each over a local map, as a
	// real configuration might. Terraform 1.11 spends time quadratic in N
	// evaluating it, for terraform_data just the same, which swamps the
	// provider's share at N = 1000.
	ShapeForEach Shape = "for_each"
	// ShapeSpaces writes one securityforconfluence_space_reviewed_findings
	// per space, holding that space's reviews: S resources whatever N is, the
	// form the documentation recommends for many reviews. The baselines stay
	// N literal blocks, since they stand for Terraform's cost of N items.
	ShapeSpaces Shape = "spaces"
)

// Shapes lists every shape, in the order a run measures them.
var Shapes = []Shape{ShapeBlocks, ShapeSpaces, ShapeForEach}

// WriteProviderConfig writes the configuration under test into dir: the
// built-in rule policy and one reviewed finding per review of the workload.
func WriteProviderConfig(dir, baseURL string, w Workload, shape Shape) error {
	var b strings.Builder
	fmt.Fprintf(&b, `terraform {
  required_providers {
    securityforconfluence = { source = "secconf/securityforconfluence" }
  }
}

provider "securityforconfluence" {
  url      = %q
  username = "admin"
  password = "admin"
}

resource "securityforconfluence_builtin_rules" "policy" {
  disabled_rules = []
}
`, baseURL)
	if shape == ShapeSpaces {
		writeSpaceResources(&b, w)
		return writeMainTF(dir, b.String())
	}
	if shape == ShapeForEach {
		fmt.Fprintf(&b, `
resource "securityforconfluence_reviewed_finding" "bench" {
  for_each   = local.reviews
  space_key  = each.value.space
  rule_name  = %q
  match_text = each.value.text
}
`, ReviewRule)
		writeReviewsLocal(&b, w)
		return writeMainTF(dir, b.String())
	}
	for i, r := range w.Reviews {
		fmt.Fprintf(&b, `
resource "securityforconfluence_reviewed_finding" "r%d" {
  space_key  = %q
  rule_name  = %q
  match_text = %q
}
`, i, r.SpaceKey, ReviewRule, r.MatchText)
	}
	return writeMainTF(dir, b.String())
}

// WriteBaselineConfig writes the same shape into dir with terraform_data in
// place of the provider's resources: its plan is what Terraform itself costs
// for that many instances.
func WriteBaselineConfig(dir string, w Workload, shape Shape) error {
	var b strings.Builder
	if shape == ShapeForEach {
		b.WriteString(`resource "terraform_data" "bench" {
  for_each = local.reviews
  input    = each.value.text
}
`)
		writeReviewsLocal(&b, w)
		return writeMainTF(dir, b.String())
	}
	for i, r := range w.Reviews {
		fmt.Fprintf(&b, "resource \"terraform_data\" \"r%d\" {\n  input = %q\n}\n\n", i, r.MatchText)
	}
	return writeMainTF(dir, b.String())
}

// WriteNullConfig writes the same shape into dir with the null provider's
// resource: what any framework provider costs for that many instances.
func WriteNullConfig(dir string, w Workload, shape Shape) error {
	var b strings.Builder
	fmt.Fprintf(&b, "terraform {\n  required_providers {\n    %s = { source = %q }\n  }\n}\n\n",
		NullProviderName, strings.TrimPrefix(NullProviderAddress, "registry.terraform.io/"))
	if shape == ShapeForEach {
		fmt.Fprintf(&b, "resource \"%s_item\" \"bench\" {\n  for_each = local.reviews\n  input    = each.value.text\n}\n",
			NullProviderName)
		writeReviewsLocal(&b, w)
		return writeMainTF(dir, b.String())
	}
	for i, r := range w.Reviews {
		fmt.Fprintf(&b, "resource \"%s_item\" \"r%d\" {\n  input = %q\n}\n\n", NullProviderName, i, r.MatchText)
	}
	return writeMainTF(dir, b.String())
}

// writeSpaceResources writes one resource per space that holds reviews,
// listing them in the workload's order, which is the order a refresh keeps.
// A space without reviews gets no resource, as the request bound assumes.
func writeSpaceResources(b *strings.Builder, w Workload) {
	perSpace := w.PerSpace()
	for s, key := range w.Spaces {
		if perSpace[key] == 0 {
			continue
		}
		fmt.Fprintf(b, "\nresource \"securityforconfluence_space_reviewed_findings\" \"s%d\" {\n  space_key = %q\n  reviews = [\n", s, key)
		for _, r := range w.Reviews {
			if r.SpaceKey == key {
				fmt.Fprintf(b, "    { rule_name = %q, match_text = %q },\n", ReviewRule, r.MatchText)
			}
		}
		b.WriteString("  ]\n}\n")
	}
}

func writeReviewsLocal(b *strings.Builder, w Workload) {
	b.WriteString("\nlocals {\n  reviews = {\n")
	for i, r := range w.Reviews {
		fmt.Fprintf(b, "    r%d = { space = %q, text = %q }\n", i, r.SpaceKey, r.MatchText)
	}
	b.WriteString("  }\n}\n")
}

func writeMainTF(dir, content string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "main.tf"), []byte(content), 0o600)
}
