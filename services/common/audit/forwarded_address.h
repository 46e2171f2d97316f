#pragma once
// Where a call came from, for the audit trail: the gateway forwards its HTTP client's address in
// "x-forwarded-for", but any gRPC client can send that header. So the gateway also sends
// "wahana-forwarded-proof": hex HMAC-SHA256 over the call's bearer token and the address, keyed
// with a key derived from the audit chain key (so from the deployment's token secret, which only
// the suite's processes hold). A service takes the forwarded address only when the proof matches
// the token the call carries; otherwise (a direct caller, a proof made for another token or
// address) the gRPC peer is the client address. "x-real-ip" and the like are never read.
//
// Binding the proof to the token keeps one seen on the wire from vouching for other callers; a
// replay by the same token's holder, within its lifetime, can only repeat an address the gateway
// already saw for it.

#include <grpcpp/grpcpp.h>

#include <string>

#include "absl/strings/string_view.h"

namespace wahana {

// Metadata the gateway sets to the HTTP client's address, and the proof that it set it.
inline constexpr char kForwardedForMetadata[] = "x-forwarded-for";
inline constexpr char kForwardedProofMetadata[] = "wahana-forwarded-proof";

// The forwarding key of a deployment: HMAC-SHA256(audit chain key, "wahana-forwarded-for-v1").
std::string DeriveForwardingKey(absl::string_view audit_chain_key);

// hex(HMAC-SHA256(key, len(token) ":" token address)).
std::string ForwardedProof(absl::string_view key, absl::string_view bearer_token,
                           absl::string_view address);

// The client address of the call `context` belongs to: its "x-forwarded-for" when the call
// carries a matching proof for its "authorization" bearer token under `key`, else its peer. An
// empty `key` trusts no forwarded address.
std::string ClientAddressOf(const grpc::ServerContextBase& context, absl::string_view key);

}  // namespace wahana
