package provider

import (
	"context"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The framework's Get and Set convert a model through reflection, and
// terraform-plugin-framework v1.19.0 compiles a regular expression for every
// struct field on every call. A configuration of a thousand reviews makes
// about five such calls per review and plan, a fifth of the provider's CPU in
// the benchmark, so this flat model is converted by hand. The struct tags stay
// as the names' single statement for readers and for the test that checks this
// conversion against the framework's own.

// reviewedFindingObjectType is the schema's object type, built once.
var reviewedFindingObjectType = sync.OnceValue(func() tftypes.Object {
	objectType, ok := reviewedFindingSchema().Type().TerraformType(context.Background()).(tftypes.Object)
	if !ok {
		panic("the reviewed finding schema is not an object")
	}
	return objectType
})

// reviewedFindingFromTerraform reads a known, non-null configuration, plan or
// state value.
func reviewedFindingFromTerraform(ctx context.Context, raw tftypes.Value) (reviewedFindingModel, diag.Diagnostics) {
	var m reviewedFindingModel
	var diags diag.Diagnostics
	if raw.IsNull() || !raw.IsKnown() {
		diags.AddError("Value Conversion Error",
			"The provider was handed a null or unknown reviewed finding to read. This is a bug in the provider; please report it.")
		return m, diags
	}
	var attrs map[string]tftypes.Value
	if err := raw.As(&attrs); err != nil {
		diags.AddError("Value Conversion Error",
			fmt.Sprintf("The provider could not read a reviewed finding's attributes (%v). This is a bug in the provider; please report it.", err))
		return m, diags
	}
	read := func(name string, typ attr.Type, into func(attr.Value) bool) {
		value, ok := attrs[name]
		if !ok {
			diags.AddError("Value Conversion Error",
				fmt.Sprintf("The provider found no attribute %s in a reviewed finding. This is a bug in the provider; please report it.", name))
			return
		}
		converted, err := typ.ValueFromTerraform(ctx, value)
		if err != nil || !into(converted) {
			diags.AddError("Value Conversion Error",
				fmt.Sprintf("The provider could not read attribute %s of a reviewed finding (%v). This is a bug in the provider; please report it.", name, err))
		}
	}
	readString := func(name string, into *types.String) {
		read(name, types.StringType, func(v attr.Value) bool { s, ok := v.(types.String); *into = s; return ok })
	}
	readString("id", &m.ID)
	readString("space_key", &m.SpaceKey)
	readString("rule_name", &m.RuleName)
	readString("match_text", &m.MatchText)
	readString("match_text_wo", &m.MatchTextWO)
	readString("match_text_sha256", &m.MatchTextSHA256)
	read("match_text_wo_version", types.Int64Type, func(v attr.Value) bool {
		n, ok := v.(types.Int64)
		m.MatchTextWOVersion = n
		return ok
	})
	return m, diags
}

// terraformValue is the model as the object value Set takes.
func (m reviewedFindingModel) terraformValue(ctx context.Context) (tftypes.Value, diag.Diagnostics) {
	var diags diag.Diagnostics
	attrs := make(map[string]tftypes.Value, 7)
	for name, value := range map[string]attr.Value{
		"id":                    m.ID,
		"space_key":             m.SpaceKey,
		"rule_name":             m.RuleName,
		"match_text":            m.MatchText,
		"match_text_wo":         m.MatchTextWO,
		"match_text_wo_version": m.MatchTextWOVersion,
		"match_text_sha256":     m.MatchTextSHA256,
	} {
		converted, err := value.ToTerraformValue(ctx)
		if err != nil {
			diags.AddError("Value Conversion Error",
				fmt.Sprintf("The provider could not write attribute %s of a reviewed finding (%v). This is a bug in the provider; please report it.", name, err))
			continue
		}
		attrs[name] = converted
	}
	if diags.HasError() {
		return tftypes.Value{}, diags
	}
	return tftypes.NewValue(reviewedFindingObjectType(), attrs), diags
}

// settable is tfsdk.Plan or tfsdk.State.
type settable interface {
	Set(ctx context.Context, val any) diag.Diagnostics
}

// writeTo sets the whole plan or state to the model.
func (m reviewedFindingModel) writeTo(ctx context.Context, target settable) diag.Diagnostics {
	value, diags := m.terraformValue(ctx)
	if diags.HasError() {
		return diags
	}
	return target.Set(ctx, value)
}
