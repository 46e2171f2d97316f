#include "case/case_number.h"

#include <gtest/gtest.h>

namespace wahana {
namespace {

TEST(CaseNumberTest, RegencyYearAndSixDigitSequence) {
  EXPECT_EQ(FormatCaseNumber("16.06", 2026, 123), "16.06-2026-000123");
  EXPECT_EQ(FormatCaseNumber("16.06", 2026, 1), "16.06-2026-000001");
  EXPECT_EQ(FormatCaseNumber("16.06", 2026, 999999), "16.06-2026-999999");
}

TEST(CaseNumberTest, WidensPastSixDigitsInsteadOfWrapping) {
  EXPECT_EQ(FormatCaseNumber("16.06", 2026, 1000000), "16.06-2026-1000000");
}

TEST(CaseNumberTest, NumberOfGivenDigitsMatchesTheFormatted) {
  EXPECT_EQ(CaseNumberOf("16.06", 2026, "000123"), FormatCaseNumber("16.06", 2026, 123));
  EXPECT_EQ(CaseNumberOf("16.06", 2026, "1000000"), FormatCaseNumber("16.06", 2026, 1000000));
}

TEST(CaseNumberTest, RegencyOfVillageAndSubdistrict) {
  EXPECT_EQ(RegencyOf("16.06.01.2001"), "16.06");
  EXPECT_EQ(RegencyOf("16.06.01"), "16.06");
  EXPECT_EQ(RegencyOf("16.06"), "16.06");
}

}  // namespace
}  // namespace wahana
