#include "common/ids/time_ordered_id.h"

#include <gtest/gtest.h>

#include <set>

namespace wahana {
namespace {

TEST(TimeOrderedIdTest, IdsWithinOneMillisecondStillIncrease) {
  TimeOrderedIdGenerator generator([] { return int64_t{1764000000000}; });
  std::string previous = generator.Next();
  for (int i = 0; i < 10000; ++i) {
    std::string next = generator.Next();
    ASSERT_LT(previous, next);
    previous = next;
  }
}

TEST(TimeOrderedIdTest, LaterTimeSortsLaterAndTimeIsRecoverable) {
  int64_t now = 1764000000000;
  TimeOrderedIdGenerator generator([&] { return now; });
  std::string first = generator.Next();
  now += 1;
  std::string second = generator.Next();
  EXPECT_LT(first, second);
  EXPECT_EQ(first.size(), 26u);
  EXPECT_EQ(TimeOfId(second), now);
  EXPECT_EQ(TimeOfId("not-an-id"), -1);
}

TEST(TimeOrderedIdTest, TwoGeneratorsDoNotCollide) {
  TimeOrderedIdGenerator a([] { return int64_t{1}; });
  TimeOrderedIdGenerator b([] { return int64_t{1}; });
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(seen.insert(a.Next()).second);
    ASSERT_TRUE(seen.insert(b.Next()).second);
  }
}

TEST(TimeOrderedIdTest, BytesRoundTripExactly) {
  TimeOrderedIdGenerator generator;
  for (int i = 0; i < 100; ++i) {
    const std::string id = generator.Next();
    std::optional<std::string> bytes = BytesOfId(id);
    ASSERT_TRUE(bytes.has_value()) << id;
    ASSERT_EQ(bytes->size(), 16u);
    EXPECT_EQ(IdOfBytes(*bytes), id);
  }
  EXPECT_EQ(IdOfBytes(std::string(16, '\xFF')), "7ZZZZZZZZZZZZZZZZZZZZZZZZZ");
  EXPECT_EQ(*BytesOfId("00000000000000000000000001"), std::string(15, '\0') + '\x01');
}

TEST(TimeOrderedIdTest, BytesOfIdRefusesWhatIsNotAnId) {
  EXPECT_FALSE(BytesOfId("").has_value());
  EXPECT_FALSE(BytesOfId("01J000000000000000000SEKA").has_value());   // 25 digits
  EXPECT_FALSE(BytesOfId("01j000000000000000000sekay").has_value());  // lower case
  EXPECT_FALSE(BytesOfId("01J000000000000000000SEKAU").has_value());  // U
  EXPECT_FALSE(BytesOfId("8ZZZZZZZZZZZZZZZZZZZZZZZZZ").has_value());  // more than 128 bits
  EXPECT_TRUE(BytesOfId("01J000000000000000000SEKAY").has_value());
}

}  // namespace
}  // namespace wahana
