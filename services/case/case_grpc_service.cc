#include "case/case_grpc_service.h"

#include <algorithm>
#include <utility>

#include "common/grpc/unary_call.h"

namespace wahana {

namespace pb = wahana::cases::v1;

std::string ActorOf(const grpc::ServerContextBase& context) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(kActorMetadataKey);
  if (it == metadata.end() || it->second.empty()) return kAnonymousActor;
  return std::string(it->second.data(), std::min<size_t>(it->second.size(), 128));
}

CaseGrpcService::CaseGrpcService(std::shared_ptr<CaseLogic> logic, WorkerPool& pool)
    : logic_(std::move(logic)), pool_(pool) {}

grpc::ServerUnaryReactor* CaseGrpcService::CreateCase(grpc::CallbackServerContext* context,
                                                 const pb::CreateCaseRequest* request,
                                                 pb::Case* response) {
  std::string actor = ActorOf(*context);
  return RunUnary(context, pool_, response, [this, request, actor] { return logic_->CreateCase(*request, actor); });
}

grpc::ServerUnaryReactor* CaseGrpcService::GetCase(grpc::CallbackServerContext* context,
                                                 const pb::GetCaseRequest* request,
                                                 pb::Case* response) {
  return RunUnary(context, pool_, response, [this, request] { return logic_->GetCase(*request); });
}

grpc::ServerUnaryReactor* CaseGrpcService::ListCases(grpc::CallbackServerContext* context,
                                                 const pb::ListCasesRequest* request,
                                                 pb::ListCasesResponse* response) {
  return RunUnary(context, pool_, response, [this, request] { return logic_->ListCases(*request); });
}

grpc::ServerUnaryReactor* CaseGrpcService::GetCaseHistory(grpc::CallbackServerContext* context,
                                                 const pb::GetCaseHistoryRequest* request,
                                                 pb::CaseHistory* response) {
  return RunUnary(context, pool_, response, [this, request] { return logic_->GetCaseHistory(*request); });
}

grpc::ServerUnaryReactor* CaseGrpcService::AssignCase(grpc::CallbackServerContext* context,
                                                 const pb::AssignCaseRequest* request,
                                                 pb::Case* response) {
  std::string actor = ActorOf(*context);
  return RunUnary(context, pool_, response, [this, request, actor] { return logic_->AssignCase(*request, actor); });
}

grpc::ServerUnaryReactor* CaseGrpcService::AssessCase(grpc::CallbackServerContext* context,
                                                 const pb::AssessCaseRequest* request,
                                                 pb::Case* response) {
  std::string actor = ActorOf(*context);
  return RunUnary(context, pool_, response, [this, request, actor] { return logic_->AssessCase(*request, actor); });
}

grpc::ServerUnaryReactor* CaseGrpcService::PlanCase(grpc::CallbackServerContext* context,
                                                 const pb::PlanCaseRequest* request,
                                                 pb::Case* response) {
  std::string actor = ActorOf(*context);
  return RunUnary(context, pool_, response, [this, request, actor] { return logic_->PlanCase(*request, actor); });
}

grpc::ServerUnaryReactor* CaseGrpcService::ApprovePlan(grpc::CallbackServerContext* context,
                                                 const pb::ApprovePlanRequest* request,
                                                 pb::Case* response) {
  std::string actor = ActorOf(*context);
  return RunUnary(context, pool_, response, [this, request, actor] { return logic_->ApprovePlan(*request, actor); });
}

grpc::ServerUnaryReactor* CaseGrpcService::MonitorCase(grpc::CallbackServerContext* context,
                                                 const pb::CaseStepRequest* request,
                                                 pb::Case* response) {
  std::string actor = ActorOf(*context);
  return RunUnary(context, pool_, response, [this, request, actor] { return logic_->SimpleStep(*request, pb::ACTION_MONITOR, actor); });
}

