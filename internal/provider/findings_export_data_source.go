package provider

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/client"
)

var (
	_ datasource.DataSource              = (*findingsExportDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*findingsExportDataSource)(nil)
)

// newFindingsExportDataSource reads the CSV export of one space or of every
// space the user administers.
func newFindingsExportDataSource() datasource.DataSource {
	return &findingsExportDataSource{}
}

type findingsExportDataSource struct {
	data *providerData
}

type findingsExportModel struct {
	SpaceKey types.String `tfsdk:"space_key"`
	CSV      types.String `tfsdk:"csv"`
	Rows     types.List   `tfsdk:"rows"`
	RowCount types.Int64  `tfsdk:"row_count"`
}

type exportRowModel struct {
	SpaceKey     types.String `tfsdk:"space_key"`
	ContentID    types.String `tfsdk:"content_id"`
	ContentTitle types.String `tfsdk:"content_title"`
	ContentType  types.String `tfsdk:"content_type"`
	RuleName     types.String `tfsdk:"rule_name"`
	MatchText    types.String `tfsdk:"match_text"`
	FirstVersion types.Int64  `tfsdk:"first_version"`
	LastVersion  types.Int64  `tfsdk:"last_version"`
	Reviewed     types.Bool   `tfsdk:"reviewed"`
	Historical   types.Bool   `tfsdk:"historical"`
}

var exportRowObjectType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"space_key":     types.StringType,
	"content_id":    types.StringType,
	"content_title": types.StringType,
	"content_type":  types.StringType,
	"rule_name":     types.StringType,
	"match_text":    types.StringType,
	"first_version": types.Int64Type,
	"last_version":  types.Int64Type,
	"reviewed":      types.BoolType,
	"historical":    types.BoolType,
}}

func (d *findingsExportDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_findings_export"
}

func (d *findingsExportDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the app's CSV export of findings, for one " +
			"space or for every space the user administers, both raw and " +
			"parsed into rows. Exporting one space needs administrator rights " +
			"on it; the export of all spaces works for any user and holds " +
			"only the spaces they administer.",
		Attributes: map[string]schema.Attribute{
			"space_key": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Key of the space to export, case-sensitive. " +
					"Unset exports every space the user administers.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"csv": schema.StringAttribute{
				Computed:  true,
				Sensitive: true,
				MarkdownDescription: "The export exactly as the server sent it. It " +
					"holds every match text, so it is sensitive: an output that " +
					"carries it must say `sensitive = true`, and the state that " +
					"stores it belongs in an encrypted backend.",
			},
			"rows": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The data rows of the export, in order, header excluded.",
				NestedObject: schema.NestedAttributeObject{
					Attributes: exportRowAttributes(),
				},
			},
			"row_count": schema.Int64Attribute{
				Computed:            true,
				MarkdownDescription: "Number of data rows.",
			},
		},
	}
}

func exportRowAttributes() map[string]schema.Attribute {
	attributes := map[string]schema.Attribute{}
	for name, attrType := range exportRowObjectType.AttrTypes {
		column := exportColumnOf(name)
		description := "The export's `" + column + "` column."
		switch attrType {
		case types.Int64Type:
			attributes[name] = schema.Int64Attribute{Computed: true, MarkdownDescription: description}
		case types.BoolType:
			attributes[name] = schema.BoolAttribute{Computed: true, MarkdownDescription: description}
		default:
			attributes[name] = schema.StringAttribute{
				Computed:            true,
				Sensitive:           name == "match_text",
				MarkdownDescription: description,
			}
		}
	}
	return attributes
}

// exportColumnOf names the CSV column behind a row attribute.
func exportColumnOf(attribute string) string {
	for i, name := range exportAttributeNames {
		if name == attribute {
			return client.ExportColumns[i]
		}
	}
	return attribute
}

// exportAttributeNames are the row attributes in the order of
// client.ExportColumns.
var exportAttributeNames = []string{
	"space_key", "content_id", "content_title", "content_type", "rule_name",
	"match_text", "first_version", "last_version", "reviewed", "historical",
}

