#include "case/case_state_machine.h"

#include <gtest/gtest.h>

namespace wahana {
namespace {

namespace pb = wahana::cases::v1;

pb::CaseStatus After(pb::CaseStatus from, pb::CaseActionType step) {
  absl::StatusOr<pb::CaseStatus> after = StatusAfter(from, step);
  EXPECT_TRUE(after.ok()) << after.status();
  return after.value_or(pb::CASE_STATUS_UNSPECIFIED);
}

TEST(CaseStateMachineTest, TheMainPathOfTheIssue) {
  EXPECT_EQ(After(pb::CASE_STATUS_UNSPECIFIED, pb::ACTION_CREATE), pb::INTAKE);
  EXPECT_EQ(After(pb::INTAKE, pb::ACTION_ASSESS), pb::ASSESSMENT);
  EXPECT_EQ(After(pb::ASSESSMENT, pb::ACTION_ASSESS), pb::ASSESSMENT);
  EXPECT_EQ(After(pb::ASSESSMENT, pb::ACTION_PLAN), pb::PLANNING);
  EXPECT_EQ(After(pb::PLANNING, pb::ACTION_PLAN), pb::PLANNING);
  EXPECT_EQ(After(pb::PLANNING, pb::ACTION_APPROVE_PLAN), pb::INTERVENTION);
  EXPECT_EQ(After(pb::INTERVENTION, pb::ACTION_MONITOR), pb::MONITORING);
  EXPECT_EQ(After(pb::MONITORING, pb::ACTION_RESUME_INTERVENTION), pb::INTERVENTION);
  EXPECT_EQ(After(pb::INTERVENTION, pb::ACTION_RECORD_SERVICE), pb::INTERVENTION);
  EXPECT_EQ(After(pb::MONITORING, pb::ACTION_RECORD_SERVICE), pb::MONITORING);
  EXPECT_EQ(After(pb::MONITORING, pb::ACTION_TERMINATE), pb::TERMINATED);
  EXPECT_EQ(After(pb::TERMINATED, pb::ACTION_FOLLOW_UP), pb::FOLLOW_UP);
  EXPECT_EQ(After(pb::FOLLOW_UP, pb::ACTION_CLOSE), pb::CLOSED);
  EXPECT_EQ(After(pb::TERMINATED, pb::ACTION_CLOSE), pb::CLOSED);
  EXPECT_EQ(After(pb::CLOSED, pb::ACTION_REOPEN), pb::ASSESSMENT);
}

TEST(CaseStateMachineTest, TerminateFromAnyOpenStageAfterIntake) {
  EXPECT_FALSE(StatusAfter(pb::INTAKE, pb::ACTION_TERMINATE).ok());
  for (pb::CaseStatus s : {pb::ASSESSMENT, pb::PLANNING, pb::INTERVENTION, pb::MONITORING}) {
    EXPECT_EQ(After(s, pb::ACTION_TERMINATE), pb::TERMINATED) << pb::CaseStatus_Name(s);
  }
}

TEST(CaseStateMachineTest, AssignReferAndNotesKeepTheStatusInOpenStages) {
  for (pb::CaseStatus s :
       {pb::INTAKE, pb::ASSESSMENT, pb::PLANNING, pb::INTERVENTION, pb::MONITORING}) {
    for (pb::CaseActionType step : {pb::ACTION_ASSIGN, pb::ACTION_REFER, pb::ACTION_ADD_NOTE}) {
      EXPECT_EQ(After(s, step), s) << pb::CaseStatus_Name(s) << " " << StepName(step);
    }
  }
  for (pb::CaseActionType step : {pb::ACTION_ASSIGN, pb::ACTION_REFER}) {
    EXPECT_FALSE(StatusAfter(pb::TERMINATED, step).ok());
    EXPECT_FALSE(StatusAfter(pb::CLOSED, step).ok());
  }
  EXPECT_FALSE(StatusAfter(pb::CLOSED, pb::ACTION_ADD_NOTE).ok());
}

TEST(CaseStateMachineTest, ARefusedStepIsFailedPreconditionListingTheAllowedSteps) {
  absl::StatusOr<pb::CaseStatus> after = StatusAfter(pb::TERMINATED, pb::ACTION_ASSESS);
  ASSERT_EQ(after.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(after.status().message(),
            "status: the case is TERMINATED; :assess is not allowed, allowed steps: "
            ":updateReferral, :followUp, :close, notes, :answerReferral");
  EXPECT_EQ(StatusAfter(pb::CLOSED, pb::ACTION_CLOSE).status().message(),
            "status: the case is CLOSED; :close is not allowed, allowed steps: :updateReferral, "
            ":reopen, :answerReferral");
}

TEST(CaseStateMachineTest, AReferralsAnswerIsRecordedInEveryStatusWithoutMovingIt) {
  for (int s = 1; s <= 8; ++s) {
    auto status = static_cast<pb::CaseStatus>(s);
    EXPECT_EQ(After(status, pb::ACTION_UPDATE_REFERRAL), status) << pb::CaseStatus_Name(status);
    EXPECT_EQ(After(status, pb::ACTION_ANSWER_REFERRAL), status) << pb::CaseStatus_Name(status);
  }
}

TEST(CaseStateMachineTest, CreateOnlyOnceAndNothingFromAnUnknownStatus) {
  for (int s = 1; s <= 8; ++s) {
    EXPECT_FALSE(StatusAfter(static_cast<pb::CaseStatus>(s), pb::ACTION_CREATE).ok());
  }
  EXPECT_TRUE(AllowedSteps(pb::CASE_STATUS_UNSPECIFIED).empty());
  EXPECT_FALSE(StatusAfter(pb::INTAKE, pb::CASE_ACTION_TYPE_UNSPECIFIED).ok());
}

TEST(CaseStateMachineTest, EveryStatusAfterIntakeCanBeLeft) {
  // No dead end: from every status some step changes it (CLOSED only by :reopen).
  for (int s = 1; s <= 8; ++s) {
    auto status = static_cast<pb::CaseStatus>(s);
    bool leaves = false;
    for (pb::CaseActionType step : AllowedSteps(status)) {
      leaves = leaves || After(status, step) != status;
    }
    EXPECT_TRUE(leaves) << pb::CaseStatus_Name(status);
  }
}

}  // namespace
}  // namespace wahana
