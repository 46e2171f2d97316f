#include "registry/workers/worker_grpc_service.h"

#include <utility>

#include "common/grpc/unary_call.h"

namespace wahana::registry {

using wahana::registry::v1::ArchiveRequest;
using wahana::registry::v1::CreateWorkerRequest;
using wahana::registry::v1::GetWorkerRequest;
using wahana::registry::v1::ListWorkersRequest;
using wahana::registry::v1::ListWorkersResponse;
using wahana::registry::v1::UpdateWorkerRequest;
using wahana::registry::v1::Worker;

WorkerGrpcService::WorkerGrpcService(std::unique_ptr<WorkerLogic> logic, WorkerPool& pool)
    : logic_(std::move(logic)), pool_(pool) {}

grpc::ServerUnaryReactor* WorkerGrpcService::CreateWorker(grpc::CallbackServerContext* context,
                                                          const CreateWorkerRequest* request,
                                                          Worker* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->CreateWorker(caller, *request);
  });
}

grpc::ServerUnaryReactor* WorkerGrpcService::GetWorker(grpc::CallbackServerContext* context,
                                                       const GetWorkerRequest* request,
                                                       Worker* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->GetWorker(caller, *request);
  });
}

grpc::ServerUnaryReactor* WorkerGrpcService::ListWorkers(grpc::CallbackServerContext* context,
                                                         const ListWorkersRequest* request,
                                                         ListWorkersResponse* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->ListWorkers(caller, *request);
  });
}

grpc::ServerUnaryReactor* WorkerGrpcService::UpdateWorker(grpc::CallbackServerContext* context,
                                                          const UpdateWorkerRequest* request,
                                                          Worker* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->UpdateWorker(caller, *request);
  });
}

grpc::ServerUnaryReactor* WorkerGrpcService::ArchiveWorker(grpc::CallbackServerContext* context,
                                                           const ArchiveRequest* request,
                                                           Worker* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->ArchiveWorker(caller, *request);
  });
}

}  // namespace wahana::registry
