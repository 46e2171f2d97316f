#include "common/auth/access_policy.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "common/auth/reference_access.h"

namespace wahana {
namespace {

Principal Of(Role role, std::string scope) {
  Principal p;
  p.subject = "apikey:test";
  p.role = role;
  p.region_scope = std::move(scope);
  return p;
}

TEST(AccessPolicyTest, AReadOutsideTheScopeLooksLikeAMissingRecord) {
  const Principal worker = Of(Role::kFieldWorker, "16.06.01");
  EXPECT_TRUE(CheckRecordAccess(worker, Resource::kBeneficiary, Action::kRead, "16.06.01.2001",
                                "beneficiary B1")
                  .ok());
  absl::Status outside = CheckRecordAccess(worker, Resource::kBeneficiary, Action::kRead,
                                           "16.06.02.2001", "beneficiary B1");
  EXPECT_EQ(outside.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(outside.message(), "beneficiary B1 not found");
  // "16.06.01" does not cover "16.06.010…" look-alikes.
  EXPECT_EQ(CheckRecordAccess(worker, Resource::kBeneficiary, Action::kRead, "16.06.011",
                              "beneficiary B1")
                .code(),
            absl::StatusCode::kNotFound);
}

TEST(AccessPolicyTest, AReferenceToARecordTheCallerCannotReadIsAnUnknownId) {
  const Principal operator_01 = Of(Role::kOperator, "16.06.01");
  EXPECT_TRUE(
      CheckReference(operator_01, Resource::kBeneficiary, "16.06.01.2001", "beneficiaryId", "B1")
          .ok());
  const absl::Status outside =
      CheckReference(operator_01, Resource::kBeneficiary, "16.06.02.2001", "beneficiaryId", "B1");
  const absl::Status unknown = ReferenceNotFound("beneficiaryId", Resource::kBeneficiary, "B1");
  EXPECT_EQ(outside.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(outside.message(), "beneficiaryId: beneficiary B1 not found");
  EXPECT_EQ(outside, unknown);
  // A role that may not read the kind at all cannot name its records either.
  EXPECT_EQ(CheckReference(Of(Role::kProvinceViewer, "16"), Resource::kWorker, "16.06.01",
                           "workerId", "W1"),
            ReferenceNotFound("workerId", Resource::kWorker, "W1"));
}

TEST(AccessPolicyTest, AWriteOutsideTheScopeOrAboveTheRoleIsForbidden) {
  const Principal worker = Of(Role::kFieldWorker, "16.06.01");
  absl::Status outside =
      CheckRecordAccess(worker, Resource::kCase, Action::kUpdate, "16.06.02.2001", "case C1");
  EXPECT_EQ(outside.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(outside.message().find("outside your region scope 16.06.01"), absl::string_view::npos);
  absl::Status archive = CheckRecordAccess(worker, Resource::kBeneficiary, Action::kArchive,
                                           "16.06.01.2001", "beneficiary B1");
  EXPECT_EQ(archive.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(archive.message(), "role FIELD_WORKER may not archive a beneficiary");
  EXPECT_EQ(CheckRecordAccess(Of(Role::kViewer, "16.06"), Resource::kCase, Action::kCreate,
                              "16.06.01.2001", "case")
                .code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(AccessPolicyTest, AWriteOfARecordTheCallerCannotReadLooksLikeAMissingRecord) {
  const Principal worker = Of(Role::kFieldWorker, "16.06.01");
  EXPECT_TRUE(CheckWriteAccess(worker, Resource::kBeneficiary, Action::kUpdate, "16.06.01.2001",
                               "beneficiary B1")
                  .ok());
  absl::Status outside = CheckWriteAccess(worker, Resource::kBeneficiary, Action::kUpdate,
                                          "16.06.02.2001", "beneficiary B1");
  EXPECT_EQ(outside.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(outside.message(), "beneficiary B1 not found");
  // Readable but not the role's to change: 403.
  absl::Status archive = CheckWriteAccess(worker, Resource::kBeneficiary, Action::kArchive,
                                          "16.06.01.2001", "beneficiary B1");
  EXPECT_EQ(archive.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CheckWriteAccess(Of(Role::kViewer, "16.06"), Resource::kInstitution, Action::kUpdate,
                             "16.06.01.2001", "institution I1")
                .code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(AccessPolicyTest, TheProvinceSeesOnlyCasesReferredToIt) {
  const Principal province = Of(Role::kProvinceViewer, "16");
  EXPECT_EQ(CheckRecordAccess(province, Resource::kCase, Action::kRead, "16.06.01.2001", "case C1")
                .code(),
            absl::StatusCode::kNotFound);
  EXPECT_TRUE(CheckRecordAccess(province, Resource::kReferredCase, Action::kRead, "16.06.01.2001",
                                "case C1")
                  .ok());
  EXPECT_EQ(CheckRecordAccess(province, Resource::kBeneficiary, Action::kRead, "16.06.01.2001",
                              "beneficiary B1")
                .code(),
            absl::StatusCode::kNotFound);
  EXPECT_TRUE(RoleAllows(Role::kProvinceViewer, Resource::kReport, Action::kRead));
  EXPECT_TRUE(SeesPersonalData(province, Resource::kReferredCase));
  EXPECT_FALSE(SeesPersonalData(province, Resource::kBeneficiary));
}

TEST(AccessPolicyTest, OnlyAdminsManageKeysAndOnlySupervisorsApprove) {
  for (Role role : {Role::kSupervisor, Role::kOperator, Role::kFieldWorker, Role::kViewer,
                    Role::kProvinceViewer, Role::kSystem}) {
    EXPECT_FALSE(RoleAllows(role, Resource::kApiKey, Action::kCreate)) << RoleName(role);
    EXPECT_FALSE(RoleAllows(role, Resource::kApiKey, Action::kRead)) << RoleName(role);
  }
  EXPECT_TRUE(RoleAllows(Role::kAdmin, Resource::kApiKey, Action::kArchive));
  EXPECT_TRUE(RoleAllows(Role::kSupervisor, Resource::kCase, Action::kApprove));
  EXPECT_FALSE(RoleAllows(Role::kOperator, Resource::kCase, Action::kApprove));
  EXPECT_TRUE(RoleAllows(Role::kSupervisor, Resource::kAudit, Action::kRead));
  EXPECT_FALSE(RoleAllows(Role::kOperator, Resource::kAudit, Action::kRead));
  // Services are SYSTEM: the registry's personal-data export reads the case service's trail.
  EXPECT_TRUE(RoleAllows(Role::kSystem, Resource::kAudit, Action::kRead));
  EXPECT_FALSE(RoleAllows(Role::kViewer, Resource::kAudit, Action::kRead));
}

TEST(AccessPolicyTest, ListsNarrowToTheScopeAndRefuseDisjointRegions) {
  const Principal worker = Of(Role::kFieldWorker, "16.06.01");
  EXPECT_EQ(*ScopeListRegion(worker, Resource::kBeneficiary, "", "region"), "16.06.01");
  EXPECT_EQ(*ScopeListRegion(worker, Resource::kBeneficiary, "16.06", "region"), "16.06.01");
  EXPECT_EQ(*ScopeListRegion(worker, Resource::kBeneficiary, "16.06.01.2001", "region"),
            "16.06.01.2001");
  auto disjoint = ScopeListRegion(worker, Resource::kBeneficiary, "16.06.02", "region");
  EXPECT_EQ(disjoint.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(disjoint.status().message().find("region: \"16.06.02\""), absl::string_view::npos);
  // Outside the deployment too (a registry list said 400 "outside this deployment" before: the
  // rule for a disjoint region is this one, for every list).
  EXPECT_EQ(ScopeListRegion(worker, Resource::kInstitution, "16.07", "region").status().code(),
            absl::StatusCode::kPermissionDenied);
  // A malformed code is the caller's mistake, whatever the scope: 400 naming the field.
  auto malformed = ScopeListRegion(worker, Resource::kBeneficiary, "16.6x", "region");
  EXPECT_EQ(malformed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(malformed.status().message().find("region"), absl::string_view::npos);
  EXPECT_EQ(ScopeListRegion(Of(Role::kProvinceViewer, "16"), Resource::kBeneficiary, "", "region")
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(AccessPolicyTest, ViewersGetPersonalDataMasked) {
  EXPECT_FALSE(SeesPersonalData(Of(Role::kViewer, "16.06"), Resource::kBeneficiary));
  EXPECT_TRUE(SeesPersonalData(Of(Role::kFieldWorker, "16.06.01"), Resource::kBeneficiary));
  EXPECT_TRUE(SeesPersonalData(Of(Role::kSystem, "16.06"), Resource::kBeneficiary));
}

constexpr char kAssignee[] = "01JD8X6Q0W3G7M2K9V5T4R1N8B";
constexpr char kOther[] = "01JD8X6Q0W3G7M2K9V5T4R1N8C";

Principal WorkerOf(absl::string_view worker_id) {
  Principal p = Of(Role::kFieldWorker, "16.06.01");
  p.worker_id = std::string(worker_id);
  return p;
}

TEST(AccessPolicyTest, OnlyAdminsAndSupervisorsReadConfidentialNotes) {
  // Of an unassigned case: no worker is its assignee.
  EXPECT_TRUE(SeesConfidentialNote(Of(Role::kAdmin, "16.06"), "", 0, 3));
  EXPECT_TRUE(SeesConfidentialNote(Of(Role::kSupervisor, "16.06"), "", 0, 3));
  for (Role role :
       {Role::kOperator, Role::kFieldWorker, Role::kViewer, Role::kProvinceViewer, Role::kSystem}) {
    EXPECT_FALSE(SeesConfidentialNote(Of(role, "16.06"), "", 0, 3)) << RoleName(role);
  }
}

TEST(AccessPolicyTest, TheAssignedWorkerReadsTheConfidentialNotesOfItsAssignment) {
  const Principal assigned = WorkerOf(kAssignee);
  // Assigned at version 5: the notes from 5 on are its own assignment's.
  EXPECT_TRUE(SeesConfidentialNote(assigned, kAssignee, 5, 5));
  EXPECT_TRUE(SeesConfidentialNote(assigned, kAssignee, 5, 9));
  // A note written before the :assign, under another assignee or none, stays closed...
  EXPECT_FALSE(SeesConfidentialNote(assigned, kAssignee, 5, 4));
  EXPECT_FALSE(SeesConfidentialNote(assigned, kAssignee, 5, 2));
  // ...unless the :assign opened the earlier notes (0).
  EXPECT_TRUE(SeesConfidentialNote(assigned, kAssignee, 0, 2));
  // Another worker's case (a former assignee included), or an unassigned one.
  EXPECT_FALSE(SeesConfidentialNote(assigned, kOther, 0, 2));
  EXPECT_FALSE(SeesConfidentialNote(assigned, "", 0, 2));
  // A FIELD_WORKER with no link is nobody's assignee, not even an unassigned case's.
  EXPECT_FALSE(SeesConfidentialNote(Of(Role::kFieldWorker, "16.06.01"), kAssignee, 0, 2));
  EXPECT_FALSE(SeesConfidentialNote(Of(Role::kFieldWorker, "16.06.01"), "", 0, 2));
  // ADMIN and SUPERVISOR read every note, whoever the assignee, whenever it was written.
  EXPECT_TRUE(SeesConfidentialNote(Of(Role::kAdmin, "16.06"), kAssignee, 5, 2));
  EXPECT_TRUE(SeesConfidentialNote(Of(Role::kSupervisor, "16.06"), kOther, 5, 2));
  // The link counts for a FIELD_WORKER only (tokens and keys refuse it elsewhere anyway).
  for (Role role : {Role::kOperator, Role::kViewer, Role::kProvinceViewer, Role::kSystem}) {
    Principal p = Of(role, "16.06");
    p.worker_id = kAssignee;
    EXPECT_FALSE(SeesConfidentialNote(p, kAssignee, 0, 2)) << RoleName(role);
  }
}

// The case steps a FIELD_WORKER takes on its own cases; the others are the office's.
const Step kCaseworkSteps[] = {
    Step::kCaseAssess,         Step::kCasePlan,
    Step::kCaseMonitor,        Step::kCaseResumeIntervention,
    Step::kCaseRecordService,  Step::kCaseRefer,
    Step::kCaseUpdateReferral, Step::kCaseTerminate,
    Step::kCaseFollowUp,       Step::kCaseAddNote,
    Step::kCaseRecordSession,  Step::kCaseRecordAgreement,
};
const Step kManagerSteps[] = {Step::kCaseAssign,          Step::kCaseAnswerReferral,
                              Step::kCaseClose,           Step::kCaseReopen,
                              Step::kNetworkAdvance,      Step::kNetworkAddMember,
                              Step::kNetworkRemoveMember, Step::kNetworkRecordVisit};
const Role kReadOnly[] = {Role::kViewer, Role::kProvinceViewer, Role::kSystem};

TEST(AccessPolicyStepTest, EventStepsFollowTheirPurpose) {
  // The office decides to open registration and to cancel; a field worker in the scope runs the
  // event on the ground, so it starts and finishes it.
  for (Step step : {Step::kEventOpen, Step::kEventCancel}) {
    absl::Status refused = CheckStepAccess(Of(Role::kFieldWorker, "16.06.01"), step,
                                           Resource::kEvent, "16.06.01.2001", "", "event E1");
    EXPECT_EQ(refused.code(), absl::StatusCode::kPermissionDenied) << StepName(step);
    EXPECT_EQ(refused.message(), absl::StrCat("role FIELD_WORKER may not take ", StepName(step),
                                              " (ADMIN, SUPERVISOR, OPERATOR may)"));
  }
  for (Step step : {Step::kEventStart, Step::kEventFinish}) {
    EXPECT_TRUE(CheckStepAccess(Of(Role::kFieldWorker, "16.06.01"), step, Resource::kEvent,
                                "16.06.01.2001", "", "event E1")
                    .ok())
        << StepName(step);
    // Outside its scope the event is not there.
    EXPECT_EQ(CheckStepAccess(Of(Role::kFieldWorker, "16.06.02"), step, Resource::kEvent,
                              "16.06.01.2001", "", "event E1")
                  .code(),
              absl::StatusCode::kNotFound);
  }
  for (Step step : {Step::kEventOpen, Step::kEventStart, Step::kEventFinish, Step::kEventCancel}) {
    for (Role role : {Role::kAdmin, Role::kSupervisor, Role::kOperator}) {
      EXPECT_EQ(StepGrantOf(role, step), StepGrant::kInScope) << RoleName(role);
    }
    EXPECT_EQ(CheckStepAccess(Of(Role::kViewer, "16.06"), step, Resource::kEvent, "16.06.01.2001",
                              "", "event E1")
                  .code(),
              absl::StatusCode::kPermissionDenied);
  }
}

TEST(AccessPolicyStepTest, OnlyCaseloadManagersAssign) {
  for (Role role : {Role::kAdmin, Role::kSupervisor, Role::kOperator}) {
    EXPECT_EQ(StepGrantOf(role, Step::kCaseAssign), StepGrant::kInScope) << RoleName(role);
    EXPECT_TRUE(CheckStepAccess(Of(role, "16.06"), Step::kCaseAssign, Resource::kCase,
                                "16.06.01.2001", kOther, "case C1")
                    .ok());
  }
  // The issue: a field worker assigning another worker's case to itself.
  absl::Status refused = CheckStepAccess(WorkerOf(kAssignee), Step::kCaseAssign, Resource::kCase,
                                         "16.06.01.2001", kOther, "case C1");
  EXPECT_EQ(refused.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(refused.message(),
            "role FIELD_WORKER may not take :assign (ADMIN, SUPERVISOR, OPERATOR may)");
  // Not even its own case: assigning is caseload management.
  EXPECT_EQ(CheckStepAccess(WorkerOf(kAssignee), Step::kCaseAssign, Resource::kCase,
                            "16.06.01.2001", kAssignee, "case C1")
                .code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(AccessPolicyStepTest, OnlySupervisorsAndAdminsOpenEarlierNotes) {
  EXPECT_EQ(StepGrantOf(Role::kAdmin, Step::kCaseShareEarlierNotes), StepGrant::kInScope);
  EXPECT_EQ(StepGrantOf(Role::kSupervisor, Step::kCaseShareEarlierNotes), StepGrant::kInScope);
  absl::Status refused = CheckStepAccess(Of(Role::kOperator, "16.06"), Step::kCaseShareEarlierNotes,
                                         Resource::kCase, "16.06.01.2001", "", "case C1");
  EXPECT_EQ(refused.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(refused.message(),
            "role OPERATOR may not take shareEarlierNotes (ADMIN, SUPERVISOR may)");
}

TEST(AccessPolicyStepTest, AFieldWorkerWorksOnlyTheCasesOfItsOwnWorker) {
  for (Step step : kCaseworkSteps) {
    SCOPED_TRACE(StepName(step));
    EXPECT_EQ(StepGrantOf(Role::kFieldWorker, step), StepGrant::kOwnCase);
    EXPECT_TRUE(CheckStepAccess(WorkerOf(kAssignee), step, Resource::kCase, "16.06.01.2001",
                                kAssignee, "case C1")
                    .ok());
    absl::Status other = CheckStepAccess(WorkerOf(kAssignee), step, Resource::kCase,
                                         "16.06.01.2001", kOther, "case C1");
    EXPECT_EQ(other.code(), absl::StatusCode::kPermissionDenied);
    EXPECT_EQ(other.message(), absl::StrCat("role FIELD_WORKER takes ", StepName(step),
                                            " only on a case assigned to its own worker ",
                                            kAssignee, "; case C1 is not"));
    // An unassigned case, and a worker link that is missing.
    EXPECT_EQ(
        CheckStepAccess(WorkerOf(kAssignee), step, Resource::kCase, "16.06.01.2001", "", "case C1")
            .code(),
        absl::StatusCode::kPermissionDenied);
    absl::Status unlinked = CheckStepAccess(Of(Role::kFieldWorker, "16.06.01"), step,
                                            Resource::kCase, "16.06.01.2001", "", "case C1");
    EXPECT_EQ(unlinked.code(), absl::StatusCode::kPermissionDenied);
    EXPECT_NE(unlinked.message().find("your credentials name no worker"), absl::string_view::npos)
        << unlinked.message();
    // The office's staff take them on any case in scope; the reading roles on none.
    for (Role role : {Role::kAdmin, Role::kSupervisor, Role::kOperator}) {
      EXPECT_TRUE(
          CheckStepAccess(Of(role, "16.06"), step, Resource::kCase, "16.06.01.2001", "", "case C1")
              .ok())
          << RoleName(role);
    }
    for (Role role : {Role::kViewer, Role::kSystem}) {
      EXPECT_EQ(
          CheckStepAccess(Of(role, "16.06"), step, Resource::kCase, "16.06.01.2001", "", "case C1")
              .code(),
          absl::StatusCode::kPermissionDenied)
          << RoleName(role);
    }
  }
  for (Step step : kManagerSteps) {
    EXPECT_EQ(StepGrantOf(Role::kFieldWorker, step), StepGrant::kNo) << StepName(step);
    for (Role role : {Role::kAdmin, Role::kSupervisor, Role::kOperator}) {
      EXPECT_EQ(StepGrantOf(role, step), StepGrant::kInScope) << StepName(step);
    }
    for (Role role : kReadOnly) EXPECT_EQ(StepGrantOf(role, step), StepGrant::kNo);
  }
}

TEST(AccessPolicyStepTest, OnlySupervisorsAndAdminsApprovePlans) {
  for (Role role :
       {Role::kOperator, Role::kFieldWorker, Role::kViewer, Role::kProvinceViewer, Role::kSystem}) {
    EXPECT_EQ(StepGrantOf(role, Step::kCaseApprovePlan), StepGrant::kNo) << RoleName(role);
  }
  absl::Status refused = CheckStepAccess(WorkerOf(kAssignee), Step::kCaseApprovePlan,
                                         Resource::kCase, "16.06.01.2001", kAssignee, "case C1");
  EXPECT_EQ(refused.message(),
            "role FIELD_WORKER may not take :approvePlan (ADMIN, SUPERVISOR may)");
}

TEST(AccessPolicyStepTest, AStepOnARecordTheCallerCannotReadIsNotFound) {
  // Outside the scope: as for an unknown id, whatever the step's grant.
  absl::Status outside = CheckStepAccess(Of(Role::kAdmin, "16.06.02"), Step::kCaseAssess,
                                         Resource::kCase, "16.06.01.2001", "", "case C1");
  EXPECT_EQ(outside.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(outside.message(), "case C1 not found");
  // A PROVINCE_VIEWER reads no case not referred to it; a referred one it reads, changes not.
  EXPECT_EQ(CheckStepAccess(Of(Role::kProvinceViewer, "16"), Step::kCaseClose, Resource::kCase,
                            "16.06.01.2001", "", "case C1")
                .code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(CheckStepAccess(Of(Role::kProvinceViewer, "16"), Step::kCaseClose,
                            Resource::kReferredCase, "16.06.01.2001", "", "case C1")
                .code(),
            absl::StatusCode::kPermissionDenied);
  // A FIELD_WORKER's own case outside its subdistricts is still not found.
  EXPECT_EQ(CheckStepAccess(WorkerOf(kAssignee), Step::kCaseAssess, Resource::kCase,
                            "16.06.02.2001", kAssignee, "case C1")
                .code(),
            absl::StatusCode::kNotFound);
  // A network step: FIELD_WORKER reads networks, takes none of their steps.
  EXPECT_EQ(CheckStepAccess(WorkerOf(kAssignee), Step::kNetworkRecordVisit, Resource::kNetwork,
                            "16.06.01.2001", "", "network N1")
                .message(),
            "role FIELD_WORKER may not take :recordVisit (ADMIN, SUPERVISOR, OPERATOR may)");
}

}  // namespace
}  // namespace wahana
