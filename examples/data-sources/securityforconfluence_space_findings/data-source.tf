# Every finding of the ENG space, reviewed or not.
data "securityforconfluence_space_findings" "eng" {
  space_key = "ENG"
}

# Only unreviewed cloud credentials, read 100 per request.
data "securityforconfluence_space_findings" "eng_cloud_keys" {
  space_key  = "ENG"
  reviewed   = false
  rule_names = ["AWS_CLIENT_ID", "AWS_SECRET_ACCESS_KEY"]
  page_size  = 100
}

output "eng_findings_by_rule" {
  value = data.securityforconfluence_space_findings.eng.counts_by_rule
}

# The pages to clean up first. match_text is sensitive and stays out of it.
output "eng_pages_with_cloud_keys" {
  value = distinct([
    for f in data.securityforconfluence_space_findings.eng_cloud_keys.findings :
    "${f.content_title} (${f.content_id})" if !f.historical
  ])
}
