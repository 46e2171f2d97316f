// StreamConsumer against a private redis-server: ack, redelivery, dead letters, dedupe, restarts.

#include "common/bus/stream_consumer.h"

#include <atomic>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "bus_test_util.h"
#include "common/bus/envelope.h"
#include "gtest/gtest.h"
#include "support/redis_server.h"

namespace wahana {
namespace {

using ::wahana::common::v1::Envelope;
using ::wahana::testing::FieldValue;
using ::wahana::testing::PollUntil;
using ::wahana::testing::RedisServer;
using ::wahana::testing::Strings;
using ::wahana::testing::TestEnvelope;

constexpr char kStream[] = "case:{16.06}:stream";
constexpr char kGroup[] = "reporting";

// Records what the handler saw; thread-safe (Start() runs the handler on its own thread).
class Recorder {
 public:
  explicit Recorder(absl::Status result = absl::OkStatus()) : result_(std::move(result)) {}

  StreamConsumer::Handler Handler() {
    return [this](const Envelope& envelope, const std::string& entry_id) {
      absl::MutexLock lock(&mu_);
      message_ids_.push_back(envelope.message_id());
      entry_ids_.push_back(entry_id);
      return result_;
    };
  }
  size_t calls() {
    absl::MutexLock lock(&mu_);
    return message_ids_.size();
  }
  std::vector<std::string> message_ids() {
    absl::MutexLock lock(&mu_);
    return message_ids_;
  }
  std::vector<std::string> entry_ids() {
    absl::MutexLock lock(&mu_);
    return entry_ids_;
  }

 private:
  const absl::Status result_;
  absl::Mutex mu_;
  std::vector<std::string> message_ids_;
  std::vector<std::string> entry_ids_;
};

class StreamConsumerTest : public ::testing::Test {
 protected:
  StreamConsumerOptions Options(const std::string& consumer = "c1") {
    StreamConsumerOptions options;
    options.stream = kStream;
    options.group = kGroup;
    options.consumer = consumer;
    options.block_ms = 100;
    options.claim_idle_ms = 60000;
    return options;
  }

  std::string Append(const Envelope& envelope) {
    auto id = redis_->Command(XaddArgv(kStream, envelope));
    EXPECT_TRUE(id.ok()) << id.status();
    return id.ok() ? id->str : "";
  }

  void CreateGroup() {
    ASSERT_TRUE(redis_->Command({"XGROUP", "CREATE", kStream, kGroup, "0", "MKSTREAM"}).ok());
  }

  int64_t PendingCount() {
    auto summary = redis_->Command({"XPENDING", kStream, kGroup});
    EXPECT_TRUE(summary.ok()) << summary.status();
    return summary.ok() ? summary->elements.at(0).integer : -1;
  }

  // The dead-letter entries as field lists, oldest first.
  std::vector<std::vector<std::string>> DeadLetters() {
    auto range = redis_->Command({"XRANGE", StreamConsumer::DeadLetterStream(kStream), "-", "+"});
    EXPECT_TRUE(range.ok()) << range.status();
    std::vector<std::vector<std::string>> out;
    if (range.ok()) {
      for (const RedisReply& entry : range->elements) out.push_back(Strings(entry.elements[1]));
    }
    return out;
  }

