package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/client"
)

var (
	_ resource.Resource                   = (*scanResource)(nil)
	_ resource.ResourceWithConfigure      = (*scanResource)(nil)
	_ resource.ResourceWithValidateConfig = (*scanResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*scanResource)(nil)
)

// scanPollInterval is how long Create waits between looks at a scan the
// server only scheduled. Tests shorten it.
var scanPollInterval = 2 * time.Second

// scanWaitLimit bounds the wait for a scheduled scan, so a server that never
// finishes one cannot hold an apply forever; the scan keeps running there.
// Tests shorten it.
var scanWaitLimit = 15 * time.Minute

// newScanResource runs a scan when created.
func newScanResource() resource.Resource {
	return &scanResource{}
}

type scanResource struct {
	data *providerData
}

type scanResourceModel struct {
	ID               types.String `tfsdk:"id"`
	SpaceKey         types.String `tfsdk:"space_key"`
	ContentID        types.String `tfsdk:"content_id"`
	CreatedWhen      types.String `tfsdk:"created_when"`
	Triggers         types.Map    `tfsdk:"triggers"`
	ScanState        types.String `tfsdk:"scan_state"`
	FindingsCount    types.Int64  `tfsdk:"findings_count"`
	UpToDateContent  types.Bool   `tfsdk:"up_to_date_content"`
	UpToDateSettings types.Bool   `tfsdk:"up_to_date_settings"`
	ScannedAt        types.String `tfsdk:"scanned_at"`
}

func (r *scanResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_scan"
}

func (r *scanResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Runs a scan of a space, of the whole history of " +
			"one page or blog post, or of one version of it. A scan is an " +
			"event, not an object: creating this resource runs the scan and " +
			"records what the server answered; reading it later asks the " +
			"server nothing; destroying it changes nothing on the server. " +
			"Any change of an argument, `triggers` included, replaces the " +
			"resource, which runs the scan again.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "Names the target: `space/<key>`, " +
					"`content/<id>` or `content/<id>/version/<created_when>`.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"space_key": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Scan this space, case-sensitive. " +
					"Exactly one of `space_key` and `content_id` must be set.",
				Validators:    []validator.String{stringvalidator.LengthAtLeast(1)},
				PlanModifiers: replace,
			},
			"content_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Scan every version of this page or blog " +
					"post, or only the one named by `created_when`. Decimal " +
					"digits only, such as `65536`.",
				Validators:    contentIDValidators(),
				PlanModifiers: replace,
			},
			"created_when": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "With `content_id`, scan only the version " +
					"created at this time, written as Confluence reports it: " +
					"an RFC 3339 timestamp with milliseconds and an explicit " +
					"offset, such as `" + createdWhenExample + "` (`Z` is " +
					"accepted for UTC).",
				Validators:    []validator.String{createdWhenValidator{}},
				PlanModifiers: replace,
			},
			"triggers": schema.MapAttribute{
				Optional:    true,
				ElementType: types.StringType,
				MarkdownDescription: "Arbitrary values; any change replaces the " +
					"resource and so runs the scan again. Put a hash of the rule " +
					"policy here to rescan after a rule is toggled, for example " +
					"`{ policy = sha1(jsonencode(var.rules)) }`.",
				PlanModifiers: []planmodifier.Map{mapplanmodifier.RequiresReplace()},
			},
			"scan_state": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "State of the scan when it ended: " +
					"`COMPLETED`. A scan the server still runs after 15 minutes, " +
					"or one whose wait is interrupted, fails the apply and is not " +
					"recorded.",
			},
			"findings_count": schema.Int64Attribute{
				Computed:            true,
				MarkdownDescription: "Findings the scan produced, reviewed ones included.",
			},
			"up_to_date_content": schema.BoolAttribute{
				Computed:            true,
				MarkdownDescription: "Whether the scan covered the latest content.",
			},
			"up_to_date_settings": schema.BoolAttribute{
				Computed: true,
				MarkdownDescription: "Whether the scan used the current rule " +
					"settings; toggling a rule afterwards makes it outdated.",
			},
			"scanned_at": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "When the provider ran the scan, RFC 3339 in UTC.",
			},
		},
	}
}

