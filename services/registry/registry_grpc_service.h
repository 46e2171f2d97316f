#pragma once
// The transport layer of wahana.registry.v1.RegistryService: converts calls to logic and back.

#include "common/grpc/worker_pool.h"
#include "registry/regions/region_logic.h"
#include "wahana/registry/v1/registry.grpc.pb.h"

namespace wahana::registry {

class RegistryGrpcService final : public wahana::registry::v1::RegistryService::CallbackService {
 public:
  // Both must outlive the service.
  RegistryGrpcService(RegionLogic& regions, WorkerPool& pool) : regions_(regions), pool_(pool) {}

  grpc::ServerUnaryReactor* GetRegion(grpc::CallbackServerContext* context,
                                      const wahana::registry::v1::GetRegionRequest* request,
                                      wahana::registry::v1::Region* response) override;
  grpc::ServerUnaryReactor* ListRegions(
      grpc::CallbackServerContext* context, const wahana::registry::v1::ListRegionsRequest* request,
      wahana::registry::v1::ListRegionsResponse* response) override;

 private:
  RegionLogic& regions_;
  WorkerPool& pool_;
};

}  // namespace wahana::registry