grpc::ServerUnaryReactor* CaseGrpcService::ResumeIntervention(grpc::CallbackServerContext* context,
                                                 const pb::CaseStepRequest* request,
                                                 pb::Case* response) {
  std::string actor = ActorOf(*context);
  return RunUnary(context, pool_, response, [this, request, actor] { return logic_->SimpleStep(*request, pb::ACTION_RESUME_INTERVENTION, actor); });
}

grpc::ServerUnaryReactor* CaseGrpcService::RecordService(grpc::CallbackServerContext* context,
                                                 const pb::RecordServiceRequest* request,
                                                 pb::Case* response) {
  std::string actor = ActorOf(*context);
  return RunUnary(context, pool_, response, [this, request, actor] { return logic_->RecordService(*request, actor); });
}

grpc::ServerUnaryReactor* CaseGrpcService::ReferCase(grpc::CallbackServerContext* context,
                                                 const pb::ReferCaseRequest* request,
                                                 pb::Case* response) {
  std::string actor = ActorOf(*context);
  return RunUnary(context, pool_, response, [this, request, actor] { return logic_->ReferCase(*request, actor); });
}

grpc::ServerUnaryReactor* CaseGrpcService::UpdateReferral(grpc::CallbackServerContext* context,
                                                 const pb::UpdateReferralRequest* request,
                                                 pb::Case* response) {
  std::string actor = ActorOf(*context);
  return RunUnary(context, pool_, response, [this, request, actor] { return logic_->UpdateReferral(*request, actor); });
}

grpc::ServerUnaryReactor* CaseGrpcService::TerminateCase(grpc::CallbackServerContext* context,
                                                 const pb::TerminateCaseRequest* request,
                                                 pb::Case* response) {
  std::string actor = ActorOf(*context);
  return RunUnary(context, pool_, response, [this, request, actor] { return logic_->TerminateCase(*request, actor); });
}

grpc::ServerUnaryReactor* CaseGrpcService::FollowUpCase(grpc::CallbackServerContext* context,
                                                 const pb::FollowUpCaseRequest* request,
                                                 pb::Case* response) {
  std::string actor = ActorOf(*context);
  return RunUnary(context, pool_, response, [this, request, actor] { return logic_->FollowUpCase(*request, actor); });
}

grpc::ServerUnaryReactor* CaseGrpcService::CloseCase(grpc::CallbackServerContext* context,
                                                 const pb::CaseStepRequest* request,
                                                 pb::Case* response) {
  std::string actor = ActorOf(*context);
  return RunUnary(context, pool_, response, [this, request, actor] { return logic_->SimpleStep(*request, pb::ACTION_CLOSE, actor); });
}

grpc::ServerUnaryReactor* CaseGrpcService::ReopenCase(grpc::CallbackServerContext* context,
                                                 const pb::CaseStepRequest* request,
                                                 pb::Case* response) {
  std::string actor = ActorOf(*context);
  return RunUnary(context, pool_, response, [this, request, actor] { return logic_->SimpleStep(*request, pb::ACTION_REOPEN, actor); });
}

grpc::ServerUnaryReactor* CaseGrpcService::AddCaseNote(grpc::CallbackServerContext* context,
                                                 const pb::AddCaseNoteRequest* request,
                                                 pb::Case* response) {
  std::string actor = ActorOf(*context);
  return RunUnary(context, pool_, response, [this, request, actor] { return logic_->AddCaseNote(*request, actor); });
}

grpc::ServerUnaryReactor* CaseGrpcService::RecordMediationSession(grpc::CallbackServerContext* context,
                                                 const pb::RecordMediationSessionRequest* request,
                                                 pb::Case* response) {
  std::string actor = ActorOf(*context);
  return RunUnary(context, pool_, response, [this, request, actor] { return logic_->RecordMediationSession(*request, actor); });
}

grpc::ServerUnaryReactor* CaseGrpcService::RecordAgreement(grpc::CallbackServerContext* context,
                                                 const pb::RecordAgreementRequest* request,
                                                 pb::Case* response) {
  std::string actor = ActorOf(*context);
  return RunUnary(context, pool_, response, [this, request, actor] { return logic_->RecordAgreement(*request, actor); });
}

}  // namespace wahana
