#pragma once
// The gRPC face of the reporting service: converts and hands the work to ReportingLogic on the
// worker pool. No rules here.

#include <memory>

#include "common/grpc/worker_pool.h"
#include "reporting/reporting_logic.h"
#include "wahana/reporting/v1/reporting.grpc.pb.h"

namespace wahana {

class ReportingGrpcService final : public wahana::reporting::v1::ReportingService::CallbackService {
 public:
  // `pool` must outlive the service.
  ReportingGrpcService(std::shared_ptr<ReportingLogic> logic, WorkerPool& pool);

  grpc::ServerUnaryReactor* GetCaseCounts(
      grpc::CallbackServerContext* context,
      const wahana::reporting::v1::GetCaseCountsRequest* request,
      wahana::reporting::v1::CaseCounts* response) override;
  grpc::ServerUnaryReactor* GetCaseReport(
      grpc::CallbackServerContext* context,
      const wahana::reporting::v1::GetCaseReportRequest* request,
      wahana::reporting::v1::CaseReport* response) override;
  grpc::ServerUnaryReactor* GetBeneficiaryReport(
      grpc::CallbackServerContext* context,
      const wahana::reporting::v1::GetRecordReportRequest* request,
      wahana::reporting::v1::RecordReport* response) override;
  grpc::ServerUnaryReactor* GetInstitutionReport(
      grpc::CallbackServerContext* context,
      const wahana::reporting::v1::GetRecordReportRequest* request,
      wahana::reporting::v1::RecordReport* response) override;
  grpc::ServerUnaryReactor* GetNetworkReport(
      grpc::CallbackServerContext* context,
      const wahana::reporting::v1::GetRecordReportRequest* request,
      wahana::reporting::v1::RecordReport* response) override;
  grpc::ServerUnaryReactor* GetEventReport(
      grpc::CallbackServerContext* context,
      const wahana::reporting::v1::GetRecordReportRequest* request,
      wahana::reporting::v1::RecordReport* response) override;
  grpc::ServerUnaryReactor* GetWorkerReport(
      grpc::CallbackServerContext* context,
      const wahana::reporting::v1::GetRecordReportRequest* request,
      wahana::reporting::v1::RecordReport* response) override;
  grpc::ServerUnaryReactor* GetSpmReport(grpc::CallbackServerContext* context,
                                         const wahana::reporting::v1::GetSpmReportRequest* request,
                                         wahana::reporting::v1::SpmReport* response) override;
  grpc::ServerUnaryReactor* GetKpiReport(grpc::CallbackServerContext* context,
                                         const wahana::reporting::v1::GetKpiReportRequest* request,
                                         wahana::reporting::v1::KpiReport* response) override;
  grpc::ServerUnaryReactor* GetReportingStatus(
      grpc::CallbackServerContext* context,
      const wahana::reporting::v1::GetReportingStatusRequest* request,
      wahana::reporting::v1::ReportingStatus* response) override;

 private:
  grpc::ServerUnaryReactor* ServeRecordReport(
      grpc::CallbackServerContext* context, RecordReportKind kind,
      const wahana::reporting::v1::GetRecordReportRequest* request,
      wahana::reporting::v1::RecordReport* response);

  std::shared_ptr<ReportingLogic> logic_;
  WorkerPool& pool_;
};

}  // namespace wahana
