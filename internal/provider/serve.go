package provider

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// ProtocolServer serves p over protocol 6 like providerserver.NewProtocol6,
// except that a finished request's context is let go of.
//
// The framework (v1.19.0) derives a cancellable context for every request
// and keeps its cancel function in a list until StopProvider, which
// Terraform only sends on interrupt. Each kept function holds the request's
// whole context: the SDKs' per-request loggers and the gRPC stream, about
// 12 KiB. A plan calls four or five requests per resource, so a plan of 5000
// resources kept some 250 MiB that nothing would ever use again. Here each
// per-resource request reaches the framework through a context whose link to
// the real one is cut once the request returns, so what the framework keeps
// is a few empty shells.
func ProtocolServer(p func() provider.Provider) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		return releasingServer{ProviderServer: providerserver.NewProtocol6(p())()}
	}
}

// releasingServer wraps the requests that come once per resource or data
// source instance; the others come a few times per process, and what they
// keep does not grow with the configuration. The framework's StopProvider
// still cancels requests in flight, since the shell passes cancellation
// through until the request returns.
type releasingServer struct {
	tfprotov6.ProviderServer
}

func (s releasingServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return released(ctx, req, s.ProviderServer.ValidateResourceConfig)
}

func (s releasingServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return released(ctx, req, s.ProviderServer.UpgradeResourceState)
}

func (s releasingServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return released(ctx, req, s.ProviderServer.ReadResource)
}

func (s releasingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return released(ctx, req, s.ProviderServer.PlanResourceChange)
}

func (s releasingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return released(ctx, req, s.ProviderServer.ApplyResourceChange)
}

func (s releasingServer) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return released(ctx, req, s.ProviderServer.ImportResourceState)
}

func (s releasingServer) MoveResourceState(ctx context.Context, req *tfprotov6.MoveResourceStateRequest) (*tfprotov6.MoveResourceStateResponse, error) {
	return released(ctx, req, s.ProviderServer.MoveResourceState)
}

func (s releasingServer) UpgradeResourceIdentity(ctx context.Context, req *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	return released(ctx, req, s.ProviderServer.UpgradeResourceIdentity)
}

func (s releasingServer) GenerateResourceConfig(ctx context.Context, req *tfprotov6.GenerateResourceConfigRequest) (*tfprotov6.GenerateResourceConfigResponse, error) {
	return released(ctx, req, s.ProviderServer.GenerateResourceConfig)
}

func (s releasingServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return released(ctx, req, s.ProviderServer.ValidateDataResourceConfig)
}

func (s releasingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return released(ctx, req, s.ProviderServer.ReadDataSource)
}

// released serves one request through a shell context and cuts the shell
// from ctx when the request returns.
func released[Req, Resp any](ctx context.Context, req Req, serve func(context.Context, Req) (Resp, error)) (Resp, error) {
	shell := newShellContext(ctx)
	defer shell.release()
	return serve(shell, req)
}

// shellContext behaves as its parent until release, and afterwards as a
// context with no values and no deadline that ends when the parent does. Done is kept so that a context derived
// from the shell, and registered with the parent's canceller, stays valid.
type shellContext struct {
	parent atomic.Pointer[context.Context]
	done   <-chan struct{}
}

func newShellContext(parent context.Context) *shellContext {
	shell := &shellContext{done: parent.Done()}
	shell.parent.Store(&parent)
	return shell
}

func (c *shellContext) release() { c.parent.Store(nil) }

func (c *shellContext) Deadline() (time.Time, bool) {
	if parent := c.parent.Load(); parent != nil {
		return (*parent).Deadline()
	}
	return time.Time{}, false
}

func (c *shellContext) Done() <-chan struct{} { return c.done }

func (c *shellContext) Err() error {
	if parent := c.parent.Load(); parent != nil {
		return (*parent).Err()
	}
	select {
	case <-c.done:
		return context.Canceled
	default:
		return nil
	}
}

func (c *shellContext) Value(key any) any {
	if parent := c.parent.Load(); parent != nil {
		return (*parent).Value(key)
	}
	return nil
}
