package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/client"
)

// maxFindingsPageSize is the largest page the server hands out; a larger
// size is clamped by the server, so asking for it only hides a typo.
const maxFindingsPageSize = 100

// findingsFilters are the arguments shared by the findings data sources.
type findingsFilters struct {
	Reviewed  types.Bool  `tfsdk:"reviewed"`
	RuleNames types.List  `tfsdk:"rule_names"`
	PageSize  types.Int64 `tfsdk:"page_size"`
}

// findingsSummary is what the findings data sources compute from the
// findings they read.
type findingsSummary struct {
	Findings        types.List  `tfsdk:"findings"`
	CountsByRule    types.Map   `tfsdk:"counts_by_rule"`
	ReviewedCount   types.Int64 `tfsdk:"reviewed_count"`
	UnreviewedCount types.Int64 `tfsdk:"unreviewed_count"`
	TotalCount      types.Int64 `tfsdk:"total_count"`
}

type findingModel struct {
	RuleName     types.String `tfsdk:"rule_name"`
	MatchText    types.String `tfsdk:"match_text"`
	SpaceKey     types.String `tfsdk:"space_key"`
	ContentID    types.String `tfsdk:"content_id"`
	ContentTitle types.String `tfsdk:"content_title"`
	ContentType  types.String `tfsdk:"content_type"`
	FirstVersion types.Int64  `tfsdk:"first_version"`
	LastVersion  types.Int64  `tfsdk:"last_version"`
	Reviewed     types.Bool   `tfsdk:"reviewed"`
	Historical   types.Bool   `tfsdk:"historical"`
}

var findingAttrTypes = map[string]attr.Type{
	"rule_name":     types.StringType,
	"match_text":    types.StringType,
	"space_key":     types.StringType,
	"content_id":    types.StringType,
	"content_title": types.StringType,
	"content_type":  types.StringType,
	"first_version": types.Int64Type,
	"last_version":  types.Int64Type,
	"reviewed":      types.BoolType,
	"historical":    types.BoolType,
}

var findingObjectType = types.ObjectType{AttrTypes: findingAttrTypes}

func findingsFilterAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"reviewed": schema.BoolAttribute{
			Optional: true,
			MarkdownDescription: "`true` lists only reviewed findings, `false` only " +
				"unreviewed ones; unset lists both.",
		},
		"rule_names": schema.ListAttribute{
			Optional:    true,
			ElementType: types.StringType,
			MarkdownDescription: "Only findings of these rules, by rule name " +
				"(for example `AWS_CLIENT_ID`). Each name is checked against the " +
				"server's rule list when that list is readable (Confluence " +
				"administrators), and an unknown name fails with the closest " +
				"existing names.",
			Validators: []validator.List{
				listvalidator.SizeAtLeast(1),
				listvalidator.UniqueValues(),
				listvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1)),
			},
		},
		"page_size": schema.Int64Attribute{
			Optional: true,
			MarkdownDescription: fmt.Sprintf("Findings asked for per request, "+
				"1 to %d. Every page is read either way; a small size only "+
				"means more requests. Unset leaves the server's default (25).",
				maxFindingsPageSize),
			Validators: []validator.Int64{
				int64validator.Between(1, maxFindingsPageSize),
			},
		},
	}
}

func findingsResultAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"findings": schema.ListNestedAttribute{
			Computed: true,
			MarkdownDescription: "Every finding that matches the filters, each " +
				"once, in the server's order. An empty list when there are none.",
			NestedObject: schema.NestedAttributeObject{
				Attributes: findingAttributes(),
			},
		},
		"counts_by_rule": schema.MapAttribute{
			Computed:            true,
			ElementType:         types.Int64Type,
			MarkdownDescription: "Number of findings per rule name, for the rules that have any.",
		},
		"reviewed_count": schema.Int64Attribute{
			Computed:            true,
			MarkdownDescription: "Number of listed findings that are reviewed.",
		},
		"unreviewed_count": schema.Int64Attribute{
			Computed:            true,
			MarkdownDescription: "Number of listed findings that are not reviewed.",
		},
		"total_count": schema.Int64Attribute{
			Computed:            true,
			MarkdownDescription: "Number of listed findings.",
		},
	}
}

func findingAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"rule_name": schema.StringAttribute{
			Computed:            true,
			MarkdownDescription: "Name of the rule that matched.",
		},
		"match_text": schema.StringAttribute{
			Computed:  true,
			Sensitive: true,
			MarkdownDescription: "The exact text the rule captured: the leaked " +
				"secret itself, and what a review of the finding stores. " +
				"Terraform hides it in plans; never put it into an output.",
		},
		"space_key": schema.StringAttribute{
			Computed:            true,
			MarkdownDescription: "Key of the space holding the content.",
		},
		"content_id": schema.StringAttribute{
			Computed:            true,
			MarkdownDescription: "Confluence id of the page or blog post.",
		},
		"content_title": schema.StringAttribute{
			Computed:            true,
			MarkdownDescription: "Title of the page or blog post.",
		},
		"content_type": schema.StringAttribute{
			Computed:            true,
			MarkdownDescription: "`page` or `blogpost`.",
		},
		"first_version": schema.Int64Attribute{
			Computed:            true,
			MarkdownDescription: "First content version that contains the match.",
		},
		"last_version": schema.Int64Attribute{
			Computed:            true,
			MarkdownDescription: "Last content version that contains the match.",
		},
		"reviewed": schema.BoolAttribute{
			Computed:            true,
			MarkdownDescription: "Whether the match text is reviewed in this space.",
		},
		"historical": schema.BoolAttribute{
			Computed: true,
			MarkdownDescription: "`true` when the latest version of the content " +
				"no longer contains the match; the secret is still in its history.",
		},
	}
}

// mergeAttributes joins schema attribute maps; the maps never share a name.
func mergeAttributes(parts ...map[string]schema.Attribute) map[string]schema.Attribute {
	merged := map[string]schema.Attribute{}
	for _, part := range parts {
		for name, attribute := range part {
			merged[name] = attribute
		}
	}
	return merged
}

// query turns the filters into a client query that starts at the first page.
func (f findingsFilters) query(ctx context.Context) (client.FindingsQuery, diag.Diagnostics) {
	var q client.FindingsQuery
	var diags diag.Diagnostics

	if !f.Reviewed.IsNull() && !f.Reviewed.IsUnknown() {
		reviewed := f.Reviewed.ValueBool()
		q.Reviewed = &reviewed
	}
	if !f.PageSize.IsNull() && !f.PageSize.IsUnknown() {
		q.Size = int(f.PageSize.ValueInt64())
	}
	if !f.RuleNames.IsNull() && !f.RuleNames.IsUnknown() {
		diags.Append(f.RuleNames.ElementsAs(ctx, &q.RuleNames, false)...)
	}
	return q, diags
}

// usesDefaults says whether the read is the plain "every finding" or
// "reviewed/unreviewed" listing that the provider's read cache serves.
func (f findingsFilters) usesDefaults() bool {
	return f.RuleNames.IsNull() && f.PageSize.IsNull()
}

// summarize maps the findings and counts them; an empty input gives an
// empty list, never a null one, so `length()` works without a guard.
func summarize(ctx context.Context, findings []client.Finding) (findingsSummary, diag.Diagnostics) {
	models := make([]findingModel, 0, len(findings))
	countsByRule := map[string]int64{}
	var reviewed int64

	for _, f := range findings {
		models = append(models, newFindingModel(f))
		countsByRule[f.RuleName]++
		if f.Reviewed {
			reviewed++
		}
	}

	list, diags := types.ListValueFrom(ctx, findingObjectType, models)
	counts, countDiags := types.MapValueFrom(ctx, types.Int64Type, countsByRule)
	diags.Append(countDiags...)

	total := int64(len(findings))
	return findingsSummary{
		Findings:        list,
		CountsByRule:    counts,
		ReviewedCount:   types.Int64Value(reviewed),
		UnreviewedCount: types.Int64Value(total - reviewed),
		TotalCount:      types.Int64Value(total),
	}, diags
}

func newFindingModel(f client.Finding) findingModel {
	return findingModel{
		RuleName:     types.StringValue(f.RuleName),
		MatchText:    types.StringValue(f.MatchText),
		SpaceKey:     types.StringValue(f.SpaceKey),
		ContentID:    types.StringValue(f.ContentID),
		ContentTitle: types.StringValue(f.ContentTitle),
		ContentType:  types.StringValue(f.ContentType),
		FirstVersion: types.Int64Value(int64(f.FirstVersion)),
		LastVersion:  types.Int64Value(int64(f.LastVersion)),
		Reviewed:     types.BoolValue(f.Reviewed),
		Historical:   types.BoolValue(f.Historical),
	}
}

