#include "reporting/reporting_grpc_service.h"

#include <utility>

#include "common/grpc/unary_call.h"

namespace wahana {

ReportingGrpcService::ReportingGrpcService(std::shared_ptr<ReportingLogic> logic, WorkerPool& pool)
    : logic_(std::move(logic)), pool_(pool) {}

grpc::ServerUnaryReactor* ReportingGrpcService::GetCaseCounts(
    grpc::CallbackServerContext* context,
    const wahana::reporting::v1::GetCaseCountsRequest* request,
    wahana::reporting::v1::CaseCounts* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->GetCaseCounts(caller, *request);
  });
}

}  // namespace wahana
