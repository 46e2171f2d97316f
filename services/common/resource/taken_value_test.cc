#include "common/resource/taken_value.h"

#include <gtest/gtest.h>

#include <string>

#include "common/storage/indexed_record_store.h"

namespace wahana {
namespace {

constexpr IdentityNumberUse kNik{Resource::kBeneficiary, "beneficiary", "nik", "NIK", "nik"};
constexpr char kHolder[] = "01JD0000000000000000000001";

Principal Caller(Role role, const std::string& scope) {
  return Principal{"test:caller", "", role, scope};
}

// Reads nothing: a holder region fixed by the test.
HolderRegion At(const std::string& region) {
  return [region](const std::string&) -> absl::StatusOr<std::string> { return region; };
}

TEST(TakenNumberTest, NamesTheHolderToACallerWhoMayReadIt) {
  absl::Status taken = UniqueConflictError("beneficiary", {"nik", kHolder});
  absl::Status told =
      TakenNumberError(taken, Caller(Role::kOperator, "16.06.01"), kNik, At("16.06.01.2001"));
  EXPECT_EQ(told.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(told.message(), std::string("nik: already used by beneficiary ") + kHolder);
}

TEST(TakenNumberTest, HidesTheHolderOutsideTheCallersScope) {
  absl::Status taken = UniqueConflictError("beneficiary", {"nik", kHolder});
  absl::Status told =
      TakenNumberError(taken, Caller(Role::kOperator, "16.06.01"), kNik, At("16.06.02.2001"));
  EXPECT_EQ(told.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(told.message(),
            "nik: a beneficiary with this NIK is already registered outside your region");
  // Nothing of the holder travels, not even in a payload a transport might copy.
  EXPECT_FALSE(UniqueConflictOf(told).has_value());
}

TEST(TakenNumberTest, HidesTheHolderFromARoleThatMayNotReadIt) {
  absl::Status taken = UniqueConflictError("beneficiary", {"nik", kHolder});
  absl::Status told =
      TakenNumberError(taken, Caller(Role::kProvinceViewer, "16.06"), kNik, At("16.06.01.2001"));
  EXPECT_EQ(told.message().find(kHolder), absl::string_view::npos) << told;
}

TEST(TakenNumberTest, AHolderThatCannotBeReadIsNotNamed) {
  absl::Status taken = UniqueConflictError("beneficiary", {"nik", kHolder});
  HolderRegion unreadable = [](const std::string&) -> absl::StatusOr<std::string> {
    return absl::UnavailableError("redis down");
  };
  absl::Status told = TakenNumberError(taken, Caller(Role::kAdmin, "16.06"), kNik, unreadable);
  EXPECT_EQ(told.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(told.message(), "nik: a beneficiary with this NIK is already registered");
}

TEST(TakenNumberTest, OtherStatusesPassUnread) {
  HolderRegion never = [](const std::string&) -> absl::StatusOr<std::string> {
    ADD_FAILURE() << "holder read for a status that is no conflict on the index";
    return std::string();
  };
  const Principal caller = Caller(Role::kAdmin, "16.06");
  absl::Status stale = absl::AbortedError("etag: stale");
  EXPECT_EQ(TakenNumberError(stale, caller, kNik, never), stale);
  absl::Status other_index = UniqueConflictError("household", {"member", kHolder});
  EXPECT_EQ(TakenNumberError(other_index, caller, kNik, never), other_index);
  EXPECT_TRUE(TakenNumberError(absl::OkStatus(), caller, kNik, never).ok());
}

TEST(TakenNumberTest, ReasonUsesTheKindAndLabel) {
  constexpr IdentityNumberUse kKk{Resource::kHousehold, "household", "kkNumber", "KK number",
                                  "kkNumber"};
  EXPECT_EQ(
      TakenNumberReason(Caller(Role::kFieldWorker, "16.06.03"), kKk, kHolder, "16.06.01.2001"),
      "a household with this KK number is already registered outside your region");
  EXPECT_EQ(
      TakenNumberReason(Caller(Role::kFieldWorker, "16.06.01"), kKk, kHolder, "16.06.01.2001"),
      std::string("already used by household ") + kHolder);
}

}  // namespace
}  // namespace wahana
