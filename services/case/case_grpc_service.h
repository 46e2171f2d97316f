#pragma once
// The gRPC face of the case service: hands each call to CaseLogic on the worker pool, with the
// call's verified principal (RunUnary refuses calls without one). No rules here. A history read's
// request and response live on one protobuf Arena per call (a page of a hundred actions is
// hundreds of small messages and strings: one arena instead of a malloc and free each).

#include <memory>
#include <string>

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
  grpc::ServerUnaryReactor* ListCases(grpc::CallbackServerContext* context,
                                      const wahana::cases::v1::ListCasesRequest* request,
                                      wahana::cases::v1::ListCasesResponse* response) override;
  grpc::ServerUnaryReactor* GetCaseHistory(grpc::CallbackServerContext* context,
                                           const wahana::cases::v1::GetCaseHistoryRequest* request,
                                           wahana::cases::v1::CaseHistory* response) override;
  grpc::ServerUnaryReactor* AssignCase(grpc::CallbackServerContext* context,
                                       const wahana::cases::v1::AssignCaseRequest* request,
                                       wahana::cases::v1::Case* response) override;
  grpc::ServerUnaryReactor* AssessCase(grpc::CallbackServerContext* context,
                                       const wahana::cases::v1::AssessCaseRequest* request,
                                       wahana::cases::v1::Case* response) override;
  grpc::ServerUnaryReactor* PlanCase(grpc::CallbackServerContext* context,
                                     const wahana::cases::v1::PlanCaseRequest* request,
                                     wahana::cases::v1::Case* response) override;
  grpc::ServerUnaryReactor* ApprovePlan(grpc::CallbackServerContext* context,
                                        const wahana::cases::v1::ApprovePlanRequest* request,
                                        wahana::cases::v1::Case* response) override;
  grpc::ServerUnaryReactor* MonitorCase(grpc::CallbackServerContext* context,
                                        const wahana::cases::v1::CaseStepRequest* request,
                                        wahana::cases::v1::Case* response) override;
  grpc::ServerUnaryReactor* ResumeIntervention(grpc::CallbackServerContext* context,
                                               const wahana::cases::v1::CaseStepRequest* request,
                                               wahana::cases::v1::Case* response) override;
  grpc::ServerUnaryReactor* RecordService(grpc::CallbackServerContext* context,
                                          const wahana::cases::v1::RecordServiceRequest* request,
                                          wahana::cases::v1::Case* response) override;
  grpc::ServerUnaryReactor* ReferCase(grpc::CallbackServerContext* context,
                                      const wahana::cases::v1::ReferCaseRequest* request,
                                      wahana::cases::v1::Case* response) override;
  grpc::ServerUnaryReactor* UpdateReferral(grpc::CallbackServerContext* context,
                                           const wahana::cases::v1::UpdateReferralRequest* request,
                                           wahana::cases::v1::Case* response) override;
  grpc::ServerUnaryReactor* AnswerReferral(grpc::CallbackServerContext* context,
                                           const wahana::cases::v1::AnswerReferralRequest* request,
                                           wahana::cases::v1::Case* response) override;
  grpc::ServerUnaryReactor* TerminateCase(grpc::CallbackServerContext* context,
                                          const wahana::cases::v1::TerminateCaseRequest* request,
                                          wahana::cases::v1::Case* response) override;
  grpc::ServerUnaryReactor* FollowUpCase(grpc::CallbackServerContext* context,
                                         const wahana::cases::v1::FollowUpCaseRequest* request,
                                         wahana::cases::v1::Case* response) override;
  grpc::ServerUnaryReactor* CloseCase(grpc::CallbackServerContext* context,
                                      const wahana::cases::v1::CaseStepRequest* request,
                                      wahana::cases::v1::Case* response) override;
  grpc::ServerUnaryReactor* ReopenCase(grpc::CallbackServerContext* context,
                                       const wahana::cases::v1::CaseStepRequest* request,
                                       wahana::cases::v1::Case* response) override;
  grpc::ServerUnaryReactor* AddCaseNote(grpc::CallbackServerContext* context,
                                        const wahana::cases::v1::AddCaseNoteRequest* request,
                                        wahana::cases::v1::Case* response) override;
  grpc::ServerUnaryReactor* RecordMediationSession(
      grpc::CallbackServerContext* context,
      const wahana::cases::v1::RecordMediationSessionRequest* request,
      wahana::cases::v1::Case* response) override;
  grpc::ServerUnaryReactor* RecordAgreement(
      grpc::CallbackServerContext* context,
      const wahana::cases::v1::RecordAgreementRequest* request,
      wahana::cases::v1::Case* response) override;

 private:
  std::shared_ptr<CaseLogic> logic_;
  WorkerPool& pool_;
  std::unique_ptr<grpc::MessageAllocator<wahana::cases::v1::GetCaseHistoryRequest,
                                         wahana::cases::v1::CaseHistory>>
      history_allocator_;
};

}  // namespace wahana
