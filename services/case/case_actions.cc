#include "case/case_actions.h"

#include "absl/strings/str_cat.h"
#include "case/case_state_machine.h"
#include "common/status/status_macros.h"
#include "common/storage/record_store.h"

namespace wahana {
namespace {

namespace pb = wahana::cases::v1;
using pb::Case;
using pb::CaseAction;

int64_t VersionOf(const Case& c) {
  if (c.etag().empty()) return 0;  // not created yet
  return VersionOfEtag(c.etag()).value_or(-1);
}

// A referral's life, whoever answers it (the agency's answer recorded by the district, or the
// province answering the referral its case was opened from): SENT -> ACCEPTED | REJECTED,
// ACCEPTED -> COMPLETED.
absl::Status CheckReferralMove(int number, pb::ReferralStatus from, pb::ReferralStatus to) {
  if (from == pb::REFERRAL_STATUS_UNSPECIFIED) from = pb::REFERRAL_SENT;  // kept before statuses
  const bool allowed =
      (from == pb::REFERRAL_SENT && (to == pb::REFERRAL_ACCEPTED || to == pb::REFERRAL_REJECTED)) ||
      (from == pb::REFERRAL_ACCEPTED && to == pb::REFERRAL_COMPLETED);
  if (allowed) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "status: referral ", number, " is ", pb::ReferralStatus_Name(from), "; it can become ",
      from == pb::REFERRAL_SENT       ? "REFERRAL_ACCEPTED or REFERRAL_REJECTED"
      : from == pb::REFERRAL_ACCEPTED ? "REFERRAL_COMPLETED"
                                      : "nothing else",
      ", not ", pb::ReferralStatus_Name(to)));
}

absl::Status AnswerReferral(const CaseAction& action, Case& c) {
  const pb::Referral& answer = action.referral();
  for (pb::Referral& referral : *c.mutable_referrals()) {
    if (referral.number() != answer.number()) continue;
    WAHANA_RETURN_IF_ERROR(
        CheckReferralMove(referral.number(), referral.status(), answer.status()));
    referral.set_status(answer.status());
    referral.set_answer(answer.answer());
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat("referralNumber: the case has no referral ",
                                                 answer.number(), " (it has ", c.referrals_size(),
                                                 ")"));
}

absl::Status AnswerReferredFrom(const CaseAction& action, Case& c) {
  if (!c.has_referred_from()) {
    return absl::FailedPreconditionError(
        "referredFrom: this case was not opened from a district's referral; :answerReferral "
        "answers one");
  }
  pb::ReferredFrom& from = *c.mutable_referred_from();
  WAHANA_RETURN_IF_ERROR(
      CheckReferralMove(from.referral_number(), from.status(), action.referral().status()));
  from.set_status(action.referral().status());
  from.set_answer(action.referral().answer());
  return absl::OkStatus();
}

absl::Status RequireConflict(const Case& c, const CaseAction& action) {
  if (c.kind() == pb::SOCIAL_CONFLICT) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat("kind: ", StepName(action.type()),
                                                    " is for SOCIAL_CONFLICT cases; this case is ",
                                                    pb::CaseKind_Name(c.kind())));
}

}  // namespace

