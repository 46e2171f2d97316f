#include "case/case_grpc_service.h"

#include <memory>
#include <utility>

#include "common/grpc/unary_call.h"
#include "google/protobuf/arena.h"

namespace wahana {

namespace pb = wahana::cases::v1;

namespace {

// A call's request and response on one protobuf Arena, freed at once when gRPC releases them.
template <typename Request, typename Response>
class ArenaMessageAllocator : public grpc::MessageAllocator<Request, Response> {
 public:
  grpc::MessageHolder<Request, Response>* AllocateMessages() override { return new Holder(); }

 private:
  class Holder : public grpc::MessageHolder<Request, Response> {
   public:
    Holder() : arena_(Options()) {
      this->set_request(google::protobuf::Arena::CreateMessage<Request>(&arena_));
      this->set_response(google::protobuf::Arena::CreateMessage<Response>(&arena_));
    }
    void Release() override { delete this; }

   private:
    // A history page of 100 actions takes ~30 KB of messages: two or three blocks.
    static google::protobuf::ArenaOptions Options() {
      google::protobuf::ArenaOptions options;
      options.start_block_size = 16 << 10;
      options.max_block_size = 64 << 10;
      return options;
    }
    google::protobuf::Arena arena_;
  };
};

}  // namespace

CaseGrpcService::CaseGrpcService(std::shared_ptr<CaseLogic> logic, WorkerPool& pool)
    : logic_(std::move(logic)),
      pool_(pool),
      history_allocator_(
          std::make_unique<ArenaMessageAllocator<pb::GetCaseHistoryRequest, pb::CaseHistory>>()) {
  SetMessageAllocatorFor_GetCaseHistory(history_allocator_.get());
}

grpc::ServerUnaryReactor* CaseGrpcService::CreateCase(grpc::CallbackServerContext* context,
                                                      const pb::CreateCaseRequest* request,
                                                      pb::Case* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->CreateCase(caller, *request);
  });
}

grpc::ServerUnaryReactor* CaseGrpcService::GetCase(grpc::CallbackServerContext* context,
                                                   const pb::GetCaseRequest* request,
                                                   pb::Case* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->GetCase(caller, *request);
  });
}

grpc::ServerUnaryReactor* CaseGrpcService::ListCases(grpc::CallbackServerContext* context,
                                                     const pb::ListCasesRequest* request,
                                                     pb::ListCasesResponse* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->ListCases(caller, *request);
  });
}

grpc::ServerUnaryReactor* CaseGrpcService::GetCaseHistory(grpc::CallbackServerContext* context,
                                                          const pb::GetCaseHistoryRequest* request,
                                                          pb::CaseHistory* response) {
  // Filled in place, on the call's arena.
  return RunUnary(context, pool_, [this, request, response](const Principal& caller) {
    return logic_->GetCaseHistory(caller, *request, response);
  });
}

grpc::ServerUnaryReactor* CaseGrpcService::AssignCase(grpc::CallbackServerContext* context,
                                                      const pb::AssignCaseRequest* request,
                                                      pb::Case* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->AssignCase(caller, *request);
  });
}

grpc::ServerUnaryReactor* CaseGrpcService::AssessCase(grpc::CallbackServerContext* context,
                                                      const pb::AssessCaseRequest* request,
                                                      pb::Case* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->AssessCase(caller, *request);
  });
}

grpc::ServerUnaryReactor* CaseGrpcService::PlanCase(grpc::CallbackServerContext* context,
                                                    const pb::PlanCaseRequest* request,
                                                    pb::Case* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->PlanCase(caller, *request);
  });
}

grpc::ServerUnaryReactor* CaseGrpcService::ApprovePlan(grpc::CallbackServerContext* context,
                                                       const pb::ApprovePlanRequest* request,
                                                       pb::Case* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->ApprovePlan(caller, *request);
  });
}

grpc::ServerUnaryReactor* CaseGrpcService::MonitorCase(grpc::CallbackServerContext* context,
                                                       const pb::CaseStepRequest* request,
                                                       pb::Case* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->SimpleStep(caller, *request, pb::ACTION_MONITOR);
  });
}

grpc::ServerUnaryReactor* CaseGrpcService::ResumeIntervention(grpc::CallbackServerContext* context,
                                                              const pb::CaseStepRequest* request,
                                                              pb::Case* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->SimpleStep(caller, *request, pb::ACTION_RESUME_INTERVENTION);
  });
}

grpc::ServerUnaryReactor* CaseGrpcService::RecordService(grpc::CallbackServerContext* context,
                                                         const pb::RecordServiceRequest* request,
                                                         pb::Case* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->RecordService(caller, *request);
  });
}

grpc::ServerUnaryReactor* CaseGrpcService::ReferCase(grpc::CallbackServerContext* context,
                                                     const pb::ReferCaseRequest* request,
                                                     pb::Case* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->ReferCase(caller, *request);
  });
}

grpc::ServerUnaryReactor* CaseGrpcService::UpdateReferral(grpc::CallbackServerContext* context,
                                                          const pb::UpdateReferralRequest* request,
                                                          pb::Case* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->UpdateReferral(caller, *request);
  });
}

grpc::ServerUnaryReactor* CaseGrpcService::AnswerReferral(grpc::CallbackServerContext* context,
                                                          const pb::AnswerReferralRequest* request,
                                                          pb::Case* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->AnswerReferral(caller, *request);
  });
}

grpc::ServerUnaryReactor* CaseGrpcService::TerminateCase(grpc::CallbackServerContext* context,
                                                         const pb::TerminateCaseRequest* request,
                                                         pb::Case* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->TerminateCase(caller, *request);
  });
}

grpc::ServerUnaryReactor* CaseGrpcService::FollowUpCase(grpc::CallbackServerContext* context,
                                                        const pb::FollowUpCaseRequest* request,
                                                        pb::Case* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->FollowUpCase(caller, *request);
  });
}

grpc::ServerUnaryReactor* CaseGrpcService::CloseCase(grpc::CallbackServerContext* context,
                                                     const pb::CaseStepRequest* request,
                                                     pb::Case* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->SimpleStep(caller, *request, pb::ACTION_CLOSE);
  });
}

grpc::ServerUnaryReactor* CaseGrpcService::ReopenCase(grpc::CallbackServerContext* context,
                                                      const pb::CaseStepRequest* request,
                                                      pb::Case* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->SimpleStep(caller, *request, pb::ACTION_REOPEN);
  });
}

grpc::ServerUnaryReactor* CaseGrpcService::AddCaseNote(grpc::CallbackServerContext* context,
                                                       const pb::AddCaseNoteRequest* request,
                                                       pb::Case* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->AddCaseNote(caller, *request);
  });
}

grpc::ServerUnaryReactor* CaseGrpcService::RecordMediationSession(
    grpc::CallbackServerContext* context, const pb::RecordMediationSessionRequest* request,
    pb::Case* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->RecordMediationSession(caller, *request);
  });
}

grpc::ServerUnaryReactor* CaseGrpcService::RecordAgreement(
    grpc::CallbackServerContext* context, const pb::RecordAgreementRequest* request,
    pb::Case* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->RecordAgreement(caller, *request);
  });
}

}  // namespace wahana
