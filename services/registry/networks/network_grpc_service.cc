#include "registry/networks/network_grpc_service.h"

#include <utility>

#include "common/grpc/unary_call.h"

namespace wahana::registry {

NetworkGrpcService::NetworkGrpcService(std::shared_ptr<NetworkLogic> logic, WorkerPool& pool)
    : logic_(std::move(logic)), pool_(pool) {}

grpc::ServerUnaryReactor* NetworkGrpcService::CreateNetwork(grpc::CallbackServerContext* context,
                                                            const v1::CreateNetworkRequest* request,
                                                            v1::Network* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->CreateNetwork(caller, *request);
  });
}

grpc::ServerUnaryReactor* NetworkGrpcService::GetNetwork(grpc::CallbackServerContext* context,
                                                         const v1::GetNetworkRequest* request,
                                                         v1::Network* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->GetNetwork(caller, *request);
  });
}

grpc::ServerUnaryReactor* NetworkGrpcService::ListNetworks(grpc::CallbackServerContext* context,
                                                           const v1::ListNetworksRequest* request,
                                                           v1::ListNetworksResponse* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->ListNetworks(caller, *request);
  });
}

grpc::ServerUnaryReactor* NetworkGrpcService::UpdateNetwork(grpc::CallbackServerContext* context,
                                                            const v1::UpdateNetworkRequest* request,
                                                            v1::Network* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->UpdateNetwork(caller, *request);
  });
}

grpc::ServerUnaryReactor* NetworkGrpcService::ArchiveNetwork(grpc::CallbackServerContext* context,
                                                             const v1::ArchiveRequest* request,
                                                             v1::Network* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->ArchiveNetwork(caller, *request);
  });
}

grpc::ServerUnaryReactor* NetworkGrpcService::AdvanceNetwork(
    grpc::CallbackServerContext* context, const v1::AdvanceNetworkRequest* request,
    v1::Network* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->AdvanceNetwork(caller, *request);
  });
}

grpc::ServerUnaryReactor* NetworkGrpcService::AddNetworkMember(
    grpc::CallbackServerContext* context, const v1::NetworkMemberRequest* request,
    v1::Network* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->AddNetworkMember(caller, *request);
  });
}

grpc::ServerUnaryReactor* NetworkGrpcService::RemoveNetworkMember(
    grpc::CallbackServerContext* context, const v1::NetworkMemberRequest* request,
    v1::Network* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->RemoveNetworkMember(caller, *request);
  });
}

grpc::ServerUnaryReactor* NetworkGrpcService::RecordNetworkVisit(
    grpc::CallbackServerContext* context, const v1::RecordNetworkVisitRequest* request,
    v1::Network* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->RecordNetworkVisit(caller, *request);
  });
}

}  // namespace wahana::registry
