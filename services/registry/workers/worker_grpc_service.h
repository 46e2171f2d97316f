#pragma once
// The gRPC face of the registry's workers: hands each call to WorkerLogic on the worker pool.
// No rules here.

#include <memory>

#include "common/grpc/worker_pool.h"
#include "registry/workers/worker_logic.h"
#include "wahana/registry/v1/worker.grpc.pb.h"

namespace wahana::registry {

class WorkerGrpcService final : public wahana::registry::v1::WorkerService::CallbackService {
 public:
  // The service owns the logic (which owns its store); `pool` must outlive the service.
  WorkerGrpcService(std::unique_ptr<WorkerLogic> logic, WorkerPool& pool);

  grpc::ServerUnaryReactor* CreateWorker(grpc::CallbackServerContext* context,
                                         const wahana::registry::v1::CreateWorkerRequest* request,
                                         wahana::registry::v1::Worker* response) override;
  grpc::ServerUnaryReactor* GetWorker(grpc::CallbackServerContext* context,
                                      const wahana::registry::v1::GetWorkerRequest* request,
                                      wahana::registry::v1::Worker* response) override;
  grpc::ServerUnaryReactor* ListWorkers(
      grpc::CallbackServerContext* context, const wahana::registry::v1::ListWorkersRequest* request,
      wahana::registry::v1::ListWorkersResponse* response) override;
  grpc::ServerUnaryReactor* UpdateWorker(grpc::CallbackServerContext* context,
                                         const wahana::registry::v1::UpdateWorkerRequest* request,
                                         wahana::registry::v1::Worker* response) override;
  grpc::ServerUnaryReactor* ArchiveWorker(grpc::CallbackServerContext* context,
                                          const wahana::registry::v1::ArchiveRequest* request,
                                          wahana::registry::v1::Worker* response) override;

 private:
  std::unique_ptr<WorkerLogic> logic_;
  WorkerPool& pool_;
};

}  // namespace wahana::registry
