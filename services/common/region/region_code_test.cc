#include "common/region/region_code.h"

#include <gtest/gtest.h>

namespace wahana {
namespace {

TEST(RegionCodeTest, LevelsFollowTheNumberOfParts) {
  EXPECT_EQ(*ParseRegionCode("16"), RegionLevelKind::kProvince);
  EXPECT_EQ(*ParseRegionCode("16.06"), RegionLevelKind::kRegency);
  EXPECT_EQ(*ParseRegionCode("16.06.01"), RegionLevelKind::kSubdistrict);
  EXPECT_EQ(*ParseRegionCode("16.06.01.2001"), RegionLevelKind::kVillage);
}

TEST(RegionCodeTest, MalformedCodesNameTheField) {
  for (const char* bad : {"", "1", "16.6", "16.06.1", "16.06.01.201", "16.06.01.2001.1", "ab",
                          "16..06", "16.06.", "16.06.01.20011", "1606"}) {
    auto result = ParseRegionCode(bad, "villageCode");
    ASSERT_FALSE(result.ok()) << bad;
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(result.status().message().rfind("villageCode", 0), 0u) << result.status();
  }
}

TEST(RegionCodeTest, ParentAndScope) {
  EXPECT_EQ(ParentRegionCode("16.06.01.2001"), "16.06.01");
  EXPECT_EQ(ParentRegionCode("16"), "");
  EXPECT_TRUE(RegionWithin("16.06.01.2001", "16.06"));
  EXPECT_TRUE(RegionWithin("16.06", "16.06"));
  EXPECT_FALSE(RegionWithin("16.061", "16.06"));
  EXPECT_FALSE(RegionWithin("16.07.01", "16.06"));
  EXPECT_TRUE(RegionWithin("16.07", ""));
}

}  // namespace
}  // namespace wahana
