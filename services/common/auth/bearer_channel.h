#pragma once
// The client side of call authentication: channels whose every call carries
// `authorization: Bearer <token>` for one principal, for a service calling another (case and
// event ask the registry as SYSTEM) and for tools and tests.

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/synchronization/mutex.h"
#include "common/auth/principal.h"
#include "common/auth/token.h"

namespace wahana {

// Tokens for one principal, minted on demand and reused until a third of their lifetime is left.
// Thread-safe.
class TokenSource {
 public:
  TokenSource(std::shared_ptr<const TokenMinter> minter, Principal principal);

  // A valid token; INTERNAL when minting fails.
  absl::StatusOr<std::string> Token() const;

  const Principal& principal() const { return principal_; }

 private:
  const std::shared_ptr<const TokenMinter> minter_;
  const Principal principal_;
  mutable absl::Mutex mu_;
  mutable std::string token_ ABSL_GUARDED_BY(mu_);
  mutable absl::Time renew_at_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

// A channel to `target` whose calls carry a token from `source` (unless the call set its own
// `authorization` metadata). A call whose token cannot be minted is sent without one and fails
// UNAUTHENTICATED at the server.
std::shared_ptr<grpc::Channel> CreateAuthorizedChannel(
    const std::string& target, const grpc::ChannelArguments& args,
    std::shared_ptr<const TokenSource> source,
    std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials());

// Makes every call of every channel this process creates carry a token from `source` (unless the
// call set its own `authorization`): a service's calls to other services need no code of their
// own. gRPC allows one global client interceptor per process; call this once, before any channel
// is created (RunService does). The factory is kept for the life of the process.
void AuthorizeAllOutgoingCalls(std::shared_ptr<const TokenSource> source);

// The principal a service uses for its own calls: subject "service:<process>", role SYSTEM,
// scope the deployment's region.
Principal ServicePrincipal(const std::string& process, const std::string& region);

}  // namespace wahana
