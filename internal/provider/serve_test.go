package provider

import (
	"context"
	"runtime"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

type payloadKey struct{}

// A finished request must not stay reachable through the framework, which
// keeps a cancel function of every request's context until StopProvider.
func TestProtocolServerLetsGoOfFinishedRequests(t *testing.T) {
	server := ProtocolServer(New("test"))()
	const requests = 200
	const payload = 64 << 10
	validate := func() {
		ctx := context.WithValue(t.Context(), payloadKey{}, make([]byte, payload))
		_, err := server.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{
			TypeName: "securityforconfluence_reviewed_finding",
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	validate()
	before := liveHeap()
	for range requests {
		validate()
	}
	grown := int64(liveHeap()) - int64(before)
	if perRequest := grown / requests; perRequest > payload/8 {
		t.Errorf("the live heap grew by %d bytes per finished request; the request's context is still reachable", perRequest)
	}
}

func liveHeap() uint64 {
	runtime.GC()
	var stats runtime.MemStats
	runtime.ReadMemStats(&stats)
	return stats.HeapAlloc
}

func TestShellContextFollowsItsParentUntilReleased(t *testing.T) {
	parent, cancel := context.WithCancel(context.WithValue(t.Context(), payloadKey{}, "value"))
	shell := newShellContext(parent)
	derived, stop := context.WithCancel(shell)
	defer stop()

	if shell.Value(payloadKey{}) != "value" {
		t.Error("the shell does not show its parent's values before release")
	}
	shell.release()
	if shell.Value(payloadKey{}) != nil {
		t.Error("the shell still shows its parent's values after release")
	}
	if shell.Err() != nil {
		t.Errorf("Err = %v before the parent ends, want nil", shell.Err())
	}

	cancel()
	<-derived.Done()
	if shell.Err() == nil {
		t.Error("Err is nil after the parent ended")
	}
}

func TestShellContextPassesCancellationThrough(t *testing.T) {
	parent, cancel := context.WithCancel(t.Context())
	derived, stop := context.WithCancel(newShellContext(parent))
	defer stop()
	cancel()
	<-derived.Done()
	if derived.Err() != context.Canceled {
		t.Errorf("derived Err = %v, want context.Canceled", derived.Err())
	}
}
