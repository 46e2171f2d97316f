#pragma once
// The gRPC face of the case service: converts and hands the work to CaseLogic on the worker pool.
// No rules here.

#include <memory>

#include "case/case_logic.h"
#include "common/grpc/worker_pool.h"
#include "wahana/cases/v1/case.grpc.pb.h"

namespace wahana {

class CaseGrpcService final : public wahana::cases::v1::CaseService::CallbackService {
 public:
  // `pool` must outlive the service.
  CaseGrpcService(std::shared_ptr<CaseLogic> logic, WorkerPool& pool);

  grpc::ServerUnaryReactor* CreateCase(grpc::CallbackServerContext* context,
                                       const wahana::cases::v1::CreateCaseRequest* request,
                                       wahana::cases::v1::Case* response) override;
  grpc::ServerUnaryReactor* GetCase(grpc::CallbackServerContext* context,
                                    const wahana::cases::v1::GetCaseRequest* request,
                                    wahana::cases::v1::Case* response) override;

 private:
  std::shared_ptr<CaseLogic> logic_;
  WorkerPool& pool_;
};

}  // namespace wahana
