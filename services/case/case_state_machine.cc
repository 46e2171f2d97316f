#include "case/case_state_machine.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace wahana {
namespace {

using wahana::cases::v1::CaseActionType;
using wahana::cases::v1::CaseStatus;
namespace pb = wahana::cases::v1;

constexpr CaseStatus kNoStatus = pb::CASE_STATUS_UNSPECIFIED;

bool IsUnclosed(CaseStatus s) {
  return IsOpenStatus(s) || s == pb::TERMINATED || s == pb::FOLLOW_UP;
}

// The status after `step` from `s`, or kNoStatus when the step is not allowed. The one table of
// the lifecycle.
CaseStatus Transition(CaseStatus s, CaseActionType step) {
  switch (step) {
    case pb::ACTION_CREATE:
      return s == kNoStatus ? pb::INTAKE : kNoStatus;
    case pb::ACTION_ASSESS:
      return s == pb::INTAKE || s == pb::ASSESSMENT ? pb::ASSESSMENT : kNoStatus;
    case pb::ACTION_PLAN:
      return s == pb::ASSESSMENT || s == pb::PLANNING ? pb::PLANNING : kNoStatus;
    case pb::ACTION_APPROVE_PLAN:
      return s == pb::PLANNING ? pb::INTERVENTION : kNoStatus;
    case pb::ACTION_MONITOR:
      return s == pb::INTERVENTION ? pb::MONITORING : kNoStatus;
    case pb::ACTION_RESUME_INTERVENTION:
      return s == pb::MONITORING ? pb::INTERVENTION : kNoStatus;
    case pb::ACTION_RECORD_SERVICE:
      return s == pb::INTERVENTION || s == pb::MONITORING ? s : kNoStatus;
    case pb::ACTION_TERMINATE:
      return IsOpenStatus(s) && s != pb::INTAKE ? pb::TERMINATED : kNoStatus;
    case pb::ACTION_FOLLOW_UP:
      return s == pb::TERMINATED || s == pb::FOLLOW_UP ? pb::FOLLOW_UP : kNoStatus;
    case pb::ACTION_CLOSE:
      return s == pb::TERMINATED || s == pb::FOLLOW_UP ? pb::CLOSED : kNoStatus;
    case pb::ACTION_REOPEN:
      return s == pb::CLOSED ? pb::ASSESSMENT : kNoStatus;
    case pb::ACTION_ASSIGN:
    case pb::ACTION_REFER:
    case pb::ACTION_RECORD_SESSION:
    case pb::ACTION_RECORD_AGREEMENT:
      return IsOpenStatus(s) ? s : kNoStatus;
    case pb::ACTION_ADD_NOTE:
    case pb::ACTION_SUBJECT_ARCHIVED:
      return IsUnclosed(s) ? s : kNoStatus;
    // A referral's answer may come after the case is closed (a district closes its case once
    // the province has taken the person on): it is the referral's news, recorded without
    // reopening the case.
    case pb::ACTION_UPDATE_REFERRAL:
    case pb::ACTION_ANSWER_REFERRAL:
      return s != pb::CASE_STATUS_UNSPECIFIED ? s : kNoStatus;
    default:
      return kNoStatus;
  }
}

}  // namespace

std::vector<CaseActionType> AllowedSteps(CaseStatus status) {
  std::vector<CaseActionType> steps;
  const google::protobuf::EnumDescriptor* types = pb::CaseActionType_descriptor();
  for (int i = 0; i < types->value_count(); ++i) {
    auto step = static_cast<CaseActionType>(types->value(i)->number());
    if (step == pb::ACTION_CREATE || step == pb::ACTION_SUBJECT_ARCHIVED) continue;
    if (Transition(status, step) != kNoStatus) steps.push_back(step);
  }
  return steps;
}

std::string StepName(CaseActionType step) {
  switch (step) {
    case pb::ACTION_CREATE:
      return "create";
    case pb::ACTION_ASSIGN:
      return ":assign";
    case pb::ACTION_ASSESS:
      return ":assess";
    case pb::ACTION_PLAN:
      return ":plan";
    case pb::ACTION_APPROVE_PLAN:
      return ":approvePlan";
    case pb::ACTION_MONITOR:
      return ":monitor";
    case pb::ACTION_RESUME_INTERVENTION:
      return ":resumeIntervention";
    case pb::ACTION_RECORD_SERVICE:
      return ":recordService";
    case pb::ACTION_REFER:
      return ":refer";
    case pb::ACTION_UPDATE_REFERRAL:
      return ":updateReferral";
    case pb::ACTION_ANSWER_REFERRAL:
      return ":answerReferral";
    case pb::ACTION_TERMINATE:
      return ":terminate";
    case pb::ACTION_FOLLOW_UP:
      return ":followUp";
    case pb::ACTION_CLOSE:
      return ":close";
    case pb::ACTION_REOPEN:
      return ":reopen";
    case pb::ACTION_ADD_NOTE:
      return "notes";
    case pb::ACTION_RECORD_SESSION:
      return ":recordSession";
    case pb::ACTION_RECORD_AGREEMENT:
      return ":recordAgreement";
    case pb::ACTION_SUBJECT_ARCHIVED:
      return "subject archived";
    default:
      return absl::StrCat("action ", static_cast<int>(step));
  }
}

absl::StatusOr<CaseStatus> StatusAfter(CaseStatus status, CaseActionType step) {
  CaseStatus after = Transition(status, step);
  if (after != kNoStatus) return after;
  std::vector<std::string> names;
  for (CaseActionType allowed : AllowedSteps(status)) names.push_back(StepName(allowed));
  return absl::FailedPreconditionError(absl::StrCat(
      "status: the case is ", pb::CaseStatus_Name(status), "; ", StepName(step),
      " is not allowed, allowed steps: ", names.empty() ? "none" : absl::StrJoin(names, ", ")));
}

}  // namespace wahana
