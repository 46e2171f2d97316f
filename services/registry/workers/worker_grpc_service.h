#pragma once
// The gRPC face of the registry's workers: hands each call to WorkerLogic on the worker pool.
// No rules here.

#include <memory>

#include "common/grpc/unary_call.h"
#include "common/grpc/worker_pool.h"
#include "registry/workers/worker_logic.h"
#include "wahana/registry/v1/worker.grpc.pb.h"

namespace wahana::registry {

class WorkerGrpcService final : public wahana::registry::v1::WorkerService::CallbackService {
 public:
  // The service owns the logic (which owns its store); `pool` must outlive the service.
  WorkerGrpcService(std::unique_ptr<WorkerLogic> logic, WorkerPool& pool);

  WAHANA_UNARY_METHOD(CreateWorker, wahana::registry::v1::CreateWorkerRequest,
                      wahana::registry::v1::Worker)
  WAHANA_UNARY_METHOD(GetWorker, wahana::registry::v1::GetWorkerRequest,
                      wahana::registry::v1::Worker)
  WAHANA_UNARY_METHOD(ListWorkers, wahana::registry::v1::ListWorkersRequest,
                      wahana::registry::v1::ListWorkersResponse)
  WAHANA_UNARY_METHOD(UpdateWorker, wahana::registry::v1::UpdateWorkerRequest,
                      wahana::registry::v1::Worker)
  WAHANA_UNARY_METHOD(ArchiveWorker, wahana::registry::v1::ArchiveRequest,
                      wahana::registry::v1::Worker)

 private:
  std::unique_ptr<WorkerLogic> logic_;
  WorkerPool& pool_;
};

}  // namespace wahana::registry
