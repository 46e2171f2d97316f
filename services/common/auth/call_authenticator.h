#pragma once
// Services authenticate every gRPC call: the `authorization: Bearer <jwt>` metadata is verified
// with the deployment's keys (token.h) by a server interceptor installed on the whole server
// (RunService does it for every service; tests with their own server call
// InstallCallAuthentication). Handlers read the verified principal with PrincipalOf(context);
// RunUnary (common/grpc/unary_call.h) refuses a call without one with UNAUTHENTICATED before any
// work is queued. Health checks and reflection never ask, so they stay open.
//
// How the principal travels: gRPC 1.51's server interceptors cannot fail a call, so the
// interceptor writes its verdict into the call's received metadata under reserved keys (after
// erasing any the client sent under those names), where PrincipalOf finds it. The values live in
// the interceptor, which lives as long as the call.

#include <grpcpp/grpcpp.h>
#include <grpcpp/support/server_interceptor.h>

#include <memory>

#include "absl/status/statusor.h"
#include "common/auth/principal.h"
#include "common/auth/token.h"

namespace wahana {

// Metadata key of the bearer token, and the reserved keys the interceptor writes.
inline constexpr char kAuthorizationMetadata[] = "authorization";
inline constexpr char kVerifiedPrincipalMetadata[] = "wahana-verified-principal";
inline constexpr char kAuthErrorMetadata[] = "wahana-auth-error";

// The token of an "authorization" value "Bearer <token>" (scheme case-insensitive), or
// UNAUTHENTICATED saying what is wrong.
absl::StatusOr<absl::string_view> BearerToken(absl::string_view authorization);

// Registers the authenticating interceptor on `builder` (before BuildAndStart).
void InstallCallAuthentication(grpc::ServerBuilder& builder,
                               std::shared_ptr<const TokenVerifier> verifier);

// The interceptor factory itself, for builders that collect several.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MakeCallAuthenticationFactory(std::shared_ptr<const TokenVerifier> verifier);

// The verified principal of the call `context` belongs to; UNAUTHENTICATED with the reason when
// the call carried no valid token or the server has no authenticator installed.
absl::StatusOr<Principal> PrincipalOf(const grpc::ServerContextBase& context);

}  // namespace wahana
