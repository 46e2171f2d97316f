#pragma once
// The gRPC face of institutions: hands each call to InstitutionLogic on the worker pool. No rules
// here.

#include <memory>

#include "common/grpc/unary_call.h"
#include "common/grpc/worker_pool.h"
#include "registry/institutions/institution_logic.h"
#include "wahana/registry/v1/institution.grpc.pb.h"

namespace wahana::registry {

class InstitutionGrpcService final
    : public wahana::registry::v1::InstitutionService::CallbackService {
 public:
  // `pool` must outlive the service.
  InstitutionGrpcService(std::shared_ptr<InstitutionLogic> logic, WorkerPool& pool);

  WAHANA_UNARY_METHOD(CreateInstitution, wahana::registry::v1::CreateInstitutionRequest,
                      wahana::registry::v1::Institution)
  WAHANA_UNARY_METHOD(GetInstitution, wahana::registry::v1::GetInstitutionRequest,
                      wahana::registry::v1::Institution)
  WAHANA_UNARY_METHOD(ListInstitutions, wahana::registry::v1::ListInstitutionsRequest,
                      wahana::registry::v1::ListInstitutionsResponse)
  WAHANA_UNARY_METHOD(UpdateInstitution, wahana::registry::v1::UpdateInstitutionRequest,
                      wahana::registry::v1::Institution)
  WAHANA_UNARY_METHOD(ArchiveInstitution, wahana::registry::v1::ArchiveRequest,
                      wahana::registry::v1::Institution)

 private:
  std::shared_ptr<InstitutionLogic> logic_;
  WorkerPool& pool_;
};

}  // namespace wahana::registry
