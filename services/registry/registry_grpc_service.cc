#include "registry/registry_grpc_service.h"

#include "common/grpc/unary_call.h"

namespace wahana::registry {

grpc::ServerUnaryReactor* RegistryGrpcService::GetRegion(
    grpc::CallbackServerContext* context, const wahana::registry::v1::GetRegionRequest* request,
    wahana::registry::v1::Region* response) {
  return RunUnary(context, pool_, [=] { return regions_.GetRegion(*request, response); });
}

grpc::ServerUnaryReactor* RegistryGrpcService::ListRegions(
    grpc::CallbackServerContext* context, const wahana::registry::v1::ListRegionsRequest* request,
    wahana::registry::v1::ListRegionsResponse* response) {
  return RunUnary(context, pool_, [=] { return regions_.ListRegions(*request, response); });
}

}  // namespace wahana::registry
