// RecordWrite (services/common/storage/record_write.h) against a real Redis: the guard on a hash
// field's value (a projection must know a record), its error, and a number drawn inside the write
// (a counter INCRed once the guards pass, its digits written into the commands' bytes).

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "common/storage/record_write.h"
#include "support/redis_server.h"

namespace wahana::testing {
namespace {

constexpr char kKnown[] = "test:{16.06}:known:beneficiary";
constexpr char kWritten[] = "test:{16.06}:written";
constexpr char kCounter[] = "test:{16.06}:seq:2026";

class RecordWriteTest : public ::testing::Test {
 protected:
  RecordWriteTest() : redis_(server_.Client()) {}

  AtomicWriteResult Run(const RecordWrite& write) {
    auto result = write.Execute(*redis_);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : AtomicWriteResult{};
  }
  std::string Get(const std::string& key) {
    auto reply = redis_->Command({"GET", key});
    EXPECT_TRUE(reply.ok()) << reply.status();
    return reply.ok() ? reply->str : "";
  }
  bool Exists(const std::string& key) {
    auto reply = redis_->Command({"EXISTS", key});
    return reply.ok() && reply->integer == 1;
  }

  RedisServer server_;
  std::unique_ptr<RedisClient> redis_;
};

TEST_F(RecordWriteTest, AHashFieldMustHoldAMatchingValue) {
  ASSERT_TRUE(redis_->Command({"HSET", kKnown, "A", "3:L", "B", "4:A"}).ok());
  // A live entry passes; any value passes RequireHashFieldExists.
  EXPECT_TRUE(Run(RecordWrite()
                      .RequireHashFieldMatches(kKnown, "A", "^%d+:L$")
                      .RequireHashFieldExists(kKnown, "B")
                      .Command({"SET", kWritten, "1"}))
                  .applied);
  EXPECT_EQ(Get(kWritten), "1");

  // An absent field fails, found nil; a value that does not match fails with it. Nothing written.
  ASSERT_TRUE(redis_->Command({"DEL", kWritten}).ok());
  RecordWrite absent;
  absent.RequireHashFieldMatches(kKnown, "A", "^%d+:L$")
      .RequireHashFieldExists(kKnown, "C")
      .Command({"SET", kWritten, "1"});
  AtomicWriteResult missing = Run(absent);
  EXPECT_FALSE(missing.applied);
  EXPECT_EQ(missing.failed_guard, 1);
  EXPECT_TRUE(missing.found_nil);
  absl::Status error = absent.GuardError(missing);
  EXPECT_EQ(error.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(error.message(), "test:{16.06}:known:beneficiary field C is absent");

  RecordWrite archived;
  archived.RequireHashFieldMatches(kKnown, "B", "^%d+:L$").Command({"SET", kWritten, "1"});
  AtomicWriteResult refused = Run(archived);
  EXPECT_FALSE(refused.applied);
  EXPECT_EQ(refused.failed_guard, 0);
  EXPECT_FALSE(refused.found_nil);
  EXPECT_EQ(refused.found, "4:A");
  EXPECT_EQ(archived.GuardError(refused).message(),
            "test:{16.06}:known:beneficiary field B is \"4:A\", not matching \"^%d+:L$\"");
  EXPECT_FALSE(Exists(kWritten));
  EXPECT_EQ(archived.GuardError(Run(RecordWrite())).code(), absl::StatusCode::kInternal)
      << "an applied write has no failed guard";
}

// The same write built twice with the two placeholders, as a caller numbering a record does.
RecordWrite Numbered(const std::string& digits) {
  RecordWrite write;
  write.RequireAbsent("test:{16.06}:request:r-1")
      .Command({"SET", "test:{16.06}:record", "number 16.06-2026-" + digits + " end"})
      .Command({"RPUSH", "test:{16.06}:list", "plain",
                digits + "|" + digits});  // two numbers side by side
  return write;
}

TEST_F(RecordWriteTest, ADrawnNumberIsWrittenWhereThePlaceholdersDiffer) {
  RecordWrite a = Numbered(RecordWrite::NumberPlaceholder(6, 0));
  RecordWrite b = Numbered(RecordWrite::NumberPlaceholder(6, 1));
  EXPECT_EQ(RecordWrite::NumberPlaceholder(6, 0), "012345");
  EXPECT_EQ(RecordWrite::NumberPlaceholder(6, 1), "123456");
  absl::StatusOr<std::vector<RecordWrite::NumberSlot>> slots = RecordWrite::NumberSlotsOf(a, b, 6);
  ASSERT_TRUE(slots.ok()) << slots.status();
  const std::vector<RecordWrite::NumberSlot> expected = {{0, 2, 18}, {1, 3, 0}, {1, 3, 7}};
  EXPECT_EQ(*slots, expected);

  a.DrawNumber(kCounter, 6, *slots);
  AtomicWriteResult first = Run(a);
  ASSERT_TRUE(first.applied);
  EXPECT_EQ(first.number, 1);
  EXPECT_EQ(first.replies.size(), 2u);
  EXPECT_EQ(Get("test:{16.06}:record"), "number 16.06-2026-000001 end");
  auto list = redis_->Command({"LRANGE", "test:{16.06}:list", "0", "-1"});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->elements.size(), 2u);
  EXPECT_EQ(list->elements[0].str, "plain");
  EXPECT_EQ(list->elements[1].str, "000001|000001");

  // A failed guard draws no number.
  ASSERT_TRUE(redis_->Command({"SET", "test:{16.06}:request:r-1", "x"}).ok());
  AtomicWriteResult refused = Run(a);
  EXPECT_FALSE(refused.applied);
  EXPECT_EQ(refused.number, 0);
  EXPECT_EQ(Get(kCounter), "1");
}

TEST_F(RecordWriteTest, ANumberWiderThanItsSlotsWritesNothingButStaysTaken) {
  RecordWrite a = Numbered(RecordWrite::NumberPlaceholder(6, 0));
  auto slots = RecordWrite::NumberSlotsOf(a, Numbered(RecordWrite::NumberPlaceholder(6, 1)), 6);
  ASSERT_TRUE(slots.ok()) << slots.status();
  a.DrawNumber(kCounter, 6, *slots);
  ASSERT_TRUE(redis_->Command({"SET", kCounter, "999999"}).ok());
  AtomicWriteResult wide = Run(a);
  EXPECT_FALSE(wide.applied);
  EXPECT_TRUE(wide.number_too_wide);
  EXPECT_EQ(wide.failed_guard, -1);
  EXPECT_EQ(wide.number, 1000000);
  EXPECT_FALSE(Exists("test:{16.06}:record"));
  EXPECT_FALSE(Exists("test:{16.06}:list"));
  EXPECT_EQ(Get(kCounter), "1000000");
}

TEST_F(RecordWriteTest, BuildsThatDifferElsewhereHaveNoSlots) {
  RecordWrite a = Numbered("012345");
  RecordWrite other_guard = Numbered("123456");
  other_guard.RequireAbsent("test:{16.06}:other");
  EXPECT_EQ(RecordWrite::NumberSlotsOf(a, other_guard, 6).status().code(),
            absl::StatusCode::kInternal);
  RecordWrite other_bytes;
  other_bytes.RequireAbsent("test:{16.06}:request:r-1")
      .Command({"SET", "test:{16.06}:record", "number 16.06-2026-123456 END"})
      .Command({"RPUSH", "test:{16.06}:list", "plain", "123456|123456"});
  EXPECT_EQ(RecordWrite::NumberSlotsOf(a, other_bytes, 6).status().code(),
            absl::StatusCode::kInternal);
  EXPECT_EQ(RecordWrite::NumberSlotsOf(a, Numbered("1234567"), 6).status().code(),
            absl::StatusCode::kInternal)
      << "lengths differ";
  EXPECT_EQ(RecordWrite::NumberSlotsOf(a, a, 6)->size(), 0u) << "identical builds: no number";
}

TEST_F(RecordWriteTest, AMalformedSlotWritesNothing) {
  RecordWrite write;
  write.Command({"SET", kWritten, "short"}).DrawNumber(kCounter, 6, {{0, 2, 3}});
  auto result = write.Execute(*redis_);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << result.status();
  EXPECT_FALSE(Exists(kWritten));
  EXPECT_FALSE(Exists(kCounter)) << "checked before the INCR";
}

}  // namespace
}  // namespace wahana::testing
