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

grpc::ServerUnaryReactor* ReportingGrpcService::GetCaseReport(
    grpc::CallbackServerContext* context,
    const wahana::reporting::v1::GetCaseReportRequest* request,
    wahana::reporting::v1::CaseReport* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->GetCaseReport(caller, *request);
  });
}

grpc::ServerUnaryReactor* ReportingGrpcService::GetReportingStatus(
    grpc::CallbackServerContext* context,
    const wahana::reporting::v1::GetReportingStatusRequest* request,
    wahana::reporting::v1::ReportingStatus* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->GetReportingStatus(caller, *request);
  });
}

}  // namespace wahana