func (r *scanResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig names the fields of a missing or doubled target at plan
// time, before any request.
func (r *scanResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var model scanResourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(scanTargetProblems(model)...)
}

func scanTargetProblems(model scanResourceModel) diag.Diagnostics {
	var diags diag.Diagnostics
	if model.SpaceKey.IsUnknown() || model.ContentID.IsUnknown() {
		return diags
	}

	space, content := !model.SpaceKey.IsNull(), !model.ContentID.IsNull()
	switch {
	case space && content:
		diags.AddAttributeError(path.Root("content_id"), "Conflicting Scan Targets",
			"Both space_key and content_id are set, but a scan has exactly one "+
				"target. Keep space_key to scan the whole space, or keep content_id "+
				"(with created_when for a single version) to scan one page or blog "+
				"post, and use one securityforconfluence_scan per target.")
	case !space && !content:
		diags.AddError("Missing Scan Target",
			"Neither space_key nor content_id is set. Set space_key to scan a "+
				"space, or content_id to scan the history of one page or blog post "+
				"(add created_when to scan only one version).")
	case space && !model.CreatedWhen.IsNull():
		diags.AddAttributeError(path.Root("created_when"), "Created When Without Content ID",
			"created_when picks one version of a page or blog post, so it needs "+
				"content_id, but only space_key is set. Remove created_when to scan "+
				"the space, or replace space_key with the content_id of the page.")
	}
	return diags
}

// ModifyPlan asks the server whether the space, content or version to scan
// exists, so a key with the wrong case, an id of deleted content or a
// mistyped timestamp fails the plan rather than the apply. It runs only when
// the scan is about to run, and each check is skipped while its value is
// unknown or the provider has no client yet.
func (r *scanResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || (!req.State.Raw.IsNull() && len(resp.RequiresReplace) == 0) {
		return
	}
	var plan scanResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(checkSpaceExists(ctx, r.data, path.Root("space_key"), plan.SpaceKey)...)
	resp.Diagnostics.Append(checkContentExists(ctx, r.data, plan.ContentID, plan.CreatedWhen)...)
}

// checkContentExists asks Confluence for the content, then the app for the
// version. The version is checked through the findings of that version,
// which the app answers with 404 when the content has no version created
// then: one request, with the permission the scan itself needs, where
// Confluence's own API would have to be asked for every version in turn.
func checkContentExists(ctx context.Context, data *providerData, contentID, createdWhen types.String) diag.Diagnostics {
	var diags diag.Diagnostics
	if contentID.IsUnknown() || contentID.IsNull() || data == nil || data.client == nil {
		return diags
	}
	id := contentID.ValueString()
	_, err := data.client.GetContent(ctx, id)
	switch {
	case errors.Is(err, client.ErrNotFound):
		diags.AddAttributeError(path.Root("content_id"), "Content Not Found",
			fmt.Sprintf("content_id is %q, but Confluence has no page or blog post with that id that the "+
				"provider's user can see. Check the id, which is the pageId in the address of the page "+
				"(or its Page Information), that the content was not deleted, and that the user may view it.", id))
		return diags
	case err != nil:
		diags.Append(clientErrorDiagnostic("Look Up Content Error",
			fmt.Sprintf("look up content %s to check content_id", id), err))
		return diags
	}
	if createdWhen.IsUnknown() || createdWhen.IsNull() {
		return diags
	}
	_, err = data.client.GetContentFindings(ctx, id, createdWhen.ValueString(), client.FindingsQuery{Size: 1})
	switch {
	case errors.Is(err, client.ErrNotFound):
		diags.AddAttributeError(path.Root("created_when"), "Content Version Not Found",
			fmt.Sprintf("created_when is %q, but content %s has no version created at that time. "+
				"Copy the timestamp of the version from Confluence (Page History, or the version.when "+
				"of GET /rest/api/content/%s?version=N), milliseconds and offset included.",
				createdWhen.ValueString(), id, id))
	case err != nil:
		diags.Append(clientErrorDiagnostic("Look Up Content Version Error",
			fmt.Sprintf("look up the version of content %s created at %s to check created_when",
				id, createdWhen.ValueString()), err))
	}
	return diags
}

func (r *scanResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var model scanResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics, "run the scan") {
		return
	}

	target := newScanTarget(model)
	result, err := target.run(ctx, r.data.client)
	if err != nil {
		resp.Diagnostics.Append(clientErrorDiagnostic("Scan Failed", "scan "+target.describe(), err))
		return
	}
	r.forgetCachedFindings(target, result)

	result, err = target.waitForCompletion(ctx, r.data.client, result)
	var unfinished *scanUnfinishedError
	switch {
	case errors.As(err, &unfinished):
		resp.Diagnostics.AddError("Scan Not Finished", unfinished.detail(target))
		return
	case err != nil:
		resp.Diagnostics.Append(clientErrorDiagnostic("Scan Failed",
			"follow the scan of "+target.describe()+" to its end", err))
		return
	}
	if result.ScanState == client.ScanStateFailed {
		resp.Diagnostics.AddError("Scan Failed",
			fmt.Sprintf("The server reports the scan of %s as %s. A custom rule "+
				"that exceeds the app's time or memory limit fails a scan and is "+
				"disabled; check the app's audit log and settings page in "+
				"Confluence, then apply again to rescan.", target.describe(), result.ScanState))
		return
	}

	model.ID = types.StringValue(target.id())
	model.ScanState = types.StringValue(result.ScanState)
	model.FindingsCount = types.Int64Value(int64(result.FindingsCount))
	model.UpToDateContent = types.BoolValue(result.UpToDateContent)
	model.UpToDateSettings = types.BoolValue(result.UpToDateSettings)
	model.ScannedAt = types.StringValue(time.Now().UTC().Format(time.RFC3339))
	resp.Diagnostics.Append(resp.State.Set(ctx, &model)...)
}

