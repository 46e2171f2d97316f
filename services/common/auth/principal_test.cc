#include "common/auth/principal.h"

#include <gtest/gtest.h>

namespace wahana {
namespace {

TEST(PrincipalTest, CoversOnDotBoundaries) {
  Principal p{"u", "", Role::kOperator, "16.06"};
  EXPECT_TRUE(Covers(p, "16.06"));
  EXPECT_TRUE(Covers(p, "16.06.01"));
  EXPECT_TRUE(Covers(p, "16.06.01.2001"));
  EXPECT_FALSE(Covers(p, "16.061"));
  EXPECT_FALSE(Covers(p, "16.07.01"));
  EXPECT_FALSE(Covers(p, "16"));
  EXPECT_FALSE(Covers(p, ""));
  Principal province{"p", "", Role::kProvinceViewer, "16"};
  EXPECT_TRUE(Covers(province, "16.06.01"));
  EXPECT_FALSE(Covers(province, "17.01"));
  Principal nobody{"n", "", Role::kViewer, ""};
  EXPECT_FALSE(Covers(nobody, "16.06"));
}

TEST(PrincipalTest, OnlyAFieldWorkerLinksToAWorkerId) {
  constexpr char kId[] = "01JD8X6Q0W3G7M2K9V5T4R1N8B";
  EXPECT_TRUE(CheckWorkerLink(Role::kFieldWorker, kId).ok());
  for (Role role : {Role::kAdmin, Role::kSupervisor, Role::kOperator, Role::kFieldWorker,
                    Role::kViewer, Role::kProvinceViewer, Role::kSystem}) {
    EXPECT_TRUE(CheckWorkerLink(role, "").ok()) << RoleName(role);
  }
  absl::Status operator_link = CheckWorkerLink(Role::kOperator, kId);
  EXPECT_EQ(operator_link.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(operator_link.message().rfind("workerId: ", 0), 0u) << operator_link;
  for (const char* bad : {"w1", "01JD8X6Q0W3G7M2K9V5T4R1N8", "01JD8X6Q0W3G7M2K9V5T4R1N8B0",
                          "01JD8X6Q0W3G7M2K9V5T4R1N8!"}) {
    absl::Status s = CheckWorkerLink(Role::kFieldWorker, bad, "--worker");
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(s.message().rfind("--worker: ", 0), 0u) << s;
  }
}

TEST(PrincipalTest, DescribeShowsTheWorkerLink) {
  Principal p{"apikey:wk1", "", Role::kAdmin, "16.06"};
  EXPECT_EQ(Describe(p), "apikey:wk1 (ADMIN, 16.06)");
  Principal w{"apikey:wk2", "", Role::kFieldWorker, "16.06.01"};
  w.worker_id = "01JD8X6Q0W3G7M2K9V5T4R1N8B";
  EXPECT_EQ(Describe(w), "apikey:wk2 (FIELD_WORKER, 16.06.01, worker 01JD8X6Q0W3G7M2K9V5T4R1N8B)");
}

TEST(RoleTest, NamesRoundTrip) {
  for (Role role : {Role::kAdmin, Role::kSupervisor, Role::kOperator, Role::kFieldWorker,
                    Role::kViewer, Role::kProvinceViewer, Role::kSystem}) {
    auto parsed = ParseRole(RoleName(role));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, role);
    auto from_proto = ToRole(ToProtoRole(role));
    ASSERT_TRUE(from_proto.ok());
    EXPECT_EQ(*from_proto, role);
  }
  EXPECT_EQ(RoleName(Role::kFieldWorker), "FIELD_WORKER");
  EXPECT_EQ(ToProtoRole(Role::kAdmin), common::v1::ADMIN);
  EXPECT_EQ(ParseRole("admin").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ToRole(common::v1::ROLE_UNSPECIFIED).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(RoleTest, OnlyAdminsGrant) {
  EXPECT_TRUE(MayGrant(Role::kAdmin, Role::kAdmin));
  EXPECT_TRUE(MayGrant(Role::kAdmin, Role::kSystem));
  EXPECT_FALSE(MayGrant(Role::kSupervisor, Role::kViewer));
}

}  // namespace
}  // namespace wahana
