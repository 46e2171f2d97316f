#include "registry/networks/network_grpc_service.h"

#include <utility>

#include "common/grpc/unary_call.h"

namespace wahana::registry {

namespace v1 = wahana::registry::v1;

NetworkGrpcService::NetworkGrpcService(std::shared_ptr<NetworkLogic> logic, WorkerPool& pool)
    : logic_(std::move(logic)), pool_(pool) {}

grpc::ServerUnaryReactor* NetworkGrpcService::CreateNetwork(grpc::CallbackServerContext* context,
                                                            const v1::CreateNetworkRequest* request,
                                                            v1::Network* response) {
  return RunUnary(context, pool_, response,
                  [this, request] { return logic_->CreateNetwork(*request); });
}

grpc::ServerUnaryReactor* NetworkGrpcService::GetNetwork(grpc::CallbackServerContext* context,
                                                         const v1::GetNetworkRequest* request,
                                                         v1::Network* response) {
  return RunUnary(context, pool_, response,
                  [this, request] { return logic_->GetNetwork(*request); });
}

grpc::ServerUnaryReactor* NetworkGrpcService::ListNetworks(grpc::CallbackServerContext* context,
                                                           const v1::ListNetworksRequest* request,
                                                           v1::ListNetworksResponse* response) {
  return RunUnary(context, pool_, response,
                  [this, request] { return logic_->ListNetworks(*request); });
}

grpc::ServerUnaryReactor* NetworkGrpcService::UpdateNetwork(grpc::CallbackServerContext* context,
                                                            const v1::UpdateNetworkRequest* request,
                                                            v1::Network* response) {
  return RunUnary(context, pool_, response,
                  [this, request] { return logic_->UpdateNetwork(*request); });
}

grpc::ServerUnaryReactor* NetworkGrpcService::ArchiveNetwork(grpc::CallbackServerContext* context,
                                                             const v1::ArchiveRequest* request,
                                                             v1::Network* response) {
  return RunUnary(context, pool_, response,
                  [this, request] { return logic_->ArchiveNetwork(*request); });
}

grpc::ServerUnaryReactor* NetworkGrpcService::AdvanceNetwork(
    grpc::CallbackServerContext* context, const v1::AdvanceNetworkRequest* request,
    v1::Network* response) {
  return RunUnary(context, pool_, response,
                  [this, request] { return logic_->AdvanceNetwork(*request); });
}

grpc::ServerUnaryReactor* NetworkGrpcService::AddNetworkMember(
    grpc::CallbackServerContext* context, const v1::NetworkMemberRequest* request,
    v1::Network* response) {
  return RunUnary(context, pool_, response,
                  [this, request] { return logic_->AddNetworkMember(*request); });
}

grpc::ServerUnaryReactor* NetworkGrpcService::RemoveNetworkMember(
    grpc::CallbackServerContext* context, const v1::NetworkMemberRequest* request,
    v1::Network* response) {
  return RunUnary(context, pool_, response,
                  [this, request] { return logic_->RemoveNetworkMember(*request); });
}

grpc::ServerUnaryReactor* NetworkGrpcService::RecordNetworkVisit(
    grpc::CallbackServerContext* context, const v1::RecordNetworkVisitRequest* request,
    v1::Network* response) {
  return RunUnary(context, pool_, response,
                  [this, request] { return logic_->RecordNetworkVisit(*request); });
}

}  // namespace wahana::registry
