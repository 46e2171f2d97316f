// ProtoRecordStore against a real Redis, with events as the record kind (any generated message
// with `id` and `etag` would do).

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <set>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/bus/atomic_write.h"
#include "common/bus/envelope.h"
#include "common/ids/time_ordered_id.h"
#include "common/storage/proto_record_store.h"
#include "common/storage/record_requests.h"
#include "support/redis_inspection.h"
#include "support/redis_server.h"
#include "wahana/cases/v1/case.pb.h"
#include "wahana/event/v1/event.pb.h"

namespace wahana::testing {
namespace {

using wahana::common::v1::Envelope;
using wahana::event::v1::Event;
using wahana::event::v1::EventChanged;

constexpr char kRegion[] = "16.06";

Event NewEvent(const std::string& title = "Sosialisasi PKH") {
  Event event;
  event.set_id(TimeOrderedIdGenerator::Default().Next());
  event.set_etag(EtagOf(kFirstVersion));
  event.set_title(title);
  event.set_region_code("16.06.01");
  return event;
}

Envelope Created(const Event& event) {
  EventChanged payload;
  *payload.mutable_event() = event;
  return MakeEnvelope(payload, CreatedFacts(kRegion, event.id(), event.region_code()));
}

class ProtoRecordStoreTest : public ::testing::Test {
 protected:
  ProtoRecordStoreTest() : redis_(server_.Client()), store_(*redis_, keys_) {}

  RedisServer server_;
  std::unique_ptr<RedisClient> redis_;
  const RecordKeys keys_ = RecordKeys::SoleKind("event", kRegion);
  ProtoRecordStore<Event> store_;
};

TEST_F(ProtoRecordStoreTest, CreateWritesTheRecordItsEtagAndItsMessageTogether) {
  Event event = NewEvent();
  Envelope message = Created(event);
  absl::StatusOr<CreateResult<Event>> result = store_.Create(event, message, "");
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->created);
  EXPECT_EQ(result->stored.SerializeAsString(), event.SerializeAsString());

  // The record: a hash of exactly the protobuf bytes and the etag.
  auto fields = redis_->Command({"HGETALL", "event:{16.06}:event:" + event.id()});
  ASSERT_TRUE(fields.ok()) << fields.status();
  ASSERT_EQ(fields->elements.size(), 4u);
  auto pb = redis_->Command({"HGET", keys_.Record(event.id()), kRecordPbField});
  ASSERT_TRUE(pb.ok()) << pb.status();
  Event stored;
  ASSERT_TRUE(stored.ParseFromString(pb->str));
  EXPECT_EQ(stored.SerializeAsString(), event.SerializeAsString());
  auto etag = redis_->Command({"HGET", keys_.Record(event.id()), kRecordEtagField});
  ASSERT_TRUE(etag.ok()) << etag.status();
  EXPECT_EQ(etag->str, "1");

  // The message, on the service's stream.
  std::vector<Envelope> messages = StreamMessages(*redis_, "event:{16.06}:stream");
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].SerializeAsString(), message.SerializeAsString());

  // Without a requestId, nothing remembers one.
  EXPECT_TRUE(Keys(*redis_, "event:{16.06}:request:*").empty());

  absl::StatusOr<Event> read = store_.Get(event.id());
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->SerializeAsString(), event.SerializeAsString());
}

TEST_F(ProtoRecordStoreTest, ARequestIdIsRememberedForAWeek) {
  Event event = NewEvent();
  ASSERT_TRUE(store_.Create(event, Created(event), "sched-1").ok());
  auto id = redis_->Command({"GET", "event:{16.06}:request:sched-1"});
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(id->str, event.id());
  auto ttl = redis_->Command({"TTL", keys_.Request("sched-1")});
  ASSERT_TRUE(ttl.ok()) << ttl.status();
  EXPECT_GT(ttl->integer, 7 * 24 * 3600 - 60);
  EXPECT_LE(ttl->integer, kRequestIdTtlSeconds);

  absl::StatusOr<std::optional<Event>> found = store_.FindByRequestId("sched-1");
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->SerializeAsString(), event.SerializeAsString());

  absl::StatusOr<std::optional<Event>> unknown = store_.FindByRequestId("sched-2");
  ASSERT_TRUE(unknown.ok()) << unknown.status();
  EXPECT_FALSE(unknown->has_value());
}

