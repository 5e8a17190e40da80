# The export of one space.
data "securityforconfluence_findings_export" "eng" {
  space_key = "ENG"
}

# The export of every space the provider's user administers.
data "securityforconfluence_findings_export" "all" {}

# The raw CSV holds every match text, so its output must be sensitive.
# `terraform output -raw eng_findings_csv > eng-findings.csv` (or
# `tofu output`) saves it to a file without showing it.
output "eng_findings_csv" {
  value     = data.securityforconfluence_findings_export.eng.csv
  sensitive = true
}

output "eng_finding_count" {
  value = data.securityforconfluence_findings_export.eng.row_count
}

output "spaces_with_unreviewed_findings" {
  value = sort(distinct([
    for row in data.securityforconfluence_findings_export.all.rows :
    row.space_key if !row.reviewed
  ]))
}