// createdWhenLayout is the form Confluence gives a version's creation time
// in, and the form the app expects back: milliseconds and an offset.
const createdWhenLayout = "2006-01-02T15:04:05.000Z07:00"

// createdWhenExample is the vendor's own example value.
const createdWhenExample = "2021-08-15T17:54:36.860-05:00"

// createdWhenPattern admits "Z" as well as a numeric offset: Confluence
// formats a UTC time with "Z", and both name the offset explicitly. Exactly
// three fraction digits, because the app identifies a version by its
// millisecond timestamp and a rounded value would name no version.
var createdWhenPattern = regexp.MustCompile(
	`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:\d{2})$`)

// createdWhenValidator checks that a value names one content version the way
// the app expects it.
type createdWhenValidator struct{}

func (createdWhenValidator) Description(context.Context) string {
	return "must be an RFC 3339 timestamp with milliseconds and an offset, " +
		"such as " + createdWhenExample
}

func (v createdWhenValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (createdWhenValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}

	value := req.ConfigValue.ValueString()
	if problem := createdWhenProblem(value); problem != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Created When Timestamp",
			fmt.Sprintf("The %s attribute must be the time a content version "+
				"was created, as an RFC 3339 timestamp with milliseconds and an "+
				"explicit offset, such as %s (\"Z\" is accepted for UTC). "+
				"Got %q, which %s. Copy the version's \"when\" value from "+
				"Confluence, for example from GET /rest/api/content/{id}/version.",
				req.Path, createdWhenExample, value, problem))
	}
}

// createdWhenProblem says what is wrong with a value, or "" when nothing is.
func createdWhenProblem(value string) string {
	if !createdWhenPattern.MatchString(value) {
		return "does not have that form"
	}
	if _, err := time.Parse(createdWhenLayout, value); err != nil {
		return "is not a real date and time"
	}
	return ""
}

// checkRuleNames checks each rule name filter against the server's rule list.
// Listing rules needs a Confluence administrator while reading findings
// needs only a space administrator, so a refused listing skips the check
// instead of failing a read the user is allowed to make.
func checkRuleNames(ctx context.Context, data *providerData, attr path.Path, names []string) diag.Diagnostics {
	var diags diag.Diagnostics
	if len(names) == 0 {
		return diags
	}

	rules, err := data.reads.Rules(ctx)
	if errors.Is(err, client.ErrForbidden) {
		tflog.Debug(ctx, "Not checking rule names: the rule list needs a Confluence administrator")
		return diags
	}
	if err != nil {
		diags.Append(clientErrorDiagnostic("List Rules Error",
			"list the scanning rules to check "+attributeName(attr), err))
		return diags
	}

	for i, name := range names {
		if problem := ruleNameProblem(rules, attr.AtListIndex(i), name, false); problem != nil {
			diags.Append(problem)
		}
	}
	return diags
}

// readFindingsDiagnostic reports a failed read of findings or of an export.
func readFindingsDiagnostic(what string, err error) diag.Diagnostic {
	return clientErrorDiagnostic("Read Findings Error", "read the findings of "+what, err)
}

// listingDiagnostics makes the end of a listing visible where it may have
// lost findings: a warning when the second page repeated the first, which is
// what a server or proxy that drops the page parameter answers, and an error
// when the page limit cut the list short.
func listingDiagnostics(what string, found int, info client.ListInfo) diag.Diagnostics {
	var diags diag.Diagnostics
	switch {
	case info.HitPageLimit:
		diags.AddError("Findings List Incomplete",
			fmt.Sprintf("Listing the findings of %s stopped at the limit of %d pages with %d findings read, "+
				"and the server was still sending full pages, so the list is incomplete. A server that "+
				"ignores the page parameter and varies its answers can cause this too. Narrow the listing "+
				"with rule_names or reviewed, use the largest page_size (100), or read the CSV export instead.",
				what, client.MaxFindingPages, found))
	case info.PageIgnored():
		diags.AddWarning("Findings List May Be Incomplete",
			fmt.Sprintf("The server answered the second page of the findings of %s with exactly the first "+
				"page again, so the listing stopped at those %d findings. That is right when the findings "+
				"fill exactly one page and the server repeats its last page, but it is also how a server "+
				"that ignores the page parameter answers, and then every finding past the first page is "+
				"missing. Check that no proxy in front of Confluence drops the query string, and compare "+
				"the count with the app's findings page in Confluence.", what, found))
	}
	return diags
}
