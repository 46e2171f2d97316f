#include "common/federation/aggregate_outbox.h"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <vector>

namespace wahana {
namespace {

using wahana::federation::v1::AggregateChange;

AggregateChange Parsed(const std::string& json) {
  auto change = ParseAggregateOutboxJson(json);
  EXPECT_TRUE(change.ok()) << change.status();
  return change.ok() ? *change : AggregateChange();
}

TEST(AggregateOutboxTest, ReadsWhatLuaWritesAndWhatC_plus_plusWrites) {
  // cjson: numbers as doubles, an empty table as {}.
  AggregateChange lua =
      Parsed(R"({"c":[["beneficiary","2026-11","16.06.01.2001",{"n":1,"sex:1":1.0}]],"t":{}})");
  ASSERT_EQ(lua.cells_size(), 1);
  EXPECT_EQ(lua.cells(0).subject(), "beneficiary");
  EXPECT_EQ(lua.cells(0).code(), "16.06.01.2001");
  EXPECT_EQ(lua.cells(0).deltas().at("sex:1"), 1);
  EXPECT_EQ(lua.tallies_size(), 0);

  AggregateChange change;
  auto* tally = change.add_tallies();
  tally->set_code("16.06.01.2001");
  (*tally->mutable_deltas())["total"] = 1;
  (*tally->mutable_deltas())["2"] = -1;
  AggregateChange back = Parsed(AggregateOutboxJson(change));
  ASSERT_EQ(back.tallies_size(), 1);
  EXPECT_EQ(back.tallies(0).deltas().at("2"), -1);
}

TEST(AggregateOutboxTest, RefusesMalformedEntries) {
  for (const char* bad : {"[]", "{\"c\":3}", "{\"c\":[[\"case\",\"2026-11\"]]}",
                          "{\"c\":[[\"case\",\"2026-11\",\"16.06\",{\"n\":0.5}]]}",
                          "{\"t\":[[\"16.06\",[1]]]}", "not json"}) {
    EXPECT_EQ(ParseAggregateOutboxJson(bad).status().code(), absl::StatusCode::kInvalidArgument)
        << bad;
  }
}

TEST(AggregateOutboxTest, SumsMovesOfTheSamePlaceAndDropsZeros) {
  AggregateChange sum;
  AddAggregateChange(Parsed(R"({"c":[["case","2026-11","16.06.01.2001",{"status:2":1,"n":1}]],
                               "t":[["16.06.01.2001",{"2":1}]]})"),
                     &sum);
  AddAggregateChange(Parsed(R"({"c":[["case","2026-11","16.06.01.2001",{"status:2":-1,"n":1}],
                                     ["case","2026-12","16.06.01.2001",{"n":1}]],
                               "t":[["16.06.01.2001",{"2":-1}]]})"),
                     &sum);
  ASSERT_EQ(sum.cells_size(), 2);
  EXPECT_EQ(sum.cells(0).month(), "2026-11");
  EXPECT_EQ(sum.cells(0).deltas().size(), 1u);  // status:2 summed to 0 and dropped
  EXPECT_EQ(sum.cells(0).deltas().at("n"), 2);
  EXPECT_EQ(sum.tallies_size(), 0);  // every delta summed to 0
}

TEST(AggregateOutboxTest, ABatchSumsInOnePassWhatAddingOneByOneSums) {
  const std::vector<AggregateChange> changes = {
      Parsed(R"({"c":[["case","2026-11","16.06.01.2001",{"status:1":1,"kind:1":1}]],
                 "t":[["16.06.01.2001",{"1":1,"total":1}]]})"),
      Parsed(R"({"c":[["case","2026-11","16.06.01.2001",{"status:1":-1,"status:2":1}]],
                 "t":[["16.06.01.2001",{"1":-1,"2":1}]]})"),
      Parsed(R"({"c":[["case","2026-10","16.06.02.2001",{"status:1":1}]],
                 "t":[["16.06.02.2001",{"total":1}]]})"),
      Parsed(R"({"c":[["case","2026-10","16.06.02.2001",{"status:1":-1}]],
                 "t":[["16.06.02.2001",{"total":-1}]]})")};
  AggregateChange one_by_one;
  AggregateChangeSum batch;
  for (const AggregateChange& change : changes) {
    AddAggregateChange(change, &one_by_one);
    batch.Add(change);
  }
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(batch.Result(), one_by_one))
      << batch.Result().DebugString() << " vs " << one_by_one.DebugString();
  EXPECT_EQ(batch.Result().cells_size(), 1);    // 2026-10's cell summed to nothing
  EXPECT_EQ(batch.Result().tallies_size(), 1);  // so did its village's tally
}

TEST(AggregateOutboxTest, ChecksEveryCodeAgainstTheOriginsRegion) {
  AggregateChange inside = Parsed(
      R"({"c":[["case","2026-11","16.06.01.2001",{"n":1}]],"t":[["16.06.01.2001",{"1":1}]]})");
  EXPECT_TRUE(CheckAggregateChange(inside, "16.06", "message 1-0").ok());

  AggregateChange outside_cell = Parsed(R"({"c":[["case","2026-11","16.07.01.2001",{"n":1}]]})");
  absl::Status status = CheckAggregateChange(outside_cell, "16.06", "message 1-0");
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(status.message().find("16.07.01.2001"), std::string::npos) << status;

  AggregateChange outside_tally = Parsed(R"({"t":[["16.07",{"1":1}]]})");
  EXPECT_EQ(CheckAggregateChange(outside_tally, "16.06", "m").code(),
            absl::StatusCode::kPermissionDenied);
  // The province's own code is outside every district too.
  EXPECT_EQ(CheckAggregateChange(Parsed(R"({"t":[["16",{"1":1}]]})"), "16.06", "m").code(),
            absl::StatusCode::kPermissionDenied);

  for (const char* bad : {R"({"c":[["Case!","2026-11","16.06.01",{"n":1}]]})",
                          R"({"c":[["case","2026-13","16.06.01",{"n":1}]]})",
                          R"({"c":[["case","2026-11","16.06.x",{"n":1}]]})",
                          R"({"c":[["case","2026-11","16.06.01",{"a b":1}]]})"}) {
    EXPECT_EQ(CheckAggregateChange(Parsed(bad), "16.06", "m").code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
}

}  // namespace
}  // namespace wahana
