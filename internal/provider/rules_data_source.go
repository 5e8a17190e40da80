package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/client"
)

var (
	_ datasource.DataSource              = (*rulesDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*rulesDataSource)(nil)
)

type rulesDataSource struct {
	data *providerData
}

func newRulesDataSource() datasource.DataSource {
	return &rulesDataSource{}
}

type rulesDataSourceModel struct {
	BuiltIn types.Bool  `tfsdk:"built_in"`
	Rules   []ruleModel `tfsdk:"rules"`
}

type ruleModel struct {
	Name        types.String `tfsdk:"name"`
	BuiltIn     types.Bool   `tfsdk:"built_in"`
	Enabled     types.Bool   `tfsdk:"enabled"`
	Description types.String `tfsdk:"description"`
	Category    types.String `tfsdk:"category"`
}

func (d *rulesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_rules"
}

func (d *rulesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the scanning rules of Security for Confluence, built-in and custom, with whether each is enabled. " +
			"Reading rules needs a Confluence administrator.",
		Attributes: map[string]schema.Attribute{
			"built_in": schema.BoolAttribute{
				MarkdownDescription: "When `true`, list only built-in rules; when `false`, only custom rules. " +
					"Leave unset to list both.",
				Optional: true,
			},
			"rules": schema.ListNestedAttribute{
				MarkdownDescription: "The rules, in the order the server lists them.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"name": schema.StringAttribute{
							MarkdownDescription: "Name of the rule, such as `AWS_CLIENT_ID`. Built-in rules use upper snake case; " +
								"custom rules carry the name their author chose.",
							Computed: true,
						},
						"built_in": schema.BoolAttribute{
							MarkdownDescription: "Whether the rule ships with the app (`true`) or is a custom rule (`false`).",
							Computed:            true,
						},
						"enabled": schema.BoolAttribute{
							MarkdownDescription: "Whether scans use the rule.",
							Computed:            true,
						},
						"description": schema.StringAttribute{
							MarkdownDescription: "What the rule detects, as shown on the app's settings page. Empty when the server gives none.",
							Computed:            true,
						},
						"category": schema.StringAttribute{
							MarkdownDescription: "The settings-page group of a built-in rule, such as `Cloud providers`. Empty when the server gives none.",
							Computed:            true,
						},
					},
				},
			},
		},
	}
}

func (d *rulesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *rulesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var model rulesDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() {
		return
	}

	if d.data == nil {
		deferOrFailDataSourceRead(req, resp, "list the scanning rules")
		return
	}

	rules, err := d.data.reads.Rules(ctx)
	if err != nil {
		resp.Diagnostics.Append(clientErrorDiagnostic("List Rules Error", "list the scanning rules", err))
		return
	}

	model.Rules = filteredRuleModels(rules, model.BuiltIn)
	resp.Diagnostics.Append(resp.State.Set(ctx, &model)...)
}

func filteredRuleModels(rules []client.Rule, builtIn types.Bool) []ruleModel {
	models := make([]ruleModel, 0, len(rules))
	for _, rule := range rules {
		if !builtIn.IsNull() && rule.BuiltIn != builtIn.ValueBool() {
			continue
		}
		models = append(models, ruleModel{
			Name:        types.StringValue(rule.Name),
			BuiltIn:     types.BoolValue(rule.BuiltIn),
			Enabled:     types.BoolValue(rule.Enabled),
			Description: types.StringValue(rule.Description),
			Category:    types.StringValue(rule.Category),
		})
	}
	return models
}
