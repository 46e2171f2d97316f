#include "case/case_steps.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "case/case_indexing.h"
#include "case/case_state_machine.h"
#include "common/auth/reference_access.h"
#include "common/region/region_code.h"
#include "common/storage/page_token.h"
#include "wahana/registry/v1/worker.pb.h"

namespace wahana {
namespace case_internal {
namespace {

namespace pb = wahana::cases::v1;
namespace reg = wahana::registry::v1;
using pb::Case;
using pb::CaseAction;
using wahana::common::v1::PpksCategory_IsValid;

// What any answer to a referral carries (:updateReferral, :answerReferral, a province's answer
// arriving by federation): a status it can take and an answer of bounded size.
absl::Status CheckReferralAnswer(pb::ReferralStatus status, const std::string& answer) {
  if (status != pb::REFERRAL_ACCEPTED && status != pb::REFERRAL_REJECTED &&
      status != pb::REFERRAL_COMPLETED) {
    return absl::InvalidArgumentError(
        "status: REFERRAL_ACCEPTED, REFERRAL_REJECTED or REFERRAL_COMPLETED");
  }
  return CheckText(answer, "answer", CaseLogic::kMaxTextBytes);
}

}  // namespace

absl::Status CaseSteps::CheckAssignable(const Principal& caller, const Case& c,
                                        const std::string& worker_id) {
  WAHANA_ASSIGN_OR_RETURN(reg::Worker worker,
                          RequireReadable(caller, registry_->GetWorker(worker_id), "workerId",
                                          SubjectKind::kWorker, worker_id, region_));
  if (worker.has_active() && !worker.active()) {
    return absl::FailedPreconditionError(
        absl::StrCat("workerId: worker ", worker_id, " is not active"));
  }
  const std::string subdistrict = ParentRegionCode(c.village_code());
  const auto& served = worker.subdistrict_codes();
  if (std::find(served.begin(), served.end(), subdistrict) == served.end()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "workerId: worker ", worker_id, " does not serve subdistrict ", subdistrict,
        " of the case's village (serves: ", served.empty() ? "none" : absl::StrJoin(served, ", "),
        ")"));
  }
  // The worker's open cases, from this service's own index; the case itself does not count
  // twice when it is reassigned to the same worker.
  const int cap = worker.caseload_cap() > 0 ? worker.caseload_cap() : options_.default_caseload_cap;
  ListQuery<Case> query;
  query.view = CaseOpenAssigneeView(worker_id);
  query.page_size = std::min(cap + 1, kMaxPageSize);
  WAHANA_ASSIGN_OR_RETURN(ListPage<Case> page, store_->List(query));
  int open = 0;
  for (const Case& other : page.records) {
    if (other.id() != c.id()) ++open;
  }
  if (open >= cap) {
    return absl::FailedPreconditionError(absl::StrCat("workerId: worker ", worker_id, " holds ",
                                                      open, " open cases, their caseload cap is ",
                                                      cap));
  }
  return absl::OkStatus();
}

absl::StatusOr<Case> CaseSteps::AssignCase(const Principal& caller,
                                           const pb::AssignCaseRequest& request) {
  WAHANA_RETURN_IF_ERROR(CheckRefId(request.worker_id(), "workerId", true));
  CaseAction action;
  action.set_type(pb::ACTION_ASSIGN);
  action.set_reason(request.reason());
  action.set_worker_id(request.worker_id());
  action.set_share_earlier_notes(request.share_earlier_notes());
  return ChangeCase(caller, request.id(), request.etag(), std::move(action),
                    [this, &caller, &request](const Case& c) {
                      return CheckAssignable(caller, c, request.worker_id());
                    });
}

