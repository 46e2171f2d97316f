// AtomicWrite: the record and its stream message are written together, or neither is.

#include "common/bus/atomic_write.h"

#include <string>
#include <vector>

#include "bus_test_util.h"
#include "gtest/gtest.h"
#include "support/redis_server.h"

namespace wahana {
namespace {

using ::wahana::testing::FieldValue;
using ::wahana::testing::RedisServer;
using ::wahana::testing::Strings;
using ::wahana::testing::TestEnvelope;

constexpr char kRecord[] = "case:{16.06}:case:c-1";
constexpr char kIdempotency[] = "case:{16.06}:idem:req-1";
constexpr char kStream[] = "case:{16.06}:stream";

class AtomicWriteTest : public ::testing::Test {
 protected:
  int64_t StreamLength() {
    auto len = redis_->Command({"XLEN", kStream});
    EXPECT_TRUE(len.ok()) << len.status();
    return len.ok() ? len->integer : -1;
  }
  std::vector<std::string> Record() {
    auto all = redis_->Command({"HGETALL", kRecord});
    EXPECT_TRUE(all.ok()) << all.status();
    return all.ok() ? Strings(*all) : std::vector<std::string>{};
  }

  RedisServer server_;
  std::unique_ptr<RedisClient> redis_ = server_.Client();
};

TEST_F(AtomicWriteTest, AppliedWritesTheRecordAndTheStreamEntry) {
  auto envelope = TestEnvelope("created", "c-1");
  auto result = AtomicWrite()
                    .RequireAbsent(kIdempotency)
                    .Command({"HSET", kRecord, "name", "Siti \r\n", "version", "1"})
                    .Command({"SET", kIdempotency, "c-1"})
                    .Publish(kStream, envelope)
                    .Execute(*redis_);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_TRUE(result->applied);
  EXPECT_EQ(result->failed_guard, -1);
  ASSERT_EQ(result->replies.size(), 3u);
  const std::string entry_id = result->replies[2].str;

  EXPECT_EQ(FieldValue(Record(), "name"), "Siti \r\n");
  EXPECT_EQ(FieldValue(Record(), "version"), "1");
  auto idem = redis_->Command({"GET", kIdempotency});
  ASSERT_TRUE(idem.ok());
  EXPECT_EQ(idem->str, "c-1");

  auto range = redis_->Command({"XRANGE", kStream, "-", "+"});
  ASSERT_TRUE(range.ok()) << range.status();
  ASSERT_EQ(range->elements.size(), 1u);
  EXPECT_EQ(range->elements[0].elements[0].str, entry_id);
  std::vector<std::string> fields = Strings(range->elements[0].elements[1]);
  auto parsed = ParseEntryFields(fields);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->message_id(), envelope.message_id());
  EXPECT_EQ(parsed->aggregate_id(), "c-1");
  EXPECT_EQ(FieldValue(fields, "id"), envelope.message_id());
  EXPECT_EQ(FieldValue(fields, "region"), envelope.region_code());
}

TEST_F(AtomicWriteTest, FailedGuardWritesNothing) {
  ASSERT_TRUE(redis_->Command({"HSET", kRecord, "name", "old", "version", "2"}).ok());
  ASSERT_TRUE(redis_->Command({"XADD", kStream, "*", "earlier", "entry"}).ok());
  const std::vector<std::string> before = Record();

  auto result = AtomicWrite()
                    .RequireAbsent(kIdempotency)                // passes
                    .RequireHashField(kRecord, "version", "1")  // stale: fails
                    .Command({"HSET", kRecord, "name", "new", "version", "2"})
                    .Command({"SET", kIdempotency, "c-1"})
                    .Publish(kStream, TestEnvelope("updated", "c-1"))
                    .Execute(*redis_);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_FALSE(result->applied);
  EXPECT_EQ(result->failed_guard, 1);
  EXPECT_FALSE(result->found_nil);
  EXPECT_EQ(result->found, "2");
  EXPECT_TRUE(result->replies.empty());

  EXPECT_EQ(Record(), before);
  EXPECT_EQ(StreamLength(), 1);
  auto idem = redis_->Command({"EXISTS", kIdempotency});
  ASSERT_TRUE(idem.ok());
  EXPECT_EQ(idem->integer, 0);
}

TEST_F(AtomicWriteTest, RequireAbsentReturnsTheValueFound) {
  ASSERT_TRUE(redis_->Command({"SET", kIdempotency, "c-7"}).ok());
  auto result = AtomicWrite()
                    .RequireAbsent("case:{16.06}:idem:other")
                    .RequireAbsent(kIdempotency)
                    .Command({"HSET", kRecord, "name", "dup"})
                    .Publish(kStream, TestEnvelope("dup", "c-7"))
                    .Execute(*redis_);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_FALSE(result->applied);
  EXPECT_EQ(result->failed_guard, 1);
  EXPECT_FALSE(result->found_nil);
  EXPECT_EQ(result->found, "c-7");
  EXPECT_TRUE(Record().empty());
  EXPECT_EQ(StreamLength(), 0);
}

TEST_F(AtomicWriteTest, HashFieldGuardOnAMissingFieldFindsNil) {
  auto result = AtomicWrite()
                    .RequireHashField(kRecord, "version", "1")
                    .Command({"HSET", kRecord, "name", "x"})
                    .Execute(*redis_);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_FALSE(result->applied);
  EXPECT_EQ(result->failed_guard, 0);
  EXPECT_TRUE(result->found_nil);
  EXPECT_TRUE(Record().empty());
}

TEST_F(AtomicWriteTest, HashFieldMatchGuardNeedsAMatchingValue) {
  ASSERT_TRUE(redis_->Command({"HSET", kRecord, "state", "3:L", "other", "4:A"}).ok());
  auto passed = AtomicWrite()
                    .RequireHashFieldMatches(kRecord, "state", "^%d+:L$")
                    .RequireHashFieldExists(kRecord, "other")
                    .Command({"SET", kIdempotency, "c-1"})
                    .Execute(*redis_);
  ASSERT_TRUE(passed.ok()) << passed.status();
  EXPECT_TRUE(passed->applied);

  auto absent = AtomicWrite()
                    .RequireHashFieldExists(kRecord, "missing")
                    .Command({"SET", kIdempotency, "c-2"})
                    .Execute(*redis_);
  ASSERT_TRUE(absent.ok()) << absent.status();
  EXPECT_FALSE(absent->applied);
  EXPECT_EQ(absent->failed_guard, 0);
  EXPECT_TRUE(absent->found_nil);

  auto mismatch = AtomicWrite()
                      .RequireHashFieldMatches(kRecord, "other", "^%d+:L$")
                      .Command({"SET", kIdempotency, "c-3"})
                      .Execute(*redis_);
  ASSERT_TRUE(mismatch.ok()) << mismatch.status();
  EXPECT_FALSE(mismatch->applied);
  EXPECT_EQ(mismatch->found, "4:A");
  auto idem = redis_->Command({"GET", kIdempotency});
  ASSERT_TRUE(idem.ok());
  EXPECT_EQ(idem->str, "c-1") << "the refused writes wrote nothing";
}

TEST_F(AtomicWriteTest, WorksAfterScriptFlush) {
  ASSERT_TRUE(redis_->Command({"SCRIPT", "FLUSH"}).ok());
  auto result = AtomicWrite().Command({"HSET", kRecord, "name", "x"}).Execute(*redis_);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->applied);
  EXPECT_EQ(FieldValue(Record(), "name"), "x");
}

}  // namespace
}  // namespace wahana