absl::StatusOr<Case> ApplyAction(const Case& before, const CaseAction& action) {
  const int64_t version = VersionOf(before);
  if (version < 0 || action.sequence() != version + 1) {
    return absl::InternalError(absl::StrCat("case ", before.id(), " is at version ", version,
                                            "; action ", action.sequence(), " cannot follow"));
  }
  WAHANA_ASSIGN_OR_RETURN(pb::CaseStatus after, StatusAfter(before.status(), action.type()));

  Case c = action.type() == pb::ACTION_CREATE ? action.intake() : before;
  switch (action.type()) {
    case pb::ACTION_CREATE:
      *c.mutable_create_time() = action.time();
      break;
    case pb::ACTION_ASSIGN:
      // A new assignee reads the confidential notes written from this action on, the earlier
      // ones only when the assign opened them (access_policy.h SeesConfidentialNote). The same
      // assignee again keeps what it read.
      if (action.share_earlier_notes()) {
        c.set_assignee_notes_from(0);
      } else if (action.worker_id() != before.assignee_worker_id()) {
        c.set_assignee_notes_from(action.sequence());
      }
      c.set_assignee_worker_id(action.worker_id());
      break;
    case pb::ACTION_ASSESS:
      *c.mutable_assessment() = action.assessment();
      if (action.assessment().confirmed_category() !=
          wahana::common::v1::PPKS_CATEGORY_UNSPECIFIED) {
        c.set_category(action.assessment().confirmed_category());
      }
      break;
    case pb::ACTION_PLAN: {
      pb::Plan plan;
      plan.set_version(before.plan().version() + 1);
      *plan.mutable_goals() = action.goals();
      *c.mutable_plan() = std::move(plan);
      break;
    }
    case pb::ACTION_APPROVE_PLAN:
      c.mutable_plan()->set_approved(true);
      c.mutable_plan()->set_approved_by(action.actor());
      *c.mutable_plan()->mutable_approve_time() = action.time();
      break;
    case pb::ACTION_RECORD_SERVICE:
      *c.add_services() = action.service();
      break;
    case pb::ACTION_REFER: {
      pb::Referral* referral = c.add_referrals();
      *referral = action.referral();
      referral->set_number(c.referrals_size());
      referral->set_status(pb::REFERRAL_SENT);
      break;
    }
    case pb::ACTION_UPDATE_REFERRAL:
      WAHANA_RETURN_IF_ERROR(AnswerReferral(action, c));
      break;
    case pb::ACTION_ANSWER_REFERRAL:
      WAHANA_RETURN_IF_ERROR(AnswerReferredFrom(action, c));
      break;
    case pb::ACTION_TERMINATE:
      c.set_termination_reason(action.termination_reason());
      break;
    case pb::ACTION_FOLLOW_UP:
      c.set_follow_up_date(action.follow_up_date());
      break;
    case pb::ACTION_REOPEN:
      c.set_reopen_count(c.reopen_count() + 1);
      c.set_termination_reason(pb::TERMINATION_REASON_UNSPECIFIED);
      c.clear_follow_up_date();
      break;
    case pb::ACTION_ADD_NOTE:
      c.set_note_count(c.note_count() + 1);
      break;
    case pb::ACTION_RECORD_SESSION:
      WAHANA_RETURN_IF_ERROR(RequireConflict(c, action));
      *c.mutable_mediation()->add_sessions() = action.session();
      if (!action.mediator_worker_id().empty()) {
        c.mutable_mediation()->set_mediator_worker_id(action.mediator_worker_id());
      }
      break;
    case pb::ACTION_RECORD_AGREEMENT:
      WAHANA_RETURN_IF_ERROR(RequireConflict(c, action));
      c.mutable_mediation()->set_agreement(action.agreement());
      c.mutable_mediation()->set_follow_up_date(action.follow_up_date());
      break;
    case pb::ACTION_SUBJECT_ARCHIVED:
      c.set_subject_archived(true);
      break;
    default:  // :monitor, :resumeIntervention, :close change the status alone
      break;
  }
  c.set_status(after);
  c.set_etag(EtagOf(action.sequence()));
  *c.mutable_update_time() = action.time();
  return c;
}

absl::StatusOr<Case> FoldActions(const std::vector<CaseAction>& actions) {
  Case c;
  for (const CaseAction& action : actions) {
    WAHANA_ASSIGN_OR_RETURN(c, ApplyAction(c, action));
  }
  return c;
}

CaseAction PublicAction(const CaseAction& action) {
  CaseAction out = action;
  if (out.note().confidential()) out.mutable_note()->clear_text();
  return out;
}

}  // namespace wahana
