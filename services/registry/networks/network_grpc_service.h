#pragma once
// The gRPC face of WKSBM networks: hands each call to NetworkLogic on the worker pool. No rules
// here.

#include <memory>

#include "common/grpc/unary_call.h"
#include "common/grpc/worker_pool.h"
#include "registry/networks/network_logic.h"
#include "wahana/registry/v1/network.grpc.pb.h"

namespace wahana::registry {

class NetworkGrpcService final : public wahana::registry::v1::NetworkService::CallbackService {
 public:
  // `pool` must outlive the service.
  NetworkGrpcService(std::shared_ptr<NetworkLogic> logic, WorkerPool& pool);

  WAHANA_UNARY_METHOD(CreateNetwork, wahana::registry::v1::CreateNetworkRequest,
                      wahana::registry::v1::Network)
  WAHANA_UNARY_METHOD(GetNetwork, wahana::registry::v1::GetNetworkRequest,
                      wahana::registry::v1::Network)
  WAHANA_UNARY_METHOD(ListNetworks, wahana::registry::v1::ListNetworksRequest,
                      wahana::registry::v1::ListNetworksResponse)
  WAHANA_UNARY_METHOD(UpdateNetwork, wahana::registry::v1::UpdateNetworkRequest,
                      wahana::registry::v1::Network)
  WAHANA_UNARY_METHOD(ArchiveNetwork, wahana::registry::v1::ArchiveRequest,
                      wahana::registry::v1::Network)
  WAHANA_UNARY_METHOD(AdvanceNetwork, wahana::registry::v1::AdvanceNetworkRequest,
                      wahana::registry::v1::Network)
  WAHANA_UNARY_METHOD(AddNetworkMember, wahana::registry::v1::NetworkMemberRequest,
                      wahana::registry::v1::Network)
  WAHANA_UNARY_METHOD(RemoveNetworkMember, wahana::registry::v1::NetworkMemberRequest,
                      wahana::registry::v1::Network)
  WAHANA_UNARY_METHOD(RecordNetworkVisit, wahana::registry::v1::RecordNetworkVisitRequest,
                      wahana::registry::v1::Network)

 private:
  std::shared_ptr<NetworkLogic> logic_;
  WorkerPool& pool_;
};

}  // namespace wahana::registry
