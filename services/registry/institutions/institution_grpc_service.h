#pragma once
// The gRPC face of institutions: hands each call to InstitutionLogic on the worker pool. No rules
// here.

#include <memory>

#include "common/grpc/worker_pool.h"
#include "registry/institutions/institution_logic.h"
#include "wahana/registry/v1/institution.grpc.pb.h"

namespace wahana::registry {

class InstitutionGrpcService final
    : public wahana::registry::v1::InstitutionService::CallbackService {
 public:
  // `pool` must outlive the service.
  InstitutionGrpcService(std::shared_ptr<InstitutionLogic> logic, WorkerPool& pool);

  grpc::ServerUnaryReactor* CreateInstitution(
      grpc::CallbackServerContext* context,
      const wahana::registry::v1::CreateInstitutionRequest* request,
      wahana::registry::v1::Institution* response) override;
  grpc::ServerUnaryReactor* GetInstitution(
      grpc::CallbackServerContext* context,
      const wahana::registry::v1::GetInstitutionRequest* request,
      wahana::registry::v1::Institution* response) override;
  grpc::ServerUnaryReactor* ListInstitutions(
      grpc::CallbackServerContext* context,
      const wahana::registry::v1::ListInstitutionsRequest* request,
      wahana::registry::v1::ListInstitutionsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateInstitution(
      grpc::CallbackServerContext* context,
      const wahana::registry::v1::UpdateInstitutionRequest* request,
      wahana::registry::v1::Institution* response) override;
  grpc::ServerUnaryReactor* ArchiveInstitution(
      grpc::CallbackServerContext* context, const wahana::registry::v1::ArchiveRequest* request,
      wahana::registry::v1::Institution* response) override;

 private:
  std::shared_ptr<InstitutionLogic> logic_;
  WorkerPool& pool_;
};

}  // namespace wahana::registry