  RedisServer server_;
  std::unique_ptr<RedisClient> redis_ = server_.Client();
};

TEST_F(StreamConsumerTest, HandlesAMessageOnceAndAcksIt) {
  Envelope envelope = TestEnvelope("hello");
  std::string entry_id = Append(envelope);
  Recorder recorder;
  StreamConsumer consumer(*redis_, Options(), recorder.Handler());

  auto handled = consumer.PollOnce(0);
  ASSERT_TRUE(handled.ok()) << handled.status();
  EXPECT_EQ(*handled, 1);
  EXPECT_EQ(recorder.message_ids(), std::vector<std::string>{envelope.message_id()});
  EXPECT_EQ(recorder.entry_ids(), std::vector<std::string>{entry_id});
  EXPECT_EQ(PendingCount(), 0);
  auto marker = redis_->Command(
      {"EXISTS", std::string(kStream) + ":done:" + kGroup + ":" + envelope.message_id()});
  ASSERT_TRUE(marker.ok());
  EXPECT_EQ(marker->integer, 1);

  handled = consumer.PollOnce(0);
  ASSERT_TRUE(handled.ok()) << handled.status();
  EXPECT_EQ(*handled, 0);
  EXPECT_EQ(recorder.calls(), 1u);
  EXPECT_TRUE(DeadLetters().empty());
}

TEST_F(StreamConsumerTest, CreatesTheGroupAtTheStreamStartSoEarlierMessagesAreNotSkipped) {
  Append(TestEnvelope("one"));
  Append(TestEnvelope("two"));
  Recorder recorder;
  StreamConsumer consumer(*redis_, Options(), recorder.Handler());
  auto handled = consumer.PollOnce(0);
  ASSERT_TRUE(handled.ok()) << handled.status();
  EXPECT_EQ(*handled, 2);
  EXPECT_EQ(recorder.calls(), 2u);
}

TEST_F(StreamConsumerTest, MessageOfADeadConsumerIsRedeliveredToAnother) {
  CreateGroup();
  Envelope envelope = TestEnvelope("stranded");
  std::string entry_id = Append(envelope);
  // "dead" reads the message and never acks it.
  auto read = redis_->Command(
      {"XREADGROUP", "GROUP", kGroup, "dead", "COUNT", "10", "STREAMS", kStream, ">"});
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(PendingCount(), 1);

  Recorder recorder;
  StreamConsumerOptions options = Options("alive");
  options.claim_idle_ms = 50;
  StreamConsumer consumer(*redis_, options, recorder.Handler());
  ASSERT_TRUE(PollUntil([&] {
    EXPECT_TRUE(consumer.PollOnce(0).ok());
    return recorder.calls() > 0;
  }));
  EXPECT_EQ(recorder.message_ids(), std::vector<std::string>{envelope.message_id()});
  EXPECT_EQ(recorder.entry_ids(), std::vector<std::string>{entry_id});
  EXPECT_EQ(PendingCount(), 0);
}

TEST_F(StreamConsumerTest, AlwaysFailingMessageGoesToDeadLetterAfterMaxDeliveries) {
  Envelope envelope = TestEnvelope("doomed");
  std::string entry_id = Append(envelope);
  Recorder recorder(absl::UnavailableError("downstream is down"));
  StreamConsumerOptions options = Options();
  options.max_deliveries = 3;
  options.claim_idle_ms = 20;  // the retry delay
  StreamConsumer consumer(*redis_, options, recorder.Handler());

  ASSERT_TRUE(PollUntil([&] {
    EXPECT_TRUE(consumer.PollOnce(0).ok());
    return !DeadLetters().empty();
  }));
  EXPECT_EQ(recorder.calls(), 3u);
  std::vector<std::vector<std::string>> dead = DeadLetters();
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_NE(FieldValue(dead[0], "reason").find("downstream is down"), std::string::npos)
      << FieldValue(dead[0], "reason");
  EXPECT_EQ(FieldValue(dead[0], "source_entry_id"), entry_id);
  EXPECT_EQ(FieldValue(dead[0], "group"), kGroup);
  EXPECT_EQ(FieldValue(dead[0], "id"), envelope.message_id());
  auto copied = ParseEntryFields(dead[0]);  // the original envelope travels along
  ASSERT_TRUE(copied.ok()) << copied.status();
  EXPECT_EQ(copied->message_id(), envelope.message_id());
  EXPECT_EQ(PendingCount(), 0);

  // Nothing more happens to it.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // > claim_idle_ms, by design
  ASSERT_TRUE(consumer.PollOnce(0).ok());
  EXPECT_EQ(recorder.calls(), 3u);
  EXPECT_EQ(DeadLetters().size(), 1u);
}

// A handler saying the message itself is wrong: no retry can mend it, so it is dead-lettered on
// its first delivery, and the group keeps nothing pending.
TEST_F(StreamConsumerTest, PermanentFailureGoesToDeadLetterAfterOneDelivery) {
  for (const absl::Status& permanent :
       {absl::InvalidArgumentError("payload is not a CaseChanged"),
        absl::FailedPreconditionError("status: not a step of a closed case")}) {
    SCOPED_TRACE(permanent.ToString());
    ASSERT_TRUE(redis_->Command({"DEL", kStream, StreamConsumer::DeadLetterStream(kStream)}).ok());
    Envelope envelope = TestEnvelope("wrong for good");
    std::string entry_id = Append(envelope);
    Recorder recorder(permanent);
    StreamConsumerOptions options = Options();
    options.max_deliveries = 5;
    options.claim_idle_ms = 0;  // a retry would come at once: there must be none
    StreamConsumer consumer(*redis_, options, recorder.Handler());

    auto handled = consumer.PollOnce(0);
    ASSERT_TRUE(handled.ok()) << handled.status();
    EXPECT_EQ(*handled, 1);
    EXPECT_EQ(recorder.calls(), 1u);
    std::vector<std::vector<std::string>> dead = DeadLetters();
    ASSERT_EQ(dead.size(), 1u);
    EXPECT_EQ(FieldValue(dead[0], "source_entry_id"), entry_id);
    EXPECT_EQ(FieldValue(dead[0], "id"), envelope.message_id());
    EXPECT_NE(FieldValue(dead[0], "reason").find("permanent failure on delivery 1"),
              std::string::npos)
        << FieldValue(dead[0], "reason");
    EXPECT_NE(FieldValue(dead[0], "reason").find(std::string(permanent.message())),
              std::string::npos);
    EXPECT_EQ(PendingCount(), 0);

    ASSERT_TRUE(consumer.PollOnce(0).ok());
    EXPECT_EQ(recorder.calls(), 1u) << "never delivered again";
    EXPECT_EQ(DeadLetters().size(), 1u);
  }
}

// A transient failure (the registry or Redis away) is retried, and the retry that succeeds acks
// it: nothing dead, nothing pending, the effect once.
TEST_F(StreamConsumerTest, TransientFailureIsRetriedAndThenSucceeds) {
  Envelope envelope = TestEnvelope("try again");
  Append(envelope);
  std::atomic<int> calls = 0;
  StreamConsumerOptions options = Options();
  options.max_deliveries = 5;
  options.claim_idle_ms = 20;  // the retry delay
  StreamConsumer consumer(*redis_, options, [&](const Envelope&, const std::string&) {
    return ++calls < 3 ? absl::UnavailableError("registry: connection refused") : absl::OkStatus();
  });

  ASSERT_TRUE(PollUntil([&] {
    EXPECT_TRUE(consumer.PollOnce(0).ok());
    return calls >= 3;
  }));
  EXPECT_EQ(calls, 3);
  EXPECT_TRUE(DeadLetters().empty());
  EXPECT_EQ(PendingCount(), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // > claim_idle_ms, by design
  ASSERT_TRUE(consumer.PollOnce(0).ok());
  EXPECT_EQ(calls, 3);
}

TEST(IsPermanentFailureTest, OnlyTheMessagesOwnFaultsArePermanent) {
  EXPECT_TRUE(IsPermanentFailure(absl::InvalidArgumentError("x")));
  EXPECT_TRUE(IsPermanentFailure(absl::FailedPreconditionError("x")));
  EXPECT_FALSE(IsPermanentFailure(absl::UnavailableError("x")));
  EXPECT_FALSE(IsPermanentFailure(absl::AbortedError("x")));
  EXPECT_FALSE(IsPermanentFailure(absl::DeadlineExceededError("x")));
  EXPECT_FALSE(IsPermanentFailure(absl::InternalError("x")));
}

TEST_F(StreamConsumerTest, MessageThatKeepsKillingItsConsumerEndsInDeadLetter) {
  CreateGroup();
  std::string entry_id = Append(TestEnvelope("crashes the handler"));
  // Three consumers took it and died while handling it (no result, no ack).
  ASSERT_TRUE(redis_->Command({"XREADGROUP", "GROUP", kGroup, "d0", "STREAMS", kStream, ">"}).ok());
  for (const char* name : {"d1", "d2"}) {
    ASSERT_TRUE(redis_->Command({"XCLAIM", kStream, kGroup, name, "0", entry_id}).ok());
  }
  // XCLAIM counts a delivery each time: 3 so far.
  Recorder recorder;
  StreamConsumerOptions options = Options();
  options.max_deliveries = 2;
  options.claim_idle_ms = 0;
  StreamConsumer consumer(*redis_, options, recorder.Handler());
  ASSERT_TRUE(consumer.PollOnce(0).ok());
  EXPECT_EQ(recorder.calls(), 0u);
  std::vector<std::vector<std::string>> dead = DeadLetters();
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_NE(FieldValue(dead[0], "reason").find("delivered"), std::string::npos);
  EXPECT_EQ(PendingCount(), 0);
}

TEST_F(StreamConsumerTest, PoisonEntryGoesToDeadLetterAtOnce) {
  auto id = redis_->Command({"XADD", kStream, "*", "type", "garbage", "note", "no envelope"});
  ASSERT_TRUE(id.ok());
  auto bad = redis_->Command({"XADD", kStream, "*", "envelope", "\xff\xff not protobuf"});
  ASSERT_TRUE(bad.ok());
  Recorder recorder;
  StreamConsumer consumer(*redis_, Options(), recorder.Handler());

  auto handled = consumer.PollOnce(0);
  ASSERT_TRUE(handled.ok()) << handled.status();
  EXPECT_EQ(*handled, 2);
  EXPECT_EQ(recorder.calls(), 0u);
  std::vector<std::vector<std::string>> dead = DeadLetters();
  ASSERT_EQ(dead.size(), 2u);
  EXPECT_EQ(FieldValue(dead[0], "note"), "no envelope");
  EXPECT_EQ(FieldValue(dead[0], "source_entry_id"), id->str);
  EXPECT_NE(FieldValue(dead[0], "reason").find("poison"), std::string::npos);
  EXPECT_EQ(FieldValue(dead[1], "source_entry_id"), bad->str);
  EXPECT_EQ(PendingCount(), 0);
}

TEST_F(StreamConsumerTest, SameMessageAppendedTwiceIsHandledOnce) {
  Envelope envelope = TestEnvelope("twice");
  std::string first = Append(envelope);
  Append(envelope);
  Recorder recorder;
  StreamConsumer consumer(*redis_, Options(), recorder.Handler());

  auto handled = consumer.PollOnce(0);
  ASSERT_TRUE(handled.ok()) << handled.status();
  EXPECT_EQ(*handled, 2);  // one handled, one acknowledged as a duplicate
  EXPECT_EQ(recorder.entry_ids(), std::vector<std::string>{first});
  EXPECT_EQ(PendingCount(), 0);
  EXPECT_TRUE(DeadLetters().empty());
}

TEST_F(StreamConsumerTest, DuplicateAcrossConsumersOfTheGroupIsHandledOnce) {
  Envelope envelope = TestEnvelope("twice");
  Append(envelope);
  Recorder recorder;
  StreamConsumer a(*redis_, Options("a"), recorder.Handler());
  ASSERT_TRUE(a.PollOnce(0).ok());
  Append(envelope);  // e.g. a producer retry after a lost reply
  StreamConsumer b(*redis_, Options("b"), recorder.Handler());
  auto handled = b.PollOnce(0);
  ASSERT_TRUE(handled.ok());
  EXPECT_EQ(*handled, 1);
  EXPECT_EQ(recorder.calls(), 1u);
  EXPECT_EQ(PendingCount(), 0);
}

TEST_F(StreamConsumerTest, RestartedConsumerRereadsItsOwnPendingFirst) {
  Envelope envelope = TestEnvelope("left pending");
  std::string entry_id = Append(envelope);
  {
    Recorder failing(absl::InternalError("crash before the effect"));
    StreamConsumer before(*redis_, Options("c1"), failing.Handler());
    auto handled = before.PollOnce(0);
    ASSERT_TRUE(handled.ok()) << handled.status();
    EXPECT_EQ(*handled, 0);
    EXPECT_EQ(failing.calls(), 1u);
  }
  ASSERT_EQ(PendingCount(), 1);

  // Same consumer name, long claim_idle_ms: only the own-pending read can find it.
  Recorder recorder;
  StreamConsumer after(*redis_, Options("c1"), recorder.Handler());
  auto handled = after.PollOnce(0);
  ASSERT_TRUE(handled.ok()) << handled.status();
  EXPECT_EQ(*handled, 1);
  EXPECT_EQ(recorder.entry_ids(), std::vector<std::string>{entry_id});
  EXPECT_EQ(PendingCount(), 0);

  // A different consumer name would not have seen it before claim_idle_ms.
  Append(TestEnvelope("new"));
  ASSERT_TRUE(after.PollOnce(0).ok());
  EXPECT_EQ(recorder.calls(), 2u);
}

TEST_F(StreamConsumerTest, PendingEntryDeletedFromTheStreamIsAcked) {
  CreateGroup();
  std::string entry_id = Append(TestEnvelope("deleted"));
  ASSERT_TRUE(redis_->Command({"XREADGROUP", "GROUP", kGroup, "c1", "STREAMS", kStream, ">"}).ok());
  ASSERT_TRUE(redis_->Command({"XDEL", kStream, entry_id}).ok());
  Recorder recorder;
  StreamConsumer consumer(*redis_, Options("c1"), recorder.Handler());
  ASSERT_TRUE(consumer.PollOnce(0).ok());
  EXPECT_EQ(recorder.calls(), 0u);
  EXPECT_EQ(PendingCount(), 0);
}

TEST_F(StreamConsumerTest, StartHandlesMessagesOnItsThreadAndStopReturns) {
  Recorder recorder;
  StreamConsumer consumer(*redis_, Options(), recorder.Handler());
  ASSERT_TRUE(consumer.Start().ok());
  EXPECT_EQ(consumer.Start().code(), absl::StatusCode::kFailedPrecondition);
  Envelope envelope = TestEnvelope("threaded");
  std::string entry_id = Append(envelope);
  ASSERT_TRUE(PollUntil([&] { return recorder.calls() == 1 && PendingCount() == 0; }));
  consumer.Stop();
  consumer.Stop();  // idempotent
  EXPECT_EQ(recorder.message_ids(), std::vector<std::string>{envelope.message_id()});

  // The thread is joined: a later message stays undelivered.
  Append(TestEnvelope("after stop"));
  auto groups = redis_->Command({"XINFO", "GROUPS", kStream});
  ASSERT_TRUE(groups.ok());
  EXPECT_EQ(FieldValue(Strings(groups->elements.at(0)), "last-delivered-id"), entry_id);
  EXPECT_EQ(recorder.calls(), 1u);
  EXPECT_EQ(PendingCount(), 0);
}

TEST_F(StreamConsumerTest, ConsumerThreadSurvivesARedisRestart) {
  Recorder recorder;
  StreamConsumer consumer(*redis_, Options(), recorder.Handler());
  ASSERT_TRUE(consumer.Start().ok());
  Append(TestEnvelope("before"));
  ASSERT_TRUE(PollUntil([&] { return recorder.calls() == 1; }));

  server_.Restart();
  // Each pooled connection broken by the restart fails one call; a retried XADD that did land
  // twice is deduplicated by the consumer.
  Envelope after = TestEnvelope("after");
  ASSERT_TRUE(PollUntil([&] { return redis_->Command(XaddArgv(kStream, after)).ok(); }));
  ASSERT_TRUE(PollUntil([&] { return recorder.calls() == 2; }, std::chrono::seconds(20)));
  EXPECT_EQ(recorder.message_ids().back(), after.message_id());
  consumer.Stop();
}

TEST_F(StreamConsumerTest, StartFailsUnavailableWithoutRedis) {
  Recorder recorder;
  StreamConsumer consumer(*redis_, Options(), recorder.Handler());
  server_.Kill();
  absl::Status started = consumer.Start();
  EXPECT_EQ(started.code(), absl::StatusCode::kUnavailable) << started;
}

}  // namespace
}  // namespace wahana
