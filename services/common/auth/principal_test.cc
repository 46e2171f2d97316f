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