TEST_F(ProtoRecordStoreTest, ARepeatedRequestIdAnswersTheFirstRecordAndWritesNothing) {
  Event first = NewEvent("first");
  Event second = NewEvent("second");
  absl::StatusOr<CreateResult<Event>> a = store_.Create(first, Created(first), "once");
  absl::StatusOr<CreateResult<Event>> b = store_.Create(second, Created(second), "once");
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_TRUE(a->created);
  EXPECT_FALSE(b->created);
  EXPECT_EQ(b->stored.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(store_.Get(second.id()).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Keys(*redis_, "event:{16.06}:event:*").size(), 1u);
  EXPECT_EQ(StreamLength(*redis_, keys_.Stream()), 1);
}

// Creates that all got past any look-up at once: the atomic write's guard lets exactly one write,
// and every caller is answered with its record.
TEST_F(ProtoRecordStoreTest, RacingCreatesWithOneRequestIdWriteOnce) {
  constexpr int kCallers = 8;
  std::vector<Event> events;
  for (int i = 0; i < kCallers; ++i) events.push_back(NewEvent(absl::StrCat("caller ", i)));
  std::vector<absl::StatusOr<CreateResult<Event>>> results(kCallers, absl::UnknownError("not run"));
  std::atomic<bool> go{false};
  std::vector<std::thread> callers;
  for (int i = 0; i < kCallers; ++i) {
    callers.emplace_back([&, i] {
      while (!go.load()) std::this_thread::yield();
      results[i] = store_.Create(events[i], Created(events[i]), "race");
    });
  }
  go = true;
  for (std::thread& t : callers) t.join();

  int created = 0;
  std::set<std::string> answered;
  for (const auto& result : results) {
    ASSERT_TRUE(result.ok()) << result.status();
    created += result->created ? 1 : 0;
    answered.insert(result->stored.id());
  }
  EXPECT_EQ(created, 1);
  EXPECT_EQ(answered.size(), 1u) << "every caller gets the one stored record";
  EXPECT_EQ(Keys(*redis_, "event:{16.06}:event:*").size(), 1u);
  EXPECT_EQ(StreamLength(*redis_, keys_.Stream()), 1);
}

TEST_F(ProtoRecordStoreTest, GetOfAnUnknownIdIsNotFoundNamingTheKind) {
  absl::StatusOr<Event> read = store_.Get("01J0000000000000000000000A");
  EXPECT_EQ(read.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(read.status().message(), "event 01J0000000000000000000000A not found");
}

TEST_F(ProtoRecordStoreTest, CorruptDataIsInternal) {
  ASSERT_TRUE(redis_->Command({"HSET", keys_.Record("X1"), kRecordPbField, "\xff\xff"}).ok());
  absl::StatusOr<Event> read = store_.Get("X1");
  EXPECT_EQ(read.status().code(), absl::StatusCode::kInternal);
  EXPECT_EQ(read.status().message(), "stored event X1 is not a valid Event");

  // A requestId whose record is gone: the look-up and a create with it both refuse.
  ASSERT_TRUE(redis_->Command({"SET", keys_.Request("dangling"), "X2"}).ok());
  absl::StatusOr<std::optional<Event>> found = store_.FindByRequestId("dangling");
  EXPECT_EQ(found.status().code(), absl::StatusCode::kInternal);
  EXPECT_EQ(found.status().message(),
            "requestId dangling points at event X2, which does not exist");
  Event event = NewEvent();
  EXPECT_EQ(store_.Create(event, Created(event), "dangling").status().code(),
            absl::StatusCode::kInternal);
  EXPECT_EQ(StreamLength(*redis_, keys_.Stream()), 0);
}

// The kinds of one service (the registry's, say) have their own records and requestIds and
// share the service's stream.
TEST_F(ProtoRecordStoreTest, KindsOfOneServiceKeepTheirOwnRequestIds) {
  ProtoRecordStore<Event> meetings(*redis_, RecordKeys("registry", "meeting", kRegion));
  ProtoRecordStore<wahana::cases::v1::Case> referrals(*redis_,
                                                      RecordKeys("registry", "referral", kRegion));
  Event meeting = NewEvent();
  wahana::cases::v1::Case referral;
  referral.set_id(TimeOrderedIdGenerator::Default().Next());
  referral.set_etag(EtagOf(kFirstVersion));

  absl::StatusOr<CreateResult<Event>> a = meetings.Create(meeting, Created(meeting), "same");
  absl::StatusOr<CreateResult<wahana::cases::v1::Case>> b =
      referrals.Create(referral, Created(meeting), "same");
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_TRUE(a->created);
  EXPECT_TRUE(b->created);
  EXPECT_TRUE(referrals.Get(referral.id()).ok());
  EXPECT_EQ(meetings.Get(referral.id()).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(StreamLength(*redis_, "registry:{16.06}:stream"), 2);
  EXPECT_EQ(Keys(*redis_, "registry:{16.06}:request:*").size(), 2u);
}

// The contract an update builds on: the etag field of the hash is the record's version, so an
// atomic write guarded on it applies with the etag the client read and not with a stale one.
TEST_F(ProtoRecordStoreTest, TheEtagFieldGuardsAChange) {
  Event event = NewEvent();
  ASSERT_TRUE(store_.Create(event, Created(event), "").ok());
  Event changed = event;
  changed.set_title("changed");
  changed.set_etag(EtagOf(kFirstVersion + 1));
  auto change = [&](const std::string& read_etag) {
    AtomicWrite write;
    write.RequireHashField(keys_.Record(event.id()), kRecordEtagField, read_etag);
    write.Command({"HSET", keys_.Record(event.id()), kRecordPbField, changed.SerializeAsString(),
                   kRecordEtagField, changed.etag()});
    return write.Execute(*redis_);
  };

  absl::StatusOr<AtomicWriteResult> stale = change("0");
  ASSERT_TRUE(stale.ok()) << stale.status();
  EXPECT_FALSE(stale->applied);
  EXPECT_EQ(stale->found, "1");
  absl::StatusOr<AtomicWriteResult> current = change("1");
  ASSERT_TRUE(current.ok()) << current.status();
  EXPECT_TRUE(current->applied);
  absl::StatusOr<Event> read = store_.Get(event.id());
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->title(), "changed");
  EXPECT_EQ(read->etag(), "2");
}

TEST_F(ProtoRecordStoreTest, RedisDownIsUnavailable) {
  server_.Kill();
  Event event = NewEvent();
  EXPECT_EQ(store_.Create(event, Created(event), "r").status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(store_.Get(event.id()).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(store_.FindByRequestId("r").status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace wahana::testing
