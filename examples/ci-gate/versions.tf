terraform {
  required_version = ">= 1.5.0" # check blocks

  required_providers {
    securityforconfluence = {
      source = "secconf/securityforconfluence"
    }
  }
}

# The provider reads CONFLUENCE_URL and CONFLUENCE_TOKEN (or
# CONFLUENCE_USERNAME and CONFLUENCE_PASSWORD) from the CI job's environment,
# so no credential is written here.
provider "securityforconfluence" {}
