package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/client"
)

func TestListingDiagnostics(t *testing.T) {
	cases := []struct {
		name          string
		info          client.ListInfo
		wantSummary   string
		wantIsWarning bool
	}{
		{"short last page", client.ListInfo{Pages: 3}, "", false},
		{"last page repeated later", client.ListInfo{Pages: 3, EndedOnRepeat: true}, "", false},
		{"second page repeated the first", client.ListInfo{Pages: 2, EndedOnRepeat: true}, "Findings List May Be Incomplete", true},
		{"page limit", client.ListInfo{Pages: client.MaxFindingPages, HitPageLimit: true}, "Findings List Incomplete", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			diags := listingDiagnostics("space ENG", 4, c.info)
			if c.wantSummary == "" {
				if len(diags) != 0 {
					t.Fatalf("diagnostics = %v, want none", diags)
				}
				return
			}
			if len(diags) != 1 || diags[0].Summary() != c.wantSummary || diags.HasError() == c.wantIsWarning {
				t.Fatalf("diagnostics = %v, want one %q (warning: %v)", diags, c.wantSummary, c.wantIsWarning)
			}
		})
	}
}

// readSpaceFindings runs the space findings data source's Read in process,
// which, unlike a terraform run, hands back its warnings.
func readSpaceFindings(t *testing.T, url string, pageSize int64) datasource.ReadResponse {
	t.Helper()
	ctx := context.Background()
	api, err := client.New(client.Config{BaseURL: url, Username: "admin", Password: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	ds, ok := newSpaceFindingsDataSource().(*spaceFindingsDataSource)
	if !ok {
		t.Fatal("newSpaceFindingsDataSource no longer returns a *spaceFindingsDataSource")
	}
	ds.Configure(ctx, datasource.ConfigureRequest{ProviderData: newProviderData(api)}, &datasource.ConfigureResponse{})

	var schemaResp datasource.SchemaResponse
	ds.Schema(ctx, datasource.SchemaRequest{}, &schemaResp)
	objectType, ok := schemaResp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatal("the data source's schema is not an object type")
	}
	attrs := map[string]tftypes.Value{}
	for name, attrType := range objectType.AttributeTypes {
		attrs[name] = tftypes.NewValue(attrType, nil)
	}
	attrs["space_key"] = tftypes.NewValue(tftypes.String, "ENG")
	attrs["page_size"] = tftypes.NewValue(tftypes.Number, pageSize)
	raw := tftypes.NewValue(objectType, attrs)

	resp := datasource.ReadResponse{State: tfsdk.State{Schema: schemaResp.Schema, Raw: raw}}
	ds.Read(ctx, datasource.ReadRequest{Config: tfsdk.Config{Schema: schemaResp.Schema, Raw: raw}}, &resp)
	return resp
}

// TestSpaceFindingsWarnsWhenThePageIsIgnored answers every page with the
// same full page: the read keeps the first page and warns that more may
// be missing.
func TestSpaceFindingsWarnsWhenThePageIsIgnored(t *testing.T) {
	url, _ := pagedServer(t, func(_, size int) client.FindingsPage {
		return client.FindingsPage{ScanState: "COMPLETED", Size: size, Findings: numberedFindings(0, size)}
	})
	resp := readSpaceFindings(t, url, 4)
	if resp.Diagnostics.HasError() {
		t.Fatalf("read failed: %v", resp.Diagnostics)
	}
	warnings := resp.Diagnostics.Warnings()
	if len(warnings) != 1 || warnings[0].Summary() != "Findings List May Be Incomplete" {
		t.Fatalf("warnings = %v, want one Findings List May Be Incomplete", warnings)
	}
	for _, want := range []string{"space ENG", "those 4 findings", "ignores the page parameter"} {
		if !strings.Contains(strings.Join(strings.Fields(warnings[0].Detail()), " "), want) {
			t.Errorf("detail %q lacks %q", warnings[0].Detail(), want)
		}
	}
}

// TestAccSpaceFindings_pageLimitIsAnError never runs out of full pages: the
// read must fail rather than store a list cut at the page limit.
func TestAccSpaceFindings_pageLimitIsAnError(t *testing.T) {
	url, _ := pagedServer(t, func(page, size int) client.FindingsPage {
		return client.FindingsPage{ScanState: "COMPLETED", Page: page, Size: size,
			Findings: numberedFindings(page*size, page*size+size)}
	})
	accTest(t, resource.TestStep{
		Config: findingsProvider(url) + `
data "securityforconfluence_space_findings" "test" {
  space_key = "ENG"
  page_size = 1
}`,
		ExpectError: expectMessage("Findings List Incomplete", "space ENG stopped at the limit of 1000 pages",
			"1000 findings read", "the list is incomplete"),
	})
}
