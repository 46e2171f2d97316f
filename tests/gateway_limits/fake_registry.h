#pragma once
// The registry as the in-process gateway tests of this folder need it: GetRegion answers any code
// as the regency of Musi Banyuasin, so a request that passes the gateway's limits gets a 200.

#include <grpcpp/grpcpp.h>

#include "wahana/registry/v1/registry.grpc.pb.h"

namespace wahana::testing {

class RegencyRegistry final : public registry::v1::RegistryService::Service {
 public:
  grpc::Status GetRegion(grpc::ServerContext*, const registry::v1::GetRegionRequest* request,
                         registry::v1::Region* region) override {
    region->set_code(request->code());
    region->set_name("Kabupaten Musi Banyuasin");
    region->set_level(registry::v1::REGENCY);
    return grpc::Status::OK;
  }
};

}  // namespace wahana::testing
