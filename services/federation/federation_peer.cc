#include "federation/federation_peer.h"

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "common/grpc/service_channel.h"
#include "common/status/grpc_status.h"

namespace wahana {

GrpcFederationPeer::GrpcFederationPeer(const std::string& address,
                                       std::shared_ptr<grpc::ChannelCredentials> credentials)
    : stub_(wahana::federation::v1::FederationService::NewStub(
          credentials ? CreateServiceChannel(address, std::move(credentials))
                      : CreateServiceChannel(address))) {}

absl::StatusOr<wahana::federation::v1::DeliverResponse> GrpcFederationPeer::Deliver(
    const wahana::federation::v1::SignedBatch& batch, absl::Duration deadline) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  wahana::federation::v1::DeliverResponse response;
  const grpc::Status status = stub_->Deliver(&context, batch, &response);
  if (!status.ok()) return FromGrpcStatus(status);
  return response;
}

}  // namespace wahana
