package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

// Terraform's work on a value with a separate sensitive mark per element
// grows with the square of the number of marks, so a collection of objects
// holding secrets must be sensitive as a whole, never element by element.
func TestNoSensitiveAttributeInsideAPlainCollection(t *testing.T) {
	ctx := context.Background()
	p := New("test")()
	checked := 0
	for _, newResource := range p.Resources(ctx) {
		r := newResource()
		var meta resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: TypeName}, &meta)
		var resp resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &resp)
		for name, attribute := range resp.Schema.Attributes {
			switch nested := attribute.(type) {
			case rschema.ListNestedAttribute:
				checked += checkCollection(t, meta.TypeName, name, nested.IsSensitive(), nested.NestedObject.Attributes)
			case rschema.SetNestedAttribute:
				checked += checkCollection(t, meta.TypeName, name, nested.IsSensitive(), nested.NestedObject.Attributes)
			case rschema.MapNestedAttribute:
				checked += checkCollection(t, meta.TypeName, name, nested.IsSensitive(), nested.NestedObject.Attributes)
			}
		}
	}
	for _, newDataSource := range p.DataSources(ctx) {
		d := newDataSource()
		var meta datasource.MetadataResponse
		d.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: TypeName}, &meta)
		var resp datasource.SchemaResponse
		d.Schema(ctx, datasource.SchemaRequest{}, &resp)
		for name, attribute := range resp.Schema.Attributes {
			switch nested := attribute.(type) {
			case dsschema.ListNestedAttribute:
				checked += checkCollection(t, meta.TypeName, name, nested.IsSensitive(), nested.NestedObject.Attributes)
			case dsschema.SetNestedAttribute:
				checked += checkCollection(t, meta.TypeName, name, nested.IsSensitive(), nested.NestedObject.Attributes)
			case dsschema.MapNestedAttribute:
				checked += checkCollection(t, meta.TypeName, name, nested.IsSensitive(), nested.NestedObject.Attributes)
			}
		}
	}
	// space_reviewed_findings, the findings of space_findings and content_findings, the export, the rules.
	if checked < 5 {
		t.Errorf("only %d collections of objects were checked; the walk no longer finds them", checked)
	}
}

func checkCollection[A interface{ IsSensitive() bool }](t *testing.T, typeName, name string, sensitive bool, children map[string]A) int {
	t.Helper()
	for child, attribute := range children {
		if attribute.IsSensitive() && !sensitive {
			t.Errorf("%s: %s.%s is sensitive inside a collection that is not; mark %s sensitive as a whole instead",
				typeName, name, child, name)
		}
	}
	return 1
}
