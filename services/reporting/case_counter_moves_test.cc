#include "reporting/case_counter_moves.h"

#include <gtest/gtest.h>

namespace wahana {
namespace {

using wahana::cases::v1::CaseChanged;
using Moves = std::vector<std::pair<std::string, int64_t>>;

CaseChanged Changed(wahana::cases::v1::CaseStatus before, wahana::cases::v1::CaseStatus after,
                    wahana::common::v1::PpksCategory category_before,
                    wahana::common::v1::PpksCategory category_after) {
  CaseChanged changed;
  changed.mutable_case_()->set_id("01HZX5J6Q0W6Z9V3K8N2M4P7R1");
  changed.mutable_case_()->set_village_code("16.06.01.2001");
  changed.mutable_case_()->set_kind(wahana::cases::v1::FAMILY);
  changed.mutable_case_()->mutable_create_time()->set_seconds(1796068800);  // 1 Dec 2026 WIB
  changed.set_status_before(before);
  changed.set_status_after(after);
  changed.set_category_before(category_before);
  changed.set_category_after(category_after);
  return changed;
}

TEST(CaseCounterMovesTest, PrefixesRunFromTheVillageUpToTheDeployment) {
  EXPECT_EQ(PrefixesUpTo("16.06.01.2001", "16.06"),
            (std::vector<std::string>{"16.06.01.2001", "16.06.01", "16.06"}));
  EXPECT_EQ(PrefixesUpTo("16.06.01.2001", "16"),
            (std::vector<std::string>{"16.06.01.2001", "16.06.01", "16.06", "16"}));
}

TEST(CaseCounterMovesTest, ACreateCountsTheCaseOnceInEveryDimension) {
  absl::StatusOr<CaseCounterMoves> moves = CaseCounterMovesOf(
      Changed(wahana::cases::v1::CASE_STATUS_UNSPECIFIED, wahana::cases::v1::INTAKE,
              wahana::common::v1::PPKS_CATEGORY_UNSPECIFIED, wahana::common::v1::ANAK_JALANAN),
      "16.06", OfficeCalendar(), "m-1");
  ASSERT_TRUE(moves.ok()) << moves.status();
  EXPECT_EQ(moves->prefixes.size(), 3u);
  EXPECT_EQ(moves->tally_moves, (Moves{{"1", 1}, {"total", 1}}));
  EXPECT_EQ(moves->village, "16.06.01.2001");
  EXPECT_EQ(moves->intake_month, absl::CivilMonth(2026, 12));
  EXPECT_EQ(moves->cell_moves, (Moves{{"status:1", 1}, {"category:4", 1}, {"kind:2", 1}}));
}

TEST(CaseCounterMovesTest, AStepMovesTheStatusAndTheConfirmedCategory) {
  absl::StatusOr<CaseCounterMoves> moves = CaseCounterMovesOf(
      Changed(wahana::cases::v1::INTAKE, wahana::cases::v1::ASSESSMENT,
              wahana::common::v1::ANAK_JALANAN, wahana::common::v1::ANAK_TELANTAR),
      "16.06", OfficeCalendar(), "m-2");
  ASSERT_TRUE(moves.ok()) << moves.status();
  EXPECT_EQ(moves->tally_moves, (Moves{{"2", 1}, {"1", -1}}));
  EXPECT_EQ(moves->cell_moves,
            (Moves{{"status:2", 1}, {"status:1", -1}, {"category:2", 1}, {"category:4", -1}}));
}

TEST(CaseCounterMovesTest, ANoteMovesNothing) {
  absl::StatusOr<CaseCounterMoves> moves = CaseCounterMovesOf(
      Changed(wahana::cases::v1::ASSESSMENT, wahana::cases::v1::ASSESSMENT,
              wahana::common::v1::ANAK_JALANAN, wahana::common::v1::ANAK_JALANAN),
      "16.06", OfficeCalendar(), "m-3");
  ASSERT_TRUE(moves.ok()) << moves.status();
  EXPECT_TRUE(moves->empty());
}

TEST(CaseCounterMovesTest, ACaseOutsideTheDeploymentOrWithoutIntakeTimeIsRefused) {
  CaseChanged outside =
      Changed(wahana::cases::v1::CASE_STATUS_UNSPECIFIED, wahana::cases::v1::INTAKE,
              wahana::common::v1::PPKS_CATEGORY_UNSPECIFIED, wahana::common::v1::ANAK_JALANAN);
  outside.mutable_case_()->set_village_code("17.01.01.2001");
  EXPECT_EQ(CaseCounterMovesOf(outside, "16.06", OfficeCalendar(), "m-4").status().code(),
            absl::StatusCode::kInvalidArgument);
  CaseChanged timeless =
      Changed(wahana::cases::v1::CASE_STATUS_UNSPECIFIED, wahana::cases::v1::INTAKE,
              wahana::common::v1::PPKS_CATEGORY_UNSPECIFIED, wahana::common::v1::ANAK_JALANAN);
  timeless.mutable_case_()->clear_create_time();
  EXPECT_EQ(CaseCounterMovesOf(timeless, "16.06", OfficeCalendar(), "m-5").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace wahana
