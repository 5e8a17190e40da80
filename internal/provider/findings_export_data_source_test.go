package provider

import (
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/fake"
)

const exportHeader = "Space Key,Content ID,Content Title,Content Type,Rule Name,Match Text,First Version,Last Version,Reviewed,Historical\n"

func TestAccFindingsExport_oneSpaceAndAll(t *testing.T) {
	server, url := startFindingsFake(t)
	engID := server.CreatePage("ENG", "Runbook, draft", "<p>"+awsClientID(1)+"</p>")
	server.CreateSpace("OPS", "Operations", "admin")
	opsID := server.CreateBlogPost("OPS", "Rotation", "<p>"+awsClientID(2)+"</p>")
	server.AddReview("OPS", "AWS_CLIENT_ID", awsClientID(2))

	row := func(space, id, title, contentType, text string, reviewed bool) knownvalue.Check {
		return knownvalue.ObjectExact(map[string]knownvalue.Check{
			"space_key":     knownvalue.StringExact(space),
			"content_id":    knownvalue.StringExact(id),
			"content_title": knownvalue.StringExact(title),
			"content_type":  knownvalue.StringExact(contentType),
			"rule_name":     knownvalue.StringExact("AWS_CLIENT_ID"),
			"match_text":    knownvalue.StringExact(text),
			"first_version": knownvalue.Int64Exact(1),
			"last_version":  knownvalue.Int64Exact(1),
			"reviewed":      knownvalue.Bool(reviewed),
			"historical":    knownvalue.Bool(false),
		})
	}
	engRow := row("ENG", engID, "Runbook, draft", "page", awsClientID(1), false)
	opsRow := row("OPS", opsID, "Rotation", "blogpost", awsClientID(2), true)

	accTest(t, resource.TestStep{
		Config: findingsProvider(url) + `
data "securityforconfluence_findings_export" "eng" {
  space_key = "ENG"
}

data "securityforconfluence_findings_export" "all" {}
`,
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("data.securityforconfluence_findings_export.eng",
				tfjsonpath.New("rows"), knownvalue.ListExact([]knownvalue.Check{engRow})),
			expectInt("data.securityforconfluence_findings_export.eng", "row_count", 1),
			statecheck.ExpectKnownValue("data.securityforconfluence_findings_export.eng",
				tfjsonpath.New("csv"), knownvalue.StringRegexp(expectMessage(exportHeader, awsClientID(1)))),
			statecheck.ExpectKnownValue("data.securityforconfluence_findings_export.all",
				tfjsonpath.New("rows"), knownvalue.ListExact([]knownvalue.Check{engRow, opsRow})),
			expectInt("data.securityforconfluence_findings_export.all", "row_count", 2),
		},
	})
}

func TestAccFindingsExport_emptySpace(t *testing.T) {
	_, url := startFindingsFake(t)
	accTest(t, resource.TestStep{
		Config: findingsProvider(url) + `
data "securityforconfluence_findings_export" "test" {
  space_key = "ENG"
}`,
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("data.securityforconfluence_findings_export.test",
				tfjsonpath.New("rows"), knownvalue.ListSizeExact(0)),
			expectInt("data.securityforconfluence_findings_export.test", "row_count", 0),
		},
	})
}

// TestAccFindingsExport_notCSV serves answers that a proxy or a login page
// gives; each must fail with a message that says what came back and never
// echoes the body.
func TestAccFindingsExport_notCSV(t *testing.T) {
	cases := []struct {
		name        string
		contentType string
		body        string
		want        []string
	}{
		{"html login page", "text/html", "<html><head><title>Log In - Confluence</title></head><body>AKIA0000000000000009</body></html>",
			[]string{"Read Findings Error", "could not read the findings of space ENG", "web page instead of CSV"}},
		{"html labeled as csv", "text/csv", "<html><body>AKIA0000000000000009</body></html>",
			[]string{"Read Findings Error", "web page instead of CSV"}},
		{"json", "text/csv", `{"matchText":"AKIA0000000000000009"}`,
			[]string{"Unexpected Findings Export", "JSON instead"}},
		{"wrong header", "text/csv", "Space,Text\nENG,AKIA0000000000000009\n",
			[]string{"Unexpected Findings Export", "its first row, of 2 columns, is a different header"}},
		{"bad version", "text/csv", exportHeader + "ENG,1,T,page,AWS_CLIENT_ID,AKIA0000000000000009,one,1,false,false\n",
			[]string{"Unexpected Findings Export", "data row 1 has a First Version that is not a whole number"}},
		{"bad flag", "text/csv", exportHeader + "ENG,1,T,page,AWS_CLIENT_ID,AKIA0000000000000009,1,1,maybe,false\n",
			[]string{"Unexpected Findings Export", "data row 1 has a Reviewed value that is neither true nor false"}},
		{"ragged rows", "text/csv", exportHeader + "ENG,1\n",
			[]string{"Unexpected Findings Export", "not valid CSV", "line 2: wrong number of fields"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			server, url := startFindingsFake(t)
			server.QueueFault(fake.Fault{
				Method: http.MethodGet, PathContains: "export/space/ENG/findings", Times: 10,
				Status: http.StatusOK, Header: http.Header{"Content-Type": {c.contentType}}, Body: c.body,
			})
			accTest(t, resource.TestStep{
				Config: findingsProvider(url) + `
data "securityforconfluence_findings_export" "test" {
  space_key = "ENG"
}`,
				ExpectError: expectMessage(c.want...),
			})
		})
	}
}

func TestFindingsExportParseNeverEchoesTheBody(t *testing.T) {
	secret := awsClientID(9)
	bodies := []string{
		"<html>" + secret + "</html>",
		`{"x":"` + secret + `"}`,
		"Space," + secret + "\n",
		exportHeader + "ENG,1,T,page,R," + secret + ",x,1,false,false\n",
		exportHeader + "ENG,\"" + secret + "\"x,1\n",
		"",
	}
	for _, body := range bodies {
		_, err := parseExport([]byte(body))
		if err == nil {
			t.Errorf("%q: want an error", body)
			continue
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("the error quotes the body: %v", err)
		}
	}

	rows, err := parseExport([]byte("\xef\xbb\xbf" + exportHeader))
	if err != nil || len(rows) != 0 {
		t.Errorf("header with a byte order mark: rows %v, err %v", rows, err)
	}
}
