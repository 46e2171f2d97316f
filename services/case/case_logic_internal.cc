#include "case/case_logic_internal.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "case/case_actions.h"
#include "case/case_state_machine.h"
#include "common/bus/envelope.h"
#include "common/resource/read_for_change.h"
#include "common/storage/record_requests.h"
#include "common/time/timestamp.h"

namespace wahana {
namespace case_internal {
namespace {

namespace pb = wahana::cases::v1;
using pb::Case;
using pb::CaseAction;

std::string WhatOf(const std::string& id) { return absl::StrCat(kKind, " ", id); }

}  // namespace

absl::Status CheckRefId(const std::string& value, absl::string_view field, bool required) {
  return required ? CheckName(value, field, CaseLogic::kMaxBeneficiaryIdBytes)
                  : CheckLine(value, field, CaseLogic::kMaxBeneficiaryIdBytes);
}

absl::Status ArchivedError(absl::string_view field, absl::string_view what, const std::string& id) {
  return absl::FailedPreconditionError(
      absl::StrCat(field, ": ", what, " ", id, " is archived in the registry"));
}

pb::CaseChanged ChangeOf(const Case& before, const Case& after, const CaseAction& action) {
  pb::CaseChanged changed;
  *changed.mutable_case_() = after;
  *changed.mutable_action() = PublicAction(action);
  changed.set_status_before(before.status());
  changed.set_status_after(after.status());
  changed.set_category_before(before.category());
  changed.set_category_after(after.category());
  return changed;
}

Resource ResourceOfSubject(SubjectKind kind) {
  switch (kind) {
    case SubjectKind::kBeneficiary:
      return Resource::kBeneficiary;
    case SubjectKind::kHousehold:
      return Resource::kHousehold;
    case SubjectKind::kInstitution:
      return Resource::kInstitution;
    case SubjectKind::kWorker:
      return Resource::kWorker;
  }
  return Resource::kBeneficiary;
}

Resource ResourceOf(const Case& c) {
  for (const pb::Referral& r : c.referrals()) {
    if (r.target() == pb::REFERRAL_PROVINCE) return Resource::kReferredCase;
  }
  return Resource::kCase;
}

CaseLogicPart::CaseLogicPart(const CaseLogicDeps& deps)
    : region_(deps.region),
      store_(deps.store),
      regions_(deps.regions),
      registry_(deps.registry),
      known_(deps.known),
      options_(deps.options),
      now_(deps.now),
      ids_(*deps.ids),
      calendar_(deps.calendar),
      events_(deps.events) {}

absl::Status CaseLogicPart::CheckRead(const Principal& caller, const Case& c) {
  return CheckRecordAccess(caller, ResourceOf(c), Action::kRead, c.village_code(), WhatOf(c.id()));
}

absl::Status CaseLogicPart::CheckWrite(const Principal& caller, const Case& c, Action action) {
  // A case the caller cannot even read stays invisible: NOT_FOUND, as for an unknown id.
  WAHANA_RETURN_IF_ERROR(CheckRead(caller, c));
  return CheckRecordAccess(caller, ResourceOf(c), action, c.village_code(), WhatOf(c.id()));
}

absl::StatusOr<Step> StepOf(pb::CaseActionType type) {
  switch (type) {
    case pb::ACTION_ASSIGN:
      return Step::kCaseAssign;
    case pb::ACTION_ASSESS:
      return Step::kCaseAssess;
    case pb::ACTION_PLAN:
      return Step::kCasePlan;
    case pb::ACTION_APPROVE_PLAN:
      return Step::kCaseApprovePlan;
    case pb::ACTION_MONITOR:
      return Step::kCaseMonitor;
    case pb::ACTION_RESUME_INTERVENTION:
      return Step::kCaseResumeIntervention;
    case pb::ACTION_RECORD_SERVICE:
      return Step::kCaseRecordService;
    case pb::ACTION_REFER:
      return Step::kCaseRefer;
    case pb::ACTION_UPDATE_REFERRAL:
      return Step::kCaseUpdateReferral;
    case pb::ACTION_ANSWER_REFERRAL:
      return Step::kCaseAnswerReferral;
    case pb::ACTION_TERMINATE:
      return Step::kCaseTerminate;
    case pb::ACTION_FOLLOW_UP:
      return Step::kCaseFollowUp;
    case pb::ACTION_CLOSE:
      return Step::kCaseClose;
    case pb::ACTION_REOPEN:
      return Step::kCaseReopen;
    case pb::ACTION_ADD_NOTE:
      return Step::kCaseAddNote;
    case pb::ACTION_RECORD_SESSION:
      return Step::kCaseRecordSession;
    case pb::ACTION_RECORD_AGREEMENT:
      return Step::kCaseRecordAgreement;
    default:
      return absl::InternalError(
          absl::StrCat(pb::CaseActionType_Name(type), " is not a client's step"));
  }
}

absl::Status CaseLogicPart::CheckStep(const Principal& caller, const Case& c, Step step,
                                      bool share_earlier_notes) {
  WAHANA_RETURN_IF_ERROR(CheckStepAccess(caller, step, ResourceOf(c), c.village_code(),
                                         c.assignee_worker_id(), WhatOf(c.id())));
  if (!share_earlier_notes) return absl::OkStatus();
  return CheckStepAccess(caller, Step::kCaseShareEarlierNotes, ResourceOf(c), c.village_code(),
                         c.assignee_worker_id(), WhatOf(c.id()));
}

Case CaseLogicPart::ForCaller(const Principal& caller, Case c) {
  if (!SeesPersonalData(caller, ResourceOf(c))) {
    // Who reported is personal data (and protects the reporter): the kind stays.
    c.mutable_reporter()->clear_name();
    c.mutable_reporter()->clear_contact();
  }
  return c;
}

absl::StatusOr<Case> CaseLogicPart::WriteChange(const Case& current, CaseAction action,
                                                const std::string& actor) {
  WAHANA_ASSIGN_OR_RETURN(int64_t version, [&]() -> absl::StatusOr<int64_t> {
    std::optional<int64_t> v = VersionOfEtag(current.etag());
    if (!v) return absl::InternalError(absl::StrCat("case ", current.id(), " has no version"));
    return *v;
  }());
  action.set_sequence(version + 1);
  action.set_actor(actor);
  // The history shows the referral as it was made (ApplyAction numbers it the same way).
  if (action.type() == pb::ACTION_REFER) {
    action.mutable_referral()->set_number(current.referrals_size() + 1);
  }
  *action.mutable_time() = TimestampOf(now_());
  WAHANA_ASSIGN_OR_RETURN(Case updated, ApplyAction(current, action));
  return store_->Append(
      updated, action, current.etag(),
      MakeEnvelope(ChangeOf(current, updated, action),
                   ChangedFacts(region_, updated.id(), action.sequence(), updated.village_code())));
}

absl::StatusOr<Case> CaseLogicPart::ChangeCase(
    const Principal& caller, const std::string& id, const std::string& etag, CaseAction action,
    const std::function<absl::Status(const Case&)>& check) {
  WAHANA_RETURN_IF_ERROR(CheckText(action.reason(), "reason", kMaxTextBytes));
  WAHANA_ASSIGN_OR_RETURN(const Step step, StepOf(action.type()));
  WAHANA_ASSIGN_OR_RETURN(Case current,
                          ReadForChange<Case>(*store_, id, etag, kKind, kAKind, [&](const Case& c) {
                            return CheckStep(caller, c, step, action.share_earlier_notes());
                          }));
  WAHANA_RETURN_IF_ERROR(StatusAfter(current.status(), action.type()).status());
  if (check) WAHANA_RETURN_IF_ERROR(check(current));
  WAHANA_ASSIGN_OR_RETURN(Case updated, WriteChange(current, std::move(action), caller.subject));
  return ForCaller(caller, std::move(updated));
}

}  // namespace case_internal
}  // namespace wahana
