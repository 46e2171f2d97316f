#include "case/case_actions.h"

#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include <vector>

namespace wahana {
namespace {

namespace pb = wahana::cases::v1;
using google::protobuf::util::TimeUtil;

class CaseActionsTest : public ::testing::Test {
 protected:
  pb::CaseAction Next(pb::CaseActionType type) {
    pb::CaseAction a;
    a.set_sequence(static_cast<int64_t>(log_.size()) + 1);
    a.set_type(type);
    a.set_actor("operator-1");
    *a.mutable_time() = TimeUtil::SecondsToTimestamp(1767225600 + 60 * a.sequence());
    return a;
  }
  // Applies `a` to the current case and logs it; returns the status.
  absl::Status Do(const pb::CaseAction& a) {
    absl::StatusOr<pb::Case> next = ApplyAction(case_, a);
    if (!next.ok()) return next.status();
    case_ = *next;
    log_.push_back(a);
    return absl::OkStatus();
  }
  void Open(pb::CaseKind kind = pb::INDIVIDUAL) {
    pb::CaseAction a = Next(pb::ACTION_CREATE);
    pb::Case* intake = a.mutable_intake();
    intake->set_id("01JCASE0000000000000000001");
    intake->set_number("16.06-2026-000001");
    intake->set_kind(kind);
    intake->set_category(wahana::common::v1::ANAK_TELANTAR);
    intake->set_village_code("16.06.01.2001");
    intake->set_summary("s");
    ASSERT_TRUE(Do(a).ok());
  }

