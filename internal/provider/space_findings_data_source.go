package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/client"
)

var (
	_ datasource.DataSource              = (*spaceFindingsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*spaceFindingsDataSource)(nil)
)

// newSpaceFindingsDataSource lists the findings of one space.
func newSpaceFindingsDataSource() datasource.DataSource {
	return &spaceFindingsDataSource{}
}

type spaceFindingsDataSource struct {
	data *providerData
}

type spaceFindingsModel struct {
	SpaceKey types.String `tfsdk:"space_key"`
	findingsFilters
	findingsSummary
}

func (d *spaceFindingsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_space_findings"
}

func (d *spaceFindingsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the findings of the latest scans of one " +
			"space: every page, each finding once. Reading needs space " +
			"administrator rights. The findings are those of the last scan; " +
			"use `securityforconfluence_scan` to scan again first.",
		Attributes: mergeAttributes(
			map[string]schema.Attribute{
				"space_key": schema.StringAttribute{
					Required: true,
					MarkdownDescription: "Key of the space, case-sensitive " +
						"(`ENG`, or `~jdoe` for a personal space).",
					Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
				},
			},
			findingsFilterAttributes(),
			findingsResultAttributes(),
		),
	}
}

func (d *spaceFindingsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *spaceFindingsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var model spaceFindingsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() || !requireClient(d.data, &resp.Diagnostics, "read the findings") {
		return
	}

	query, diags := model.query(ctx)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(checkRuleNames(ctx, d.data, path.Root("rule_names"), query.RuleNames)...)
	if resp.Diagnostics.HasError() {
		return
	}

	findings, info, err := d.listFindings(ctx, model, query)
	if err != nil {
		resp.Diagnostics.Append(spaceReadDiagnostic(ctx, d.data, model.SpaceKey.ValueString(), err))
		return
	}
	resp.Diagnostics.Append(listingDiagnostics("space "+model.SpaceKey.ValueString(), len(findings), info)...)
	if resp.Diagnostics.HasError() {
		return
	}

	model.findingsSummary, diags = summarize(ctx, findings)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &model)...)
}

// listFindings goes through the shared read cache when the read is one that
// other objects in the same run make too, so a plan with many reviews and a
// findings data source reads each space once.
func (d *spaceFindingsDataSource) listFindings(ctx context.Context, model spaceFindingsModel, query client.FindingsQuery) ([]client.Finding, client.ListInfo, error) {
	key := model.SpaceKey.ValueString()
	if model.usesDefaults() {
		return d.data.reads.SpaceListing(ctx, key, query.Reviewed)
	}
	return d.data.client.ListSpaceFindings(ctx, key, query)
}
