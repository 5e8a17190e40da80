package provider

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ datasource.DataSource              = (*contentFindingsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*contentFindingsDataSource)(nil)
)

// newContentFindingsDataSource lists the findings of one content version.
func newContentFindingsDataSource() datasource.DataSource {
	return &contentFindingsDataSource{}
}

type contentFindingsDataSource struct {
	data *providerData
}

type contentFindingsModel struct {
	ContentID   types.String `tfsdk:"content_id"`
	CreatedWhen types.String `tfsdk:"created_when"`
	findingsFilters
	findingsSummary
}

func (d *contentFindingsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_content_findings"
}

func (d *contentFindingsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the findings of one version of a page or " +
			"blog post, as the app shows them when the Security Analysis is " +
			"filtered to that version: every page of results, each finding " +
			"once. Reading needs administrator rights on the content's space.",
		Attributes: mergeAttributes(
			map[string]schema.Attribute{
				"content_id": schema.StringAttribute{
					Required: true,
					MarkdownDescription: "Confluence id of the page or blog post, " +
						"decimal digits only, such as `65536`.",
					Validators: contentIDValidators(),
				},
				"created_when": schema.StringAttribute{
					Required: true,
					MarkdownDescription: "When the version was created, as " +
						"Confluence reports it: an RFC 3339 timestamp with " +
						"milliseconds and an explicit offset, such as `" +
						createdWhenExample + "`. `Z` is accepted for UTC. " +
						"A date alone, a time without an offset or without " +
						"milliseconds is rejected at plan time.",
					Validators: []validator.String{createdWhenValidator{}},
				},
			},
			findingsFilterAttributes(),
			findingsResultAttributes(),
		),
	}
}

func (d *contentFindingsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *contentFindingsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var model contentFindingsModel
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

	what := "content " + model.ContentID.ValueString() + " at " + model.CreatedWhen.ValueString()
	findings, info, err := d.data.client.ListContentFindings(ctx,
		model.ContentID.ValueString(), model.CreatedWhen.ValueString(), query)
	if err != nil {
		resp.Diagnostics.Append(readFindingsDiagnostic(what, err))
		return
	}
	resp.Diagnostics.Append(listingDiagnostics(what, len(findings), info)...)
	if resp.Diagnostics.HasError() {
		return
	}

	model.findingsSummary, diags = summarize(ctx, findings)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &model)...)
}

// contentIDPattern lets an empty value through, so that it gets only the
// length error rather than two errors for one mistake.
var contentIDPattern = regexp.MustCompile(`^[0-9]*$`)

// contentIDValidators reject a content id that is not a number at plan time:
// Confluence would answer it with a 404 that only says "not found".
func contentIDValidators() []validator.String {
	return []validator.String{
		stringvalidator.LengthAtLeast(1),
		stringvalidator.RegexMatches(contentIDPattern,
			"must be the numeric id of a page or blog post, decimal digits only, such as 65536 "+
				"(the number after pageId= in the page's address, or in Page Information)"),
	}
}