  pb::Case case_;
  std::vector<pb::CaseAction> log_;
};

TEST_F(CaseActionsTest, CreateMakesAnIntakeCaseAtVersionOne) {
  Open();
  EXPECT_EQ(case_.status(), pb::INTAKE);
  EXPECT_EQ(case_.etag(), "1");
  EXPECT_EQ(case_.number(), "16.06-2026-000001");
  EXPECT_EQ(case_.create_time().seconds(), log_[0].time().seconds());
  EXPECT_EQ(case_.update_time().seconds(), log_[0].time().seconds());
}

TEST_F(CaseActionsTest, EachStepAppliesItsContent) {
  Open();
  pb::CaseAction assign = Next(pb::ACTION_ASSIGN);
  assign.set_worker_id("W1");
  ASSERT_TRUE(Do(assign).ok());
  EXPECT_EQ(case_.assignee_worker_id(), "W1");

  pb::CaseAction assess = Next(pb::ACTION_ASSESS);
  assess.mutable_assessment()->set_risk_score(70);
  assess.mutable_assessment()->set_confirmed_category(wahana::common::v1::ANAK_JALANAN);
  ASSERT_TRUE(Do(assess).ok());
  EXPECT_EQ(case_.assessment().risk_score(), 70);
  EXPECT_EQ(case_.category(), wahana::common::v1::ANAK_JALANAN);

  pb::CaseAction plan = Next(pb::ACTION_PLAN);
  plan.add_goals()->set_goal("akta kelahiran");
  ASSERT_TRUE(Do(plan).ok());
  ASSERT_TRUE(Do(Next(pb::ACTION_PLAN)).ok());
  EXPECT_EQ(case_.plan().version(), 2) << "plans are versioned";
  ASSERT_TRUE(Do(Next(pb::ACTION_APPROVE_PLAN)).ok());
  EXPECT_TRUE(case_.plan().approved());
  EXPECT_EQ(case_.plan().approved_by(), "operator-1");
  EXPECT_EQ(case_.status(), pb::INTERVENTION);

  pb::CaseAction refer = Next(pb::ACTION_REFER);
  refer.mutable_referral()->set_target(pb::REFERRAL_PROVINCE);
  ASSERT_TRUE(Do(refer).ok());
  EXPECT_EQ(case_.referrals(0).number(), 1);
  EXPECT_EQ(case_.referrals(0).status(), pb::REFERRAL_SENT);

  pb::CaseAction complete = Next(pb::ACTION_UPDATE_REFERRAL);
  complete.mutable_referral()->set_number(1);
  complete.mutable_referral()->set_status(pb::REFERRAL_COMPLETED);
  EXPECT_EQ(ApplyAction(case_, complete).status().code(), absl::StatusCode::kFailedPrecondition)
      << "SENT cannot become COMPLETED";
  complete.mutable_referral()->set_number(2);
  EXPECT_EQ(ApplyAction(case_, complete).status().code(), absl::StatusCode::kInvalidArgument);
  pb::CaseAction accept = Next(pb::ACTION_UPDATE_REFERRAL);
  accept.mutable_referral()->set_number(1);
  accept.mutable_referral()->set_status(pb::REFERRAL_ACCEPTED);
  ASSERT_TRUE(Do(accept).ok());
  EXPECT_EQ(case_.referrals(0).status(), pb::REFERRAL_ACCEPTED);

  pb::CaseAction terminate = Next(pb::ACTION_TERMINATE);
  terminate.set_termination_reason(pb::GOAL_REACHED);
  ASSERT_TRUE(Do(terminate).ok());
  ASSERT_TRUE(Do(Next(pb::ACTION_CLOSE)).ok());
  ASSERT_TRUE(Do(Next(pb::ACTION_REOPEN)).ok());
  EXPECT_EQ(case_.status(), pb::ASSESSMENT);
  EXPECT_EQ(case_.reopen_count(), 1);
  EXPECT_EQ(case_.termination_reason(), pb::TERMINATION_REASON_UNSPECIFIED);
  EXPECT_EQ(case_.etag(), std::to_string(log_.size()));
}

TEST_F(CaseActionsTest, FoldingTheLogRebuildsTheCase) {
  Open(pb::SOCIAL_CONFLICT);
  pb::CaseAction session = Next(pb::ACTION_RECORD_SESSION);
  session.mutable_session()->set_date("2026-02-01");
  session.set_mediator_worker_id("W2");
  ASSERT_TRUE(Do(session).ok());
  pb::CaseAction note = Next(pb::ACTION_ADD_NOTE);
  note.mutable_note()->set_text("rahasia");
  note.mutable_note()->set_confidential(true);
  ASSERT_TRUE(Do(note).ok());
  pb::CaseAction agreement = Next(pb::ACTION_RECORD_AGREEMENT);
  agreement.set_agreement("batas lahan disepakati");
  ASSERT_TRUE(Do(agreement).ok());

  absl::StatusOr<pb::Case> folded = FoldActions(log_);
  ASSERT_TRUE(folded.ok()) << folded.status();
  EXPECT_EQ(folded->SerializeAsString(), case_.SerializeAsString());
  EXPECT_EQ(case_.mediation().mediator_worker_id(), "W2");
  EXPECT_EQ(case_.note_count(), 1);
  EXPECT_TRUE(PublicAction(note).note().text().empty());
  EXPECT_TRUE(PublicAction(note).note().confidential());
}

TEST_F(CaseActionsTest, MediationIsForSocialConflictsOnly) {
  Open(pb::INDIVIDUAL);
  pb::CaseAction session = Next(pb::ACTION_RECORD_SESSION);
  absl::Status status = ApplyAction(case_, session).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.message().rfind("kind:", 0), 0u) << status;
}

TEST_F(CaseActionsTest, AnActionOutOfSequenceIsInternal) {
  Open();
  pb::CaseAction skip = Next(pb::ACTION_ASSESS);
  skip.set_sequence(3);
  EXPECT_EQ(ApplyAction(case_, skip).status().code(), absl::StatusCode::kInternal);
  skip.set_sequence(1);
  EXPECT_EQ(ApplyAction(case_, skip).status().code(), absl::StatusCode::kInternal);
}

TEST_F(CaseActionsTest, AStepFromTheWrongStatusIsRefused) {
  Open();
  EXPECT_EQ(ApplyAction(case_, Next(pb::ACTION_CLOSE)).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace wahana
