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

grpc::ServerUnaryReactor* ReportingGrpcService::GetBeneficiaryReport(
    grpc::CallbackServerContext* context,
    const wahana::reporting::v1::GetRecordReportRequest* request,
    wahana::reporting::v1::RecordReport* response) {
  return ServeRecordReport(context, RecordReportKind::kBeneficiaries, request, response);
}

grpc::ServerUnaryReactor* ReportingGrpcService::GetInstitutionReport(
    grpc::CallbackServerContext* context,
    const wahana::reporting::v1::GetRecordReportRequest* request,
    wahana::reporting::v1::RecordReport* response) {
  return ServeRecordReport(context, RecordReportKind::kInstitutions, request, response);
}

grpc::ServerUnaryReactor* ReportingGrpcService::GetNetworkReport(
    grpc::CallbackServerContext* context,
    const wahana::reporting::v1::GetRecordReportRequest* request,
    wahana::reporting::v1::RecordReport* response) {
  return ServeRecordReport(context, RecordReportKind::kNetworks, request, response);
}

grpc::ServerUnaryReactor* ReportingGrpcService::GetEventReport(
    grpc::CallbackServerContext* context,
    const wahana::reporting::v1::GetRecordReportRequest* request,
    wahana::reporting::v1::RecordReport* response) {
  return ServeRecordReport(context, RecordReportKind::kEvents, request, response);
}

grpc::ServerUnaryReactor* ReportingGrpcService::GetWorkerReport(
    grpc::CallbackServerContext* context,
    const wahana::reporting::v1::GetRecordReportRequest* request,
    wahana::reporting::v1::RecordReport* response) {
  return ServeRecordReport(context, RecordReportKind::kWorkers, request, response);
}

grpc::ServerUnaryReactor* ReportingGrpcService::ServeRecordReport(
    grpc::CallbackServerContext* context, RecordReportKind kind,
    const wahana::reporting::v1::GetRecordReportRequest* request,
    wahana::reporting::v1::RecordReport* response) {
  return RunUnary(context, pool_, response, [this, kind, request](const Principal& caller) {
    return logic_->GetRecordReport(caller, kind, *request);
  });
}

grpc::ServerUnaryReactor* ReportingGrpcService::GetSpmReport(
    grpc::CallbackServerContext* context, const wahana::reporting::v1::GetSpmReportRequest* request,
    wahana::reporting::v1::SpmReport* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->GetSpmReport(caller, *request);
  });
}

grpc::ServerUnaryReactor* ReportingGrpcService::GetKpiReport(
    grpc::CallbackServerContext* context, const wahana::reporting::v1::GetKpiReportRequest* request,
    wahana::reporting::v1::KpiReport* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->GetKpiReport(caller, *request);
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