absl::StatusOr<Case> CaseSteps::AssessCase(const Principal& caller,
                                           const pb::AssessCaseRequest& request) {
  WAHANA_RETURN_IF_ERROR(CheckRequiredText(request.problem(), "problem", kMaxTextBytes));
  WAHANA_RETURN_IF_ERROR(CheckText(request.needs(), "needs", kMaxTextBytes));
  WAHANA_RETURN_IF_ERROR(CheckText(request.strengths(), "strengths", kMaxTextBytes));
  if (request.risk_score() < 0 || request.risk_score() > 100) {
    return absl::InvalidArgumentError(
        absl::StrCat("riskScore: 0 to 100 (got ", request.risk_score(), ")"));
  }
  if (!PpksCategory_IsValid(request.confirmed_category())) {
    return absl::InvalidArgumentError(
        "confirmedCategory: one of the 26 PPKS categories (1-26), or unset");
  }
  CaseAction action;
  action.set_type(pb::ACTION_ASSESS);
  action.set_reason(request.reason());
  pb::Assessment* a = action.mutable_assessment();
  a->set_problem(request.problem());
  a->set_needs(request.needs());
  a->set_strengths(request.strengths());
  a->set_risk_score(request.risk_score());
  a->set_confirmed_category(request.confirmed_category());
  a->set_needs_outside_panti_rehabilitation(request.needs_outside_panti_rehabilitation());
  return ChangeCase(caller, request.id(), request.etag(), std::move(action));
}

absl::StatusOr<Case> CaseSteps::PlanCase(const Principal& caller,
                                         const pb::PlanCaseRequest& request) {
  if (request.goals_size() == 0) return absl::InvalidArgumentError("goals: at least one goal");
  if (request.goals_size() > kMaxGoals) {
    return absl::InvalidArgumentError(absl::StrCat("goals: at most ", kMaxGoals));
  }
  for (int i = 0; i < request.goals_size(); ++i) {
    const pb::PlanGoal& g = request.goals(i);
    const std::string field = absl::StrCat("goals[", i, "]");
    WAHANA_RETURN_IF_ERROR(CheckRequiredText(g.goal(), field + ".goal", kMaxTextBytes));
    WAHANA_RETURN_IF_ERROR(CheckText(g.services(), field + ".services", kMaxTextBytes));
    WAHANA_RETURN_IF_ERROR(CheckLine(g.responsible(), field + ".responsible", kMaxShortBytes));
  }
  CaseAction action;
  action.set_type(pb::ACTION_PLAN);
  action.set_reason(request.reason());
  *action.mutable_goals() = request.goals();
  return ChangeCase(caller, request.id(), request.etag(), std::move(action));
}

absl::StatusOr<Case> CaseSteps::ApprovePlan(const Principal& caller,
                                            const pb::ApprovePlanRequest& request) {
  CaseAction action;
  action.set_type(pb::ACTION_APPROVE_PLAN);
  action.set_reason(request.reason());
  return ChangeCase(caller, request.id(), request.etag(), std::move(action));
}

absl::StatusOr<Case> CaseSteps::SimpleStep(const Principal& caller,
                                           const pb::CaseStepRequest& request,
                                           pb::CaseActionType step) {
  if (step != pb::ACTION_MONITOR && step != pb::ACTION_RESUME_INTERVENTION &&
      step != pb::ACTION_CLOSE && step != pb::ACTION_REOPEN) {
    return absl::InternalError(absl::StrCat(StepName(step), " is not a simple step"));
  }
  CaseAction action;
  action.set_type(step);
  action.set_reason(request.reason());
  return ChangeCase(caller, request.id(), request.etag(), std::move(action));
}

absl::StatusOr<Case> CaseSteps::RecordService(const Principal& caller,
                                              const pb::RecordServiceRequest& request) {
  const pb::ServiceRecord& s = request.service();
  if (s.spm_service() == pb::SPM_SERVICE_UNSPECIFIED || !pb::SpmService_IsValid(s.spm_service())) {
    return absl::InvalidArgumentError(
        "service.spmService: required, one of the five SPM services (SPM_DISABILITAS_TELANTAR, "
        "SPM_ANAK_TELANTAR, SPM_LANJUT_USIA_TELANTAR, SPM_GELANDANGAN_PENGEMIS, "
        "SPM_KORBAN_BENCANA)");
  }
  WAHANA_RETURN_IF_ERROR(CheckName(s.component(), "service.component", kMaxShortBytes));
  WAHANA_RETURN_IF_ERROR(CheckRequiredDate(s.date(), "service.date", calendar_.LatestDate(now_())));
  WAHANA_RETURN_IF_ERROR(CheckLine(s.provider(), "service.provider", kMaxShortBytes));
  CaseAction action;
  action.set_type(pb::ACTION_RECORD_SERVICE);
  action.set_reason(request.reason());
  *action.mutable_service() = s;
  return ChangeCase(caller, request.id(), request.etag(), std::move(action));
}

