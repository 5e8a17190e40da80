# The export of one space.
data "securityforconfluence_findings_export" "eng" {
  space_key = "ENG"
}

# The export of every space the provider's user administers.
data "securityforconfluence_findings_export" "all" {}

# The raw CSV holds every match text: keep it out of outputs and logs.
resource "local_sensitive_file" "eng_findings" {
  filename = "${path.module}/eng-findings.csv"
  content  = data.securityforconfluence_findings_export.eng.csv
}

output "spaces_with_unreviewed_findings" {
  value = sort(distinct([
    for row in data.securityforconfluence_findings_export.all.rows :
    row.space_key if !row.reviewed
  ]))
}