func (d *findingsExportDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *findingsExportDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var model findingsExportModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() || !requireClient(d.data, &resp.Diagnostics, "read the findings export") {
		return
	}

	scope := exportScope(model.SpaceKey)
	body, err := d.export(ctx, model.SpaceKey)
	switch {
	case err != nil && !model.SpaceKey.IsNull():
		resp.Diagnostics.Append(spaceReadDiagnostic(ctx, d.data, model.SpaceKey.ValueString(), err))
		return
	case err != nil:
		resp.Diagnostics.Append(readFindingsDiagnostic(scope, err))
		return
	}

	rows, err := parseExport(body)
	if err != nil {
		resp.Diagnostics.AddError("Unexpected Findings Export",
			fmt.Sprintf("The export of %s should be CSV whose first row is the "+
				"header %q, but %s. Check that the provider's address points at "+
				"Confluence itself rather than a login page or proxy, and that "+
				"the Security for Confluence app is installed and licensed.",
				scope, joinColumns(), err))
		return
	}

	list, diags := types.ListValueFrom(ctx, exportRowObjectType, rows)
	resp.Diagnostics.Append(diags...)
	model.CSV = types.StringValue(string(body))
	model.Rows = list
	model.RowCount = types.Int64Value(int64(len(rows)))
	resp.Diagnostics.Append(resp.State.Set(ctx, &model)...)
}

func (d *findingsExportDataSource) export(ctx context.Context, spaceKey types.String) ([]byte, error) {
	if spaceKey.IsNull() {
		return d.data.client.ExportAllFindings(ctx)
	}
	return d.data.client.ExportSpaceFindings(ctx, spaceKey.ValueString())
}

func exportScope(spaceKey types.String) string {
	if spaceKey.IsNull() {
		return "all administered spaces"
	}
	return "space " + spaceKey.ValueString()
}

func joinColumns() string {
	return strings.Join(client.ExportColumns, ",")
}

// parseExport checks the header and maps each data row. Its errors describe
// the body without quoting it: a body that is not the expected CSV may still
// hold match texts.
func parseExport(body []byte) ([]exportRowModel, error) {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, errors.New("the body was empty")
	}
	if kind := nonCSVKind(body); kind != "" {
		return nil, fmt.Errorf("the server answered with %s", kind)
	}

	reader := csv.NewReader(bytes.NewReader(body))
	records, err := reader.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("the body is not valid CSV (%s)", csvProblem(err))
	}
	if !slices.Equal(records[0], client.ExportColumns) {
		return nil, fmt.Errorf("its first row, of %d columns, is a different header", len(records[0]))
	}

	rows := make([]exportRowModel, 0, len(records)-1)
	for i, record := range records[1:] {
		row, err := newExportRow(record)
		if err != nil {
			return nil, fmt.Errorf("data row %d %w", i+1, err)
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// nonCSVKind recognizes the answers a misrouted request typically gets.
func nonCSVKind(body []byte) string {
	start := bytes.TrimSpace(body)
	if len(start) == 0 {
		return ""
	}
	switch start[0] {
	case '<':
		return "an HTML or XML page instead"
	case '{', '[':
		return "JSON instead"
	}
	return ""
}

// csvProblem keeps the position of a CSV error and drops any quoted field.
func csvProblem(err error) string {
	var parseErr *csv.ParseError
	if errors.As(err, &parseErr) {
		return fmt.Sprintf("line %d: %s", parseErr.Line, parseErr.Err)
	}
	return "unreadable"
}

func newExportRow(record []string) (exportRowModel, error) {
	first, err := strconv.ParseInt(record[6], 10, 64)
	if err != nil {
		return exportRowModel{}, errors.New("has a First Version that is not a whole number")
	}
	last, err := strconv.ParseInt(record[7], 10, 64)
	if err != nil {
		return exportRowModel{}, errors.New("has a Last Version that is not a whole number")
	}
	reviewed, err := strconv.ParseBool(record[8])
	if err != nil {
		return exportRowModel{}, errors.New("has a Reviewed value that is neither true nor false")
	}
	historical, err := strconv.ParseBool(record[9])
	if err != nil {
		return exportRowModel{}, errors.New("has a Historical value that is neither true nor false")
	}

	return exportRowModel{
		SpaceKey:     types.StringValue(record[0]),
		ContentID:    types.StringValue(record[1]),
		ContentTitle: types.StringValue(record[2]),
		ContentType:  types.StringValue(record[3]),
		RuleName:     types.StringValue(record[4]),
		MatchText:    types.StringValue(record[5]),
		FirstVersion: types.Int64Value(first),
		LastVersion:  types.Int64Value(last),
		Reviewed:     types.BoolValue(reviewed),
		Historical:   types.BoolValue(historical),
	}, nil
}
