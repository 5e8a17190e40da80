# Basic authentication with a Confluence administrator. Keep the password out
# of the configuration: set CONFLUENCE_PASSWORD in the environment instead.
provider "securityforconfluence" {
  url      = "https://confluence.example.com"
  username = "terraform"
}

# A personal access token, and a Confluence served under a context path and
# signed by a private certificate authority. The token comes from
# CONFLUENCE_TOKEN.
provider "securityforconfluence" {
  alias        = "internal"
  url          = "https://intranet.example.com/confluence"
  ca_cert_file = "/etc/ssl/certs/internal-ca.pem"

  # Give a slow or rate-limited instance more room.
  request_timeout_seconds = 60
  max_retries             = 6
  max_retry_wait_seconds  = 60
}
