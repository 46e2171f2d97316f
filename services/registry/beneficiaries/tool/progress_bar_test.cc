#include "registry/beneficiaries/tool/progress_bar.h"

#include <gtest/gtest.h>

namespace wahana::registry {
namespace {

TEST(ProgressBarTest, RendersFractionRowsAndRate) {
  EXPECT_EQ(ProgressBar::Render(50, 100, 1234567, 10.0, 10),
            "[#####.....]  50.0%  1,234,567 rows  123,456 rows/s");
  EXPECT_EQ(ProgressBar::Render(0, 0, 0, 0.0, 4), "[####] 100.0%  0 rows  0 rows/s");
}

TEST(ProgressBarTest, ThousandsSeparators) {
  EXPECT_EQ(WithThousands(0), "0");
  EXPECT_EQ(WithThousands(999), "999");
  EXPECT_EQ(WithThousands(1000), "1,000");
  EXPECT_EQ(WithThousands(-1234567), "-1,234,567");
}

}  // namespace
}  // namespace wahana::registry
