#pragma once
// The lifecycle steps, CaseLogic's custom methods on one case (the contracts are in
// case_logic.h and case.proto): each validates its own fields, builds its action and hands it to
// the one change path (CaseLogicPart::ChangeCase) with the registry checks it needs.
// Private to the case service's logic.

#include "case/case_logic_internal.h"
#include "wahana/federation/v1/federation.pb.h"

namespace wahana {
namespace case_internal {

class CaseSteps : public CaseLogicPart {
 public:
  explicit CaseSteps(const CaseLogicDeps& deps) : CaseLogicPart(deps) {}

  absl::StatusOr<wahana::cases::v1::Case> AssignCase(
      const Principal& caller, const wahana::cases::v1::AssignCaseRequest& request);
  absl::StatusOr<wahana::cases::v1::Case> AssessCase(
      const Principal& caller, const wahana::cases::v1::AssessCaseRequest& request);
  absl::StatusOr<wahana::cases::v1::Case> PlanCase(
      const Principal& caller, const wahana::cases::v1::PlanCaseRequest& request);
  absl::StatusOr<wahana::cases::v1::Case> ApprovePlan(
      const Principal& caller, const wahana::cases::v1::ApprovePlanRequest& request);
  absl::StatusOr<wahana::cases::v1::Case> SimpleStep(
      const Principal& caller, const wahana::cases::v1::CaseStepRequest& request,
      wahana::cases::v1::CaseActionType step);
  absl::StatusOr<wahana::cases::v1::Case> RecordService(
      const Principal& caller, const wahana::cases::v1::RecordServiceRequest& request);
  absl::StatusOr<wahana::cases::v1::Case> ReferCase(
      const Principal& caller, const wahana::cases::v1::ReferCaseRequest& request);
  absl::StatusOr<wahana::cases::v1::Case> UpdateReferral(
      const Principal& caller, const wahana::cases::v1::UpdateReferralRequest& request);
  absl::StatusOr<wahana::cases::v1::Case> AnswerReferral(
      const Principal& caller, const wahana::cases::v1::AnswerReferralRequest& request);
  // A district: its province's answer to one of its referrals (federation), recorded on the
  // district's case as an ACTION_UPDATE_REFERRAL by "province:<code>" (case_logic.h
  // HandleFederationMessage).
  absl::Status RecordProvinceAnswer(const wahana::federation::v1::InboundReferralAnswer& inbound);
  absl::StatusOr<wahana::cases::v1::Case> TerminateCase(
      const Principal& caller, const wahana::cases::v1::TerminateCaseRequest& request);
  absl::StatusOr<wahana::cases::v1::Case> FollowUpCase(
      const Principal& caller, const wahana::cases::v1::FollowUpCaseRequest& request);
  absl::StatusOr<wahana::cases::v1::Case> AddCaseNote(
      const Principal& caller, const wahana::cases::v1::AddCaseNoteRequest& request);
  absl::StatusOr<wahana::cases::v1::Case> RecordMediationSession(
      const Principal& caller, const wahana::cases::v1::RecordMediationSessionRequest& request);
  absl::StatusOr<wahana::cases::v1::Case> RecordAgreement(
      const Principal& caller, const wahana::cases::v1::RecordAgreementRequest& request);

 private:
  // The registry's and this service's checks of `worker_id` taking case `c` (active, serves its
  // subdistrict, under the caseload cap): INVALID_ARGUMENT / FAILED_PRECONDITION naming workerId.
  absl::Status CheckAssignable(const Principal& caller, const wahana::cases::v1::Case& c,
                               const std::string& worker_id);
  // The event a mediation session of case `c` names (`event_id`): one the caller may read
  // (otherwise NOT_FOUND as an unknown id), a MEDIASI meeting (INVALID_ARGUMENT), held for the
  // case's village, its subdistrict or the regency (INVALID_ARGUMENT), neither archived nor
  // cancelled (FAILED_PRECONDITION); each naming session.eventId. UNAVAILABLE when the event
  // service cannot answer.
  absl::Status CheckMediationEvent(const Principal& caller, const wahana::cases::v1::Case& c,
                                   const std::string& event_id);
};

}  // namespace case_internal
}  // namespace wahana
