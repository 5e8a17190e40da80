# The configuration `make demo` applies to the fake Confluence. It works unchanged
# against a real Confluence Data Center with Security for Confluence installed.

terraform {
  required_providers {
    securityforconfluence = {
      source = "secconf/securityforconfluence"
    }
  }
}

variable "confluence_url" {
  description = "Base URL of Confluence, including its context path if it has one."
  type        = string
}

# The username and password come from CONFLUENCE_USERNAME and CONFLUENCE_PASSWORD,
# so no credential is written into the configuration or its state.
provider "securityforconfluence" {
  url = var.confluence_url
}

# Email addresses are expected on this wiki, so their findings are only noise.
resource "securityforconfluence_builtin_rule" "email_address" {
  name    = "EMAIL_ADDRESS"
  enabled = false
}

# An AWS access key id on a page is always worth a finding.
resource "securityforconfluence_builtin_rule" "aws_client_id" {
  name    = "AWS_CLIENT_ID"
  enabled = true
}

data "securityforconfluence_rules" "all" {
  # Read the rules after the changes above, so the output shows their effect.
  depends_on = [
    securityforconfluence_builtin_rule.email_address,
    securityforconfluence_builtin_rule.aws_client_id,
  ]
}

output "disabled_rules" {
  description = "Names of the rules that are switched off."
  value       = [for rule in data.securityforconfluence_rules.all.rules : rule.name if !rule.enabled]
}
