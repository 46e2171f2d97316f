#include "reporting/small_count_suppression.h"

#include <gtest/gtest.h>

namespace wahana {
namespace {

using Rows = std::vector<std::string>;

TEST(SmallCountSuppressionTest, EverythingShownWhenTheCallerMaySeeIt) {
  ShownCounts shown = ShowCounts({3, 0, 12}, 15, /*suppress=*/false, true, true);
  EXPECT_EQ(shown.rows, (Rows{"3", "0", "12"}));
  EXPECT_EQ(shown.total, "15");
}

TEST(SmallCountSuppressionTest, SmallCountsOfSmallAreasAreBelowFiveAndZeroIsShown) {
  ShownCounts shown = ShowCounts({1, 4, 0, 5, 30}, 40, true, true, false);
  EXPECT_EQ(shown.rows, (Rows{"<5", "<5", "0", "5", "30"}));
  // Two rows hidden: the total gives only their sum; still hidden, the rows add up to it.
  EXPECT_EQ(shown.total, "suppressed");
}

TEST(SmallCountSuppressionTest, ALoneHiddenRowTakesTheSmallestOtherRowWithIt) {
  ShownCounts shown = ShowCounts({2, 9, 0, 7}, 18, true, true, false);
  EXPECT_EQ(shown.rows, (Rows{"<5", "9", "0", "suppressed"}));
  EXPECT_EQ(shown.total, "suppressed");
}

TEST(SmallCountSuppressionTest, ASmallTotalOfASmallAreaIsBelowFive) {
  ShownCounts shown = ShowCounts({3}, 3, true, true, true);
  EXPECT_EQ(shown.rows, (Rows{"<5"}));
  EXPECT_EQ(shown.total, "<5");
  EXPECT_EQ(ShowCounts({0, 0}, 0, true, true, true).total, "0");
}

TEST(SmallCountSuppressionTest, LargeAreasAreShown) {
  // A regency's rows by category: not small areas.
  ShownCounts shown = ShowCounts({2, 9}, 11, true, false, false);
  EXPECT_EQ(shown.rows, (Rows{"2", "9"}));
  EXPECT_EQ(shown.total, "11");
}

}  // namespace
}  // namespace wahana
