#pragma once
// The gRPC face of WKSBM networks: hands each call to NetworkLogic on the worker pool. No rules
// here.

#include <memory>

#include "common/grpc/worker_pool.h"
#include "registry/networks/network_logic.h"
#include "wahana/registry/v1/network.grpc.pb.h"

namespace wahana::registry {

class NetworkGrpcService final : public wahana::registry::v1::NetworkService::CallbackService {
 public:
  // `pool` must outlive the service.
  NetworkGrpcService(std::shared_ptr<NetworkLogic> logic, WorkerPool& pool);

  grpc::ServerUnaryReactor* CreateNetwork(grpc::CallbackServerContext* context,
                                          const wahana::registry::v1::CreateNetworkRequest* request,
                                          wahana::registry::v1::Network* response) override;
  grpc::ServerUnaryReactor* GetNetwork(grpc::CallbackServerContext* context,
                                       const wahana::registry::v1::GetNetworkRequest* request,
                                       wahana::registry::v1::Network* response) override;
  grpc::ServerUnaryReactor* ListNetworks(
      grpc::CallbackServerContext* context,
      const wahana::registry::v1::ListNetworksRequest* request,
      wahana::registry::v1::ListNetworksResponse* response) override;
  grpc::ServerUnaryReactor* UpdateNetwork(grpc::CallbackServerContext* context,
                                          const wahana::registry::v1::UpdateNetworkRequest* request,
                                          wahana::registry::v1::Network* response) override;
  grpc::ServerUnaryReactor* ArchiveNetwork(grpc::CallbackServerContext* context,
                                           const wahana::registry::v1::ArchiveRequest* request,
                                           wahana::registry::v1::Network* response) override;
  grpc::ServerUnaryReactor* AdvanceNetwork(
      grpc::CallbackServerContext* context,
      const wahana::registry::v1::AdvanceNetworkRequest* request,
      wahana::registry::v1::Network* response) override;
  grpc::ServerUnaryReactor* AddNetworkMember(
      grpc::CallbackServerContext* context,
      const wahana::registry::v1::NetworkMemberRequest* request,
      wahana::registry::v1::Network* response) override;
  grpc::ServerUnaryReactor* RemoveNetworkMember(
      grpc::CallbackServerContext* context,
      const wahana::registry::v1::NetworkMemberRequest* request,
      wahana::registry::v1::Network* response) override;
  grpc::ServerUnaryReactor* RecordNetworkVisit(
      grpc::CallbackServerContext* context,
      const wahana::registry::v1::RecordNetworkVisitRequest* request,
      wahana::registry::v1::Network* response) override;

 private:
  std::shared_ptr<NetworkLogic> logic_;
  WorkerPool& pool_;
};

}  // namespace wahana::registry
