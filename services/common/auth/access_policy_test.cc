#include "common/auth/access_policy.h"

#include <gtest/gtest.h>

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

TEST(AccessPolicyTest, OnlyAdminsAndSupervisorsReadConfidentialNotes) {
  // Of an unassigned case: no worker is its assignee.
  EXPECT_TRUE(SeesConfidentialNotes(Of(Role::kAdmin, "16.06"), ""));
  EXPECT_TRUE(SeesConfidentialNotes(Of(Role::kSupervisor, "16.06"), ""));
  for (Role role :
       {Role::kOperator, Role::kFieldWorker, Role::kViewer, Role::kProvinceViewer, Role::kSystem}) {
    EXPECT_FALSE(SeesConfidentialNotes(Of(role, "16.06"), "")) << RoleName(role);
  }
}

TEST(AccessPolicyTest, TheAssignedWorkerReadsConfidentialNotes) {
  constexpr char kAssignee[] = "01JD8X6Q0W3G7M2K9V5T4R1N8B";
  constexpr char kOther[] = "01JD8X6Q0W3G7M2K9V5T4R1N8C";
  Principal assigned = Of(Role::kFieldWorker, "16.06.01");
  assigned.worker_id = kAssignee;
  EXPECT_TRUE(SeesConfidentialNotes(assigned, kAssignee));
  // Another worker's case, or an unassigned one.
  EXPECT_FALSE(SeesConfidentialNotes(assigned, kOther));
  EXPECT_FALSE(SeesConfidentialNotes(assigned, ""));
  // A FIELD_WORKER with no link is nobody's assignee, not even an unassigned case's.
  EXPECT_FALSE(SeesConfidentialNotes(Of(Role::kFieldWorker, "16.06.01"), kAssignee));
  EXPECT_FALSE(SeesConfidentialNotes(Of(Role::kFieldWorker, "16.06.01"), ""));
  // ADMIN and SUPERVISOR as before, whoever the assignee.
  EXPECT_TRUE(SeesConfidentialNotes(Of(Role::kAdmin, "16.06"), kAssignee));
  EXPECT_TRUE(SeesConfidentialNotes(Of(Role::kSupervisor, "16.06"), ""));
  // The link counts for a FIELD_WORKER only (tokens and keys refuse it elsewhere anyway).
  for (Role role : {Role::kOperator, Role::kViewer, Role::kProvinceViewer, Role::kSystem}) {
    Principal p = Of(role, "16.06");
    p.worker_id = kAssignee;
    EXPECT_FALSE(SeesConfidentialNotes(p, kAssignee)) << RoleName(role);
  }
}

}  // namespace
}  // namespace wahana