absl::StatusOr<Case> CaseSteps::ReferCase(const Principal& caller,
                                          const pb::ReferCaseRequest& request) {
  if (request.target() == pb::REFERRAL_TARGET_UNSPECIFIED ||
      !pb::ReferralTarget_IsValid(request.target())) {
    return absl::InvalidArgumentError(
        "target: required, REFERRAL_AGENCY, REFERRAL_INSTITUTION or REFERRAL_PROVINCE");
  }
  WAHANA_RETURN_IF_ERROR(CheckRequiredText(request.reason(), "reason", kMaxTextBytes));
  WAHANA_RETURN_IF_ERROR((request.target() == pb::REFERRAL_AGENCY
                              ? CheckName(request.agency(), "agency", kMaxShortBytes)
                              : CheckLine(request.agency(), "agency", kMaxShortBytes)));
  WAHANA_RETURN_IF_ERROR(CheckRefId(request.institution_id(), "institutionId",
                                    request.target() == pb::REFERRAL_INSTITUTION));
  WAHANA_RETURN_IF_ERROR(CheckOptionalDate(request.due_date(), "dueDate", kNoLatestDate));
  CaseAction action;
  action.set_type(pb::ACTION_REFER);
  action.set_reason(request.reason());
  pb::Referral* r = action.mutable_referral();
  r->set_target(request.target());
  r->set_agency(request.agency());
  r->set_institution_id(request.institution_id());
  r->set_reason(request.reason());
  r->set_due_date(request.due_date());
  r->set_status(pb::REFERRAL_SENT);
  return ChangeCase(caller, request.id(), request.etag(), std::move(action),
                    [this, &caller, &request](const Case&) -> absl::Status {
                      if (request.target() != pb::REFERRAL_INSTITUTION) return absl::OkStatus();
                      return RequireReadable(caller,
                                             registry_->GetInstitution(request.institution_id()),
                                             "institutionId", SubjectKind::kInstitution,
                                             request.institution_id(), region_)
                          .status();
                    });
}

absl::StatusOr<Case> CaseSteps::UpdateReferral(const Principal& caller,
                                               const pb::UpdateReferralRequest& request) {
  if (request.referral_number() < 1) {
    return absl::InvalidArgumentError("referralNumber: required, 1 or more");
  }
  WAHANA_RETURN_IF_ERROR(CheckReferralAnswer(request.status(), request.answer()));
  CaseAction action;
  action.set_type(pb::ACTION_UPDATE_REFERRAL);
  action.set_reason(request.reason());
  action.mutable_referral()->set_number(request.referral_number());
  action.mutable_referral()->set_status(request.status());
  action.mutable_referral()->set_answer(request.answer());
  return ChangeCase(caller, request.id(), request.etag(), std::move(action));
}

absl::StatusOr<Case> CaseSteps::AnswerReferral(const Principal& caller,
                                               const pb::AnswerReferralRequest& request) {
  WAHANA_RETURN_IF_ERROR(CheckReferralAnswer(request.status(), request.answer()));
  CaseAction action;
  action.set_type(pb::ACTION_ANSWER_REFERRAL);
  action.set_reason(request.reason());
  action.mutable_referral()->set_status(request.status());
  action.mutable_referral()->set_answer(request.answer());
  // ApplyAction refuses a case not opened from a referral, and a status the referral cannot take.
  return ChangeCase(caller, request.id(), request.etag(), std::move(action));
}

