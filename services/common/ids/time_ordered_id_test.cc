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

}  // namespace
}  // namespace wahana
