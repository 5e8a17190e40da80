terraform {
  required_providers {
    securityforconfluence = {
      source = "secconf/securityforconfluence"
    }
  }
}

# Credentials come from CONFLUENCE_URL and CONFLUENCE_TOKEN (or
# CONFLUENCE_USERNAME and CONFLUENCE_PASSWORD). Toggling rules needs a
# Confluence administrator.
provider "securityforconfluence" {}