// forgetCachedFindings drops listings read before the scan in this provider
// process, so a data source read after it sees the new findings.
func (r *scanResource) forgetCachedFindings(target scanTarget, result *client.ScanResult) {
	if key := target.spaceKey; key != "" {
		r.data.reads.InvalidateSpace(key)
	}
	if result.SpaceKey != "" {
		r.data.reads.InvalidateSpace(result.SpaceKey)
	}
}

// Read keeps the state as it is: the scan happened, and nothing on the
// server can undo it.
func (r *scanResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var model scanResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &model)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &model)...)
}

// Update is reached only when nothing but computed values would change,
// since every argument forces a replacement.
func (r *scanResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var model scanResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &model)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &model)...)
}

// Delete only forgets the scan: findings and scan reports stay on the server.
func (r *scanResource) Delete(ctx context.Context, _ resource.DeleteRequest, _ *resource.DeleteResponse) {
	tflog.Debug(ctx, "Forgetting a scan; the server keeps its results")
}

// scanTarget is the one thing a scan resource scans.
type scanTarget struct {
	spaceKey    string
	contentID   string
	createdWhen string
}

func newScanTarget(model scanResourceModel) scanTarget {
	return scanTarget{
		spaceKey:    model.SpaceKey.ValueString(),
		contentID:   model.ContentID.ValueString(),
		createdWhen: model.CreatedWhen.ValueString(),
	}
}

func (t scanTarget) id() string {
	switch {
	case t.spaceKey != "":
		return "space/" + t.spaceKey
	case t.createdWhen != "":
		return "content/" + t.contentID + "/version/" + t.createdWhen
	}
	return "content/" + t.contentID
}

func (t scanTarget) describe() string {
	switch {
	case t.spaceKey != "":
		return "space " + t.spaceKey
	case t.createdWhen != "":
		return "the version of content " + t.contentID + " created at " + t.createdWhen
	}
	return "every version of content " + t.contentID
}

func (t scanTarget) run(ctx context.Context, api *client.Client) (*client.ScanResult, error) {
	switch {
	case t.spaceKey != "":
		return api.ScanSpace(ctx, t.spaceKey)
	case t.createdWhen != "":
		return api.ScanContentVersion(ctx, t.contentID, t.createdWhen)
	}
	return api.ScanContent(ctx, t.contentID)
}

