# Scan a whole space.
resource "securityforconfluence_scan" "eng" {
  space_key = "ENG"
}

# Scan every version of one page.
resource "securityforconfluence_scan" "runbook" {
  content_id = "98311"
}

# Scan one version of that page.
resource "securityforconfluence_scan" "runbook_v3" {
  content_id   = "98311"
  created_when = "2021-08-15T17:54:36.860-05:00"
}

# Scan again on the first apply of each day: a new trigger value replaces the
# resource, and replacing it runs the scan.
resource "securityforconfluence_scan" "ops_daily" {
  space_key = "OPS"
  triggers = {
    day = formatdate("YYYY-MM-DD", plantimestamp())
  }
}

# Read the findings after the scan, not before it.
data "securityforconfluence_space_findings" "eng" {
  space_key  = "ENG"
  depends_on = [securityforconfluence_scan.eng]
}
