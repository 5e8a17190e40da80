# Takes over the reviews space DOCS already has. Reviews found by import are
# listed sorted by rule_name and then match_text; list them in that order for
# an empty plan.
import {
  to = securityforconfluence_space_reviewed_findings.docs
  id = "DOCS"
}