// waitForCompletion follows a scan the server only scheduled until it ends,
// so that findings read after this resource are those of this scan. The
// trigger's count is meaningless before the scan ran, so it is recounted from
// the listing. A wait that is interrupted or runs past scanWaitLimit is an
// error: recording the scan then would store a count it never produced.
func (t scanTarget) waitForCompletion(ctx context.Context, api *client.Client, result *client.ScanResult) (*client.ScanResult, error) {
	if !scanRunning(result.ScanState) {
		return result, nil
	}
	waitCtx, cancel := context.WithTimeout(ctx, scanWaitLimit)
	defer cancel()

	for scanRunning(result.ScanState) {
		tflog.Debug(waitCtx, "Waiting for a scheduled scan", map[string]any{"scan_state": result.ScanState})
		select {
		case <-waitCtx.Done():
			return nil, newScanUnfinishedError(ctx, result.ScanState)
		case <-time.After(scanPollInterval):
		}

		page, err := t.firstPage(waitCtx, api)
		if err != nil {
			if waitCtx.Err() != nil {
				return nil, newScanUnfinishedError(ctx, result.ScanState)
			}
			return nil, err
		}
		result.ScanState = page.ScanState
		result.UpToDateContent = page.UpToDateContent
		result.UpToDateSettings = page.UpToDateSettings
	}

	findings, info, err := t.listFindings(ctx, api)
	if err != nil {
		return nil, err
	}
	if info.HitPageLimit {
		return nil, fmt.Errorf("the findings of %s ran past %d pages, so they cannot be counted",
			t.describe(), client.MaxFindingPages)
	}
	result.FindingsCount = len(findings)
	return result, nil
}

// scanUnfinishedError is a wait that ended before the scan did, either
// because Terraform was interrupted or because scanWaitLimit passed.
type scanUnfinishedError struct {
	state       string
	interrupted bool
}

// newScanUnfinishedError tells an interruption from the wait limit by the
// caller's own context, which only Terraform cancels.
func newScanUnfinishedError(ctx context.Context, state string) *scanUnfinishedError {
	return &scanUnfinishedError{state: state, interrupted: ctx.Err() != nil}
}

func (e *scanUnfinishedError) Error() string {
	if e.interrupted {
		return "the wait for the scan was interrupted while it was " + e.state
	}
	return fmt.Sprintf("the scan was still %s after %s", e.state, scanWaitLimit)
}

func (e *scanUnfinishedError) detail(target scanTarget) string {
	why := fmt.Sprintf("The scan of %s was still %s on the server when the provider "+
		"stopped waiting for it after %s.", target.describe(), e.state, scanWaitLimit)
	if e.interrupted {
		why = fmt.Sprintf("Terraform was interrupted while the scan of %s was still %s "+
			"on the server.", target.describe(), e.state)
	}
	return why + " The scan may still be running there, so no result was recorded " +
		"and the resource was not created. Check the scan's progress on the app's " +
		"pages in Confluence, and apply again once it has finished: that runs the " +
		"scan again and records its result."
}

func scanRunning(state string) bool {
	return state == client.ScanStateScheduled || state == client.ScanStateScanning
}

func (t scanTarget) firstPage(ctx context.Context, api *client.Client) (*client.FindingsPage, error) {
	query := client.FindingsQuery{Size: 1}
	if t.spaceKey != "" {
		return api.GetSpaceFindings(ctx, t.spaceKey, query)
	}
	return api.GetContentFindings(ctx, t.contentID, t.createdWhen, query)
}

func (t scanTarget) listFindings(ctx context.Context, api *client.Client) ([]client.Finding, client.ListInfo, error) {
	query := client.FindingsQuery{Size: maxFindingsPageSize}
	if t.spaceKey != "" {
		return api.ListSpaceFindings(ctx, t.spaceKey, query)
	}
	return api.ListContentFindings(ctx, t.contentID, t.createdWhen, query)
}