absl::Status CaseSteps::RecordProvinceAnswer(
    const wahana::federation::v1::InboundReferralAnswer& inbound) {
  const wahana::federation::v1::ReferralAnswer& answer = inbound.answer();
  WAHANA_RETURN_IF_ERROR(CheckReferralAnswer(answer.status(), answer.answer()));
  // A concurrent step moves the case on: read again and retry a few times.
  absl::Status status;
  for (int attempt = 0; attempt < 5; ++attempt) {
    WAHANA_ASSIGN_OR_RETURN(Case current, store_->Get(answer.case_id()));
    const pb::Referral* referral = nullptr;
    for (const pb::Referral& r : current.referrals()) {
      if (r.number() == answer.referral_number()) referral = &r;
    }
    // The province answers only what was referred to it: nothing else of the case is its to move.
    if (referral == nullptr || referral->target() != pb::REFERRAL_PROVINCE) {
      return absl::InvalidArgumentError(absl::StrCat("referralNumber: case ", current.number(),
                                                     " has no referral ", answer.referral_number(),
                                                     " to the province"));
    }
    if (referral->status() == answer.status()) return absl::OkStatus();  // recorded before
    if (answer.status() == pb::REFERRAL_COMPLETED && referral->status() == pb::REFERRAL_SENT) {
      // Its acceptance, sent before it, is still on its way (another replica holds it).
      return absl::UnavailableError(absl::StrCat("case ", current.number(), " referral ",
                                                 referral->number(),
                                                 ": completed before its acceptance arrived"));
    }
    CaseAction action;
    action.set_type(pb::ACTION_UPDATE_REFERRAL);
    action.set_reason(absl::StrCat("Jawaban provinsi ", inbound.origin(), " (kasus ",
                                   answer.province_case_number(), ")",
                                   answer.reason().empty() ? "" : ": ", answer.reason()));
    action.mutable_referral()->set_number(referral->number());
    action.mutable_referral()->set_status(answer.status());
    action.mutable_referral()->set_answer(answer.answer());
    status = WriteChange(current, std::move(action), absl::StrCat("province:", inbound.origin()))
                 .status();
    if (!absl::IsAborted(status)) break;
  }
  return status;
}

absl::StatusOr<Case> CaseSteps::TerminateCase(const Principal& caller,
                                              const pb::TerminateCaseRequest& request) {
  if (request.termination_reason() == pb::TERMINATION_REASON_UNSPECIFIED ||
      !pb::TerminationReason_IsValid(request.termination_reason())) {
    return absl::InvalidArgumentError(
        "terminationReason: required, one of GOAL_REACHED, TERMINATION_REFERRED, MOVED, DIED, "
        "REFUSED, LOST_CONTACT");
  }
  CaseAction action;
  action.set_type(pb::ACTION_TERMINATE);
  action.set_reason(request.reason());
  action.set_termination_reason(request.termination_reason());
  return ChangeCase(caller, request.id(), request.etag(), std::move(action));
}

absl::StatusOr<Case> CaseSteps::FollowUpCase(const Principal& caller,
                                             const pb::FollowUpCaseRequest& request) {
  WAHANA_RETURN_IF_ERROR(
      CheckRequiredDate(request.follow_up_date(), "followUpDate", kNoLatestDate));
  CaseAction action;
  action.set_type(pb::ACTION_FOLLOW_UP);
  action.set_reason(request.reason());
  action.set_follow_up_date(request.follow_up_date());
  return ChangeCase(caller, request.id(), request.etag(), std::move(action));
}

absl::StatusOr<Case> CaseSteps::AddCaseNote(const Principal& caller,
                                            const pb::AddCaseNoteRequest& request) {
  WAHANA_RETURN_IF_ERROR(CheckRequiredText(request.text(), "text", kMaxTextBytes));
  CaseAction action;
  action.set_type(pb::ACTION_ADD_NOTE);
  action.mutable_note()->set_text(request.text());
  action.mutable_note()->set_confidential(request.confidential());
  return ChangeCase(caller, request.id(), request.etag(), std::move(action));
}

