#pragma once
// gRPC 1.51 as Debian builds it (no background polling) serves the callback API of every client
// channel from one process-global completion queue, reference counted by the channels that made
// a callback call: destroying the last of them shuts the queue down and joins its threads. A test
// that builds and destroys an in-process gateway (whose backends call with the callback API) per
// case runs that teardown between cases and races it: gRPC aborts now and then with "assertion
// failed: prior > 0" in grpc_cq_internal_unref, from one of its own threads. The deployed gateway
// keeps its channels for its whole life and never meets this.
//
// HoldGrpcCallbackQueue makes one callback call on a channel that is never destroyed, so the
// queue lives until the process exits. Idempotent and thread-safe; call it before the first
// gateway of a test binary is built (a fixture's SetUpTestSuite).

namespace wahana::testing {

void HoldGrpcCallbackQueue();

}  // namespace wahana::testing
