#pragma once
// The other side of a link as a relay sees it: where signed batches go. GrpcFederationPeer calls
// the peer's FederationService.Deliver; tests hand in fakes that fail, lose answers or forge.

#include <grpcpp/security/credentials.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "wahana/federation/v1/federation.grpc.pb.h"

namespace wahana {

class FederationPeer {
 public:
  virtual ~FederationPeer() = default;
  // The peer's answer, or why there is none (UNAVAILABLE, DEADLINE_EXCEEDED, its refusal).
  virtual absl::StatusOr<wahana::federation::v1::DeliverResponse> Deliver(
      const wahana::federation::v1::SignedBatch& batch, absl::Duration deadline) = 0;
};

class GrpcFederationPeer : public FederationPeer {
 public:
  // `address` the peer's federation service as a gRPC target (WAHANA_PROVINCE_ADDR through
  // EnvReader::ServiceTarget); connects lazily, round robin over its replicas. `credentials`:
  // how the peer is called (peer_tls.h); null: without TLS.
  explicit GrpcFederationPeer(const std::string& address,
                              std::shared_ptr<grpc::ChannelCredentials> credentials = nullptr);
  absl::StatusOr<wahana::federation::v1::DeliverResponse> Deliver(
      const wahana::federation::v1::SignedBatch& batch, absl::Duration deadline) override;

 private:
  std::unique_ptr<wahana::federation::v1::FederationService::Stub> stub_;
};

}  // namespace wahana