absl::Status CaseSteps::CheckMediationEvent(const Principal& caller, const Case& c,
                                            const std::string& event_id) {
  constexpr char kField[] = "session.eventId";
  if (events_ == nullptr) {
    return absl::UnavailableError(
        absl::StrCat(kField, ": the case service has no event service to check it with"));
  }
  // A reference is a read: unknown, refused and unreadable answer alike.
  WAHANA_ASSIGN_OR_RETURN(
      const wahana::event::v1::Event read,
      ReadableReference(caller, Resource::kEvent, kField, event_id, events_->GetEvent(event_id),
                        [](const wahana::event::v1::Event& e) { return e.region_code(); }));
  const wahana::event::v1::Event* event = &read;
  if (event->kind() != wahana::event::v1::MEDIASI) {
    return absl::InvalidArgumentError(absl::StrCat(kField, ": event ", event_id, " is a ",
                                                   wahana::event::v1::EventKind_Name(event->kind()),
                                                   ", not a MEDIASI meeting"));
  }
  // The case's own region: its village, its subdistrict or the regency.
  if (!RegionWithin(c.village_code(), event->region_code())) {
    return absl::InvalidArgumentError(absl::StrCat(kField, ": event ", event_id, " is held for ",
                                                   event->region_code(), ", not for the case's ",
                                                   c.village_code()));
  }
  if (event->archived() || event->status() == wahana::event::v1::Event::CANCELLED) {
    return absl::FailedPreconditionError(absl::StrCat(
        kField, ": event ", event_id, " is ", event->archived() ? "archived" : "cancelled"));
  }
  return absl::OkStatus();
}

absl::StatusOr<Case> CaseSteps::RecordMediationSession(
    const Principal& caller, const pb::RecordMediationSessionRequest& request) {
  const pb::MediationSession& s = request.session();
  WAHANA_RETURN_IF_ERROR(CheckRequiredDate(s.date(), "session.date", calendar_.LatestDate(now_())));
  WAHANA_RETURN_IF_ERROR(CheckLine(s.place(), "session.place", kMaxShortBytes));
  WAHANA_RETURN_IF_ERROR(CheckText(s.outcome(), "session.outcome", kMaxTextBytes));
  WAHANA_RETURN_IF_ERROR(CheckRefId(s.event_id(), "session.eventId", false));
  if (s.attendees_size() > kMaxAttendees) {
    return absl::InvalidArgumentError(absl::StrCat("session.attendees: at most ", kMaxAttendees));
  }
  for (int i = 0; i < s.attendees_size(); ++i) {
    WAHANA_RETURN_IF_ERROR(
        CheckName(s.attendees(i), absl::StrCat("session.attendees[", i, "]"), kMaxShortBytes));
  }
  WAHANA_RETURN_IF_ERROR(CheckRefId(request.mediator_worker_id(), "mediatorWorkerId", false));
  CaseAction action;
  action.set_type(pb::ACTION_RECORD_SESSION);
  action.set_reason(request.reason());
  *action.mutable_session() = s;
  action.set_mediator_worker_id(request.mediator_worker_id());
  return ChangeCase(
      caller, request.id(), request.etag(), std::move(action),
      [this, &caller, &request](const Case& c) -> absl::Status {
        if (!request.session().event_id().empty()) {
          WAHANA_RETURN_IF_ERROR(CheckMediationEvent(caller, c, request.session().event_id()));
        }
        if (request.mediator_worker_id().empty()) return absl::OkStatus();
        return RequireReadable(caller, registry_->GetWorker(request.mediator_worker_id()),
                               "mediatorWorkerId", SubjectKind::kWorker,
                               request.mediator_worker_id(), region_)
            .status();
      });
}

absl::StatusOr<Case> CaseSteps::RecordAgreement(const Principal& caller,
                                                const pb::RecordAgreementRequest& request) {
  WAHANA_RETURN_IF_ERROR(CheckRequiredText(request.agreement(), "agreement", kMaxTextBytes));
  WAHANA_RETURN_IF_ERROR(
      CheckOptionalDate(request.follow_up_date(), "followUpDate", kNoLatestDate));
  CaseAction action;
  action.set_type(pb::ACTION_RECORD_AGREEMENT);
  action.set_reason(request.reason());
  action.set_agreement(request.agreement());
  action.set_follow_up_date(request.follow_up_date());
  return ChangeCase(caller, request.id(), request.etag(), std::move(action));
}

}  // namespace case_internal
}  // namespace wahana
