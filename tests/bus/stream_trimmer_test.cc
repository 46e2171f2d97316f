// TrimConsumedEntries: bounds a stream, but never removes an entry some group still needs.

#include "common/bus/stream_trimmer.h"

#include <string>
#include <vector>

#include "bus_test_util.h"
#include "gtest/gtest.h"
#include "support/redis_server.h"

namespace wahana {
namespace {

using ::wahana::testing::RedisServer;

constexpr char kStream[] = "case:{16.06}:stream";

class StreamTrimmerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // One entry per radix-tree node, so the approximate trim (~) is exact and checkable.
    ASSERT_TRUE(redis_->Command({"CONFIG", "SET", "stream-node-max-entries", "1"}).ok());
    for (int i = 0; i < 10; ++i) {
      auto id = redis_->Command({"XADD", kStream, "*", "n", std::to_string(i)});
      ASSERT_TRUE(id.ok()) << id.status();
      ids_.push_back(id->str);
    }
  }

  void CreateGroup(const std::string& group) {
    ASSERT_TRUE(redis_->Command({"XGROUP", "CREATE", kStream, group, "0"}).ok());
  }
  // `consumer` of `group` is delivered the next `count` entries.
  void Deliver(const std::string& group, int count) {
    ASSERT_TRUE(redis_
                    ->Command({"XREADGROUP", "GROUP", group, "x", "COUNT", std::to_string(count),
                               "STREAMS", kStream, ">"})
                    .ok());
  }
  void Ack(const std::string& group, int from, int to) {
    for (int i = from; i < to; ++i) {
      ASSERT_TRUE(redis_->Command({"XACK", kStream, group, ids_[i]}).ok());
    }
  }
  // The ids left in the stream.
  std::vector<std::string> Remaining() {
    auto range = redis_->Command({"XRANGE", kStream, "-", "+"});
    EXPECT_TRUE(range.ok()) << range.status();
    std::vector<std::string> out;
    if (range.ok()) {
      for (const RedisReply& e : range->elements) out.push_back(e.elements[0].str);
    }
    return out;
  }
  std::vector<std::string> Ids(int from) {
    return std::vector<std::string>(ids_.begin() + from, ids_.end());
  }

  RedisServer server_;
  std::unique_ptr<RedisClient> redis_ = server_.Client();
  std::vector<std::string> ids_;
};

TEST_F(StreamTrimmerTest, NothingToDoWithinMaxLen) {
  CreateGroup("g");
  Deliver("g", 10);
  Ack("g", 0, 10);
  auto removed = TrimConsumedEntries(*redis_, kStream, 10);
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(*removed, 0);
  EXPECT_EQ(Remaining(), ids_);
}

TEST_F(StreamTrimmerTest, StreamWithoutGroupsIsNeverTrimmed) {
  auto removed = TrimConsumedEntries(*redis_, kStream, 0);
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(*removed, 0);
  EXPECT_EQ(Remaining(), ids_);
}

TEST_F(StreamTrimmerTest, RemovesOnlyDeliveredAndAckedEntries) {
  CreateGroup("g");
  Deliver("g", 6);  // 0..5 delivered
  Ack("g", 0, 3);   // 0..2 acked, 3..5 pending, 6..9 never delivered
  auto removed = TrimConsumedEntries(*redis_, kStream, 0);
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(*removed, 3);
  EXPECT_EQ(Remaining(), Ids(3));

  // Acked but 6..9 still undelivered: trims up to (not including) the last delivered entry.
  Ack("g", 3, 6);
  removed = TrimConsumedEntries(*redis_, kStream, 0);
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(*removed, 2);
  EXPECT_EQ(Remaining(), Ids(5));
}

TEST_F(StreamTrimmerTest, AnUnackedEntryStopsTheTrimEvenWhenLaterOnesAreAcked) {
  CreateGroup("g");
  Deliver("g", 10);
  Ack("g", 0, 2);
  Ack("g", 3, 10);  // 2 stays pending
  auto removed = TrimConsumedEntries(*redis_, kStream, 0);
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(*removed, 2);
  EXPECT_EQ(Remaining(), Ids(2));
}

TEST_F(StreamTrimmerTest, TheSlowestGroupBoundsTheTrim) {
  CreateGroup("fast");
  CreateGroup("slow");
  Deliver("fast", 10);
  Ack("fast", 0, 10);
  Deliver("slow", 4);
  Ack("slow", 0, 4);  // slow: 0..3 consumed, last delivered 3
  auto removed = TrimConsumedEntries(*redis_, kStream, 0);
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(*removed, 3);
  EXPECT_EQ(Remaining(), Ids(3));

  CreateGroup("new");  // reads from the start: nothing more may go
  removed = TrimConsumedEntries(*redis_, kStream, 0);
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(*removed, 0);
  EXPECT_EQ(Remaining(), Ids(3));
}

TEST_F(StreamTrimmerTest, RemovesAtMostTheExcessOverMaxLen) {
  CreateGroup("g");
  Deliver("g", 10);
  Ack("g", 0, 10);
  auto removed = TrimConsumedEntries(*redis_, kStream, 8);
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(*removed, 2);
  EXPECT_EQ(Remaining(), Ids(2));
}

TEST_F(StreamTrimmerTest, NegativeMaxLenIsInvalid) {
  EXPECT_EQ(TrimConsumedEntries(*redis_, kStream, -1).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace wahana
