#include "case/case_logic.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "case/case_intake.h"
#include "case/case_logic_internal.h"
#include "case/case_queries.h"
#include "case/case_registry_notices.h"
#include "case/case_steps.h"
#include "common/auth/bearer_channel.h"
#include "wahana/federation/v1/federation.pb.h"

namespace wahana {

namespace pb = wahana::cases::v1;
using pb::Case;

CaseLogic::CaseLogic(std::string region, std::shared_ptr<CaseStore> store,
                     std::shared_ptr<RegionDirectory> regions,
                     std::shared_ptr<RegistryRecords> registry,
                     std::shared_ptr<KnownSubjects> known, CaseLogicOptions options,
                     std::function<absl::Time()> now, TimeOrderedIdGenerator* ids,
                     OfficeCalendar calendar, std::shared_ptr<MediationEvents> events)
    : region_(region) {
  const case_internal::CaseLogicDeps deps{std::move(region),
                                          std::move(store),
                                          std::move(regions),
                                          std::move(registry),
                                          std::move(known),
                                          options,
                                          now ? std::move(now) : [] { return absl::Now(); },
                                          ids != nullptr ? ids : &TimeOrderedIdGenerator::Default(),
                                          std::move(calendar),
                                          std::move(events)};
  intake_ = std::make_unique<case_internal::CaseIntake>(deps);
  steps_ = std::make_unique<case_internal::CaseSteps>(deps);
  queries_ = std::make_unique<case_internal::CaseQueries>(deps);
  notices_ = std::make_unique<case_internal::CaseRegistryNotices>(deps);
}

CaseLogic::~CaseLogic() = default;

absl::StatusOr<Case> CaseLogic::CreateCase(const Principal& caller,
                                           const pb::CreateCaseRequest& request) {
  return intake_->CreateCase(caller, request);
}

absl::StatusOr<Case> CaseLogic::GetCase(const Principal& caller,
                                        const pb::GetCaseRequest& request) {
  return queries_->GetCase(caller, request);
}

absl::StatusOr<pb::ListCasesResponse> CaseLogic::ListCases(const Principal& caller,
                                                           const pb::ListCasesRequest& request) {
  return queries_->ListCases(caller, request);
}

absl::StatusOr<pb::CaseHistory> CaseLogic::GetCaseHistory(
    const Principal& caller, const pb::GetCaseHistoryRequest& request) {
  pb::CaseHistory history;
  WAHANA_RETURN_IF_ERROR(queries_->GetCaseHistory(caller, request, &history));
  return history;
}

absl::Status CaseLogic::GetCaseHistory(const Principal& caller,
                                       const pb::GetCaseHistoryRequest& request,
                                       pb::CaseHistory* history) {
  return queries_->GetCaseHistory(caller, request, history);
}

absl::StatusOr<Case> CaseLogic::AssignCase(const Principal& caller,
                                           const pb::AssignCaseRequest& request) {
  return steps_->AssignCase(caller, request);
}

absl::StatusOr<Case> CaseLogic::AssessCase(const Principal& caller,
                                           const pb::AssessCaseRequest& request) {
  return steps_->AssessCase(caller, request);
}

absl::StatusOr<Case> CaseLogic::PlanCase(const Principal& caller,
                                         const pb::PlanCaseRequest& request) {
  return steps_->PlanCase(caller, request);
}

absl::StatusOr<Case> CaseLogic::ApprovePlan(const Principal& caller,
                                            const pb::ApprovePlanRequest& request) {
  return steps_->ApprovePlan(caller, request);
}

absl::StatusOr<Case> CaseLogic::SimpleStep(const Principal& caller,
                                           const pb::CaseStepRequest& request,
                                           pb::CaseActionType step) {
  return steps_->SimpleStep(caller, request, step);
}

absl::StatusOr<Case> CaseLogic::RecordService(const Principal& caller,
                                              const pb::RecordServiceRequest& request) {
  return steps_->RecordService(caller, request);
}

absl::StatusOr<Case> CaseLogic::ReferCase(const Principal& caller,
                                          const pb::ReferCaseRequest& request) {
  return steps_->ReferCase(caller, request);
}

absl::StatusOr<Case> CaseLogic::UpdateReferral(const Principal& caller,
                                               const pb::UpdateReferralRequest& request) {
  return steps_->UpdateReferral(caller, request);
}

absl::StatusOr<Case> CaseLogic::AnswerReferral(const Principal& caller,
                                               const pb::AnswerReferralRequest& request) {
  return steps_->AnswerReferral(caller, request);
}

absl::StatusOr<Case> CaseLogic::TerminateCase(const Principal& caller,
                                              const pb::TerminateCaseRequest& request) {
  return steps_->TerminateCase(caller, request);
}

absl::StatusOr<Case> CaseLogic::FollowUpCase(const Principal& caller,
                                             const pb::FollowUpCaseRequest& request) {
  return steps_->FollowUpCase(caller, request);
}

absl::StatusOr<Case> CaseLogic::AddCaseNote(const Principal& caller,
                                            const pb::AddCaseNoteRequest& request) {
  return steps_->AddCaseNote(caller, request);
}

absl::StatusOr<Case> CaseLogic::RecordMediationSession(
    const Principal& caller, const pb::RecordMediationSessionRequest& request) {
  return steps_->RecordMediationSession(caller, request);
}

absl::StatusOr<Case> CaseLogic::RecordAgreement(const Principal& caller,
                                                const pb::RecordAgreementRequest& request) {
  return steps_->RecordAgreement(caller, request);
}

absl::Status CaseLogic::HandleRegistryMessage(const wahana::common::v1::Envelope& envelope) {
  return notices_->HandleRegistryMessage(envelope);
}

absl::Status CaseLogic::HandleFederationMessage(const wahana::common::v1::Envelope& envelope) {
  if (envelope.type() == wahana::federation::v1::InboundReferralAnswer::descriptor()->full_name()) {
    wahana::federation::v1::InboundReferralAnswer answer;
    if (!envelope.payload().UnpackTo(&answer)) {
      return absl::InvalidArgumentError(absl::StrCat("message ", envelope.message_id(),
                                                     ": payload is not an InboundReferralAnswer"));
    }
    return steps_->RecordProvinceAnswer(answer);
  }
  wahana::federation::v1::InboundReferral inbound;
  if (envelope.type() != wahana::federation::v1::InboundReferral::descriptor()->full_name()) {
    return absl::OkStatus();  // the districts' aggregates are the reporting service's
  }
  if (!envelope.payload().UnpackTo(&inbound)) {
    return absl::InvalidArgumentError(
        absl::StrCat("message ", envelope.message_id(), ": payload is not an InboundReferral"));
  }
  const wahana::federation::v1::ProvinceReferral& referral = inbound.referral();
  pb::CreateCaseRequest request;
  request.set_request_id(absl::StrCat("federation:", inbound.origin(), ":", referral.case_id(), ":",
                                      referral.referral_number()));
  Case* c = request.mutable_case_();
  c->set_category(referral.category());
  c->set_kind(referral.kind());
  c->set_village_code(referral.village_code());
  c->set_urgency(referral.urgency());
  c->set_summary(absl::StrCat("Rujukan dari ", inbound.origin(), " (kasus ", referral.case_number(),
                              "): ", referral.reason(), "\n\n", referral.summary()));
  c->mutable_reporter()->set_kind(pb::Reporter::ANONYMOUS);
  pb::ReferredFrom from;
  from.set_status(pb::REFERRAL_SENT);
  from.set_region(inbound.origin());
  from.set_case_id(referral.case_id());
  from.set_case_number(referral.case_number());
  from.set_referral_number(referral.referral_number());
  from.set_reason(referral.reason());
  absl::StatusOr<Case> opened =
      intake_->CreateCase(ServicePrincipal("case", region_), request, &from);
  if (!opened.ok()) {
    // A case this province cannot open (a category or kind it does not know) is a message for
    // the dead-letter stream, with the reason.
    return opened.status();
  }
  spdlog::info("case: referral {} of {} case {} opened as case {}", referral.referral_number(),
               inbound.origin(), referral.case_number(), opened->number());
  return absl::OkStatus();
}

}  // namespace wahana
