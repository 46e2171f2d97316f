#include "common/privacy/masking.h"

#include <gtest/gtest.h>

namespace wahana {
namespace {

TEST(MaskingTest, IdentityNumbersShowNoDigit) {
  EXPECT_EQ(MaskIdentityNumber("1606012345670001"), "****************");
  EXPECT_EQ(MaskIdentityNumber(""), "");
  EXPECT_EQ(MaskIdentityNumber("12345678"), "********");
}

TEST(MaskingTest, BirthDatesKeepTheirYearOnly) {
  EXPECT_EQ(MaskBirthDate("1940-07-05"), "1940-**-**");
  EXPECT_EQ(MaskBirthDate(""), "");
  EXPECT_EQ(MaskBirthDate("05/07/1940"), "**********");
  EXPECT_EQ(MaskBirthDate("19x0-07-05"), "**********");
}

TEST(MaskingTest, IdentityFindingsLoseTheirMessage) {
  EXPECT_TRUE(IsIdentityFinding("NIK_BIRTH_DATE_MISMATCH"));
  EXPECT_TRUE(IsIdentityFinding("KK_SUBDISTRICT_UNKNOWN"));
  EXPECT_FALSE(IsIdentityFinding("POSSIBLE_DUPLICATE"));
  const std::string hidden =
      MaskedFindingMessage("NIK_BIRTH_DATE_MISMATCH", "the NIK says 050740 (DDMMYY)");
  EXPECT_EQ(hidden.find_first_of("0123456789"), std::string::npos) << hidden;
  EXPECT_EQ(MaskedFindingMessage("POSSIBLE_DUPLICATE", "same name as beneficiary 01J"),
            "same name as beneficiary 01J");
}

}  // namespace
}  // namespace wahana
