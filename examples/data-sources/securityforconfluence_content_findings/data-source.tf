# The findings of one version of a page. Confluence lists each version's
# "when" under GET /rest/api/content/{id}/version.
data "securityforconfluence_content_findings" "runbook_v3" {
  content_id   = "98311"
  created_when = "2021-08-15T17:54:36.860-05:00"
}

# Only what is still unreviewed in that version.
data "securityforconfluence_content_findings" "runbook_v3_open" {
  content_id   = "98311"
  created_when = "2021-08-15T17:54:36.860-05:00"
  reviewed     = false
}

output "runbook_v3_unreviewed" {
  value = data.securityforconfluence_content_findings.runbook_v3_open.total_count
}
