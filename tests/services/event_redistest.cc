// The event service's logic and Redis storage together, against a real Redis.

#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include <functional>
#include <memory>

#include "event/event_logic.h"
#include "event/event_store.h"
#include "services/services_test_util.h"
#include "support/fake_registry_records.h"
#include "support/redis_server.h"
#include "support/test_principals.h"

namespace wahana::testing {
namespace {

using google::protobuf::util::TimeUtil;
using wahana::event::v1::CreateEventRequest;
using wahana::event::v1::Event;
using wahana::event::v1::EventChanged;
using wahana::event::v1::GetEventRequest;

CreateEventRequest ValidRequest() {
  CreateEventRequest request;
  Event* event = request.mutable_event();
  event->set_kind(wahana::event::v1::MEDIASI);
  event->set_title("Mediasi sengketa lahan warga");
  event->set_region_code(kVillage);
  event->set_venue("Balai Desa");
  *event->mutable_start_time() = TimeUtil::SecondsToTimestamp(1780000000);
  *event->mutable_end_time() = TimeUtil::SecondsToTimestamp(1780007200);
  return request;
}

class EventRedisTest : public ::testing::Test {
 protected:
  EventRedisTest()
      : redis_(server_.Client()),
        logic_(std::make_shared<EventLogic>(kRegion, MakeRedisEventStore(*redis_, kRegion),
                                            TestRegions(),
                                            std::make_shared<FakeRegistryRecords>())) {}

  const Principal admin_ = TestPrincipal(Role::kAdmin, kRegion);
  const std::string stream_ = EventKeys(kRegion).Stream();
  RedisServer server_;
  std::unique_ptr<RedisClient> redis_;
  std::shared_ptr<EventLogic> logic_;
};

TEST_F(EventRedisTest, CreateStoresTheRecordAndItsEventChangedMessage) {
  absl::StatusOr<Event> created = logic_->CreateEvent(admin_, ValidRequest());
  ASSERT_TRUE(created.ok()) << created.status();

  auto pb = redis_->Command({"HGET", EventKeys(kRegion).Record(created->id()), "pb"});
  ASSERT_TRUE(pb.ok()) << pb.status();
  Event stored;
  ASSERT_TRUE(stored.ParseFromString(pb->str));
  EXPECT_EQ(stored.SerializeAsString(), created->SerializeAsString());
  EXPECT_EQ(stored.etag(), "1");

  std::vector<wahana::common::v1::Envelope> messages = StreamMessages(*redis_, stream_);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].type(), "wahana.event.v1.EventChanged");
  EXPECT_EQ(messages[0].origin_region(), kRegion);
  EXPECT_EQ(messages[0].aggregate_id(), created->id());
  EXPECT_EQ(messages[0].aggregate_version(), 1);
  EXPECT_EQ(messages[0].region_code(), kVillage);
  EventChanged payload;
  ASSERT_TRUE(messages[0].payload().UnpackTo(&payload));
  EXPECT_EQ(payload.event().SerializeAsString(), created->SerializeAsString());
  EXPECT_EQ(payload.action(), "created");
  // Listed by its region and in its kind's view.
  EXPECT_EQ(Keys(*redis_, "event:{16.06}:index:event:*").empty(), false);

  GetEventRequest get;
  get.set_id(created->id());
  absl::StatusOr<Event> read = logic_->GetEvent(admin_, get);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->SerializeAsString(), created->SerializeAsString());
}

TEST_F(EventRedisTest, SameRequestIdTwiceCreatesOneEventAndOneMessage) {
  CreateEventRequest request = ValidRequest();
  request.set_request_id("mediasi-2026-05");
  absl::StatusOr<Event> first = logic_->CreateEvent(admin_, request);
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<Event> second = logic_->CreateEvent(admin_, request);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->id(), first->id());
  EXPECT_EQ(Keys(*redis_, "event:{16.06}:event:*").size(), 1u);
  EXPECT_EQ(StreamLength(*redis_, stream_), 1);
}

TEST_F(EventRedisTest, RefusedEventsWriteNothing) {
  struct Bad {
    const char* field;
    std::function<void(Event*)> spoil;
  };
  std::vector<Bad> bad = {
      {"regionCode", [](Event* e) { e->set_region_code("16.06.01.2999"); }},  // unknown
      {"regionCode", [](Event* e) { e->set_region_code("17.01.01"); }},       // other regency
      {"regionCode", [](Event* e) { e->set_region_code("16"); }},             // the province
      {"kind", [](Event* e) { e->clear_kind(); }},
      {"title", [](Event* e) { e->clear_title(); }},
      {"startTime", [](Event* e) { e->clear_start_time(); }},
      {"endTime", [](Event* e) { e->mutable_end_time()->set_seconds(1779999999); }},
  };
  for (const Bad& b : bad) {
    CreateEventRequest request = ValidRequest();
    request.set_request_id("refused");
    b.spoil(request.mutable_event());
    absl::StatusOr<Event> result = logic_->CreateEvent(admin_, request);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << b.field;
    EXPECT_EQ(result.status().message().rfind(std::string(b.field) + ":", 0), 0u)
        << result.status();
  }
  EXPECT_EQ(StreamLength(*redis_, stream_), 0);
  EXPECT_TRUE(Keys(*redis_, "event:*").empty());
}

TEST_F(EventRedisTest, GetEventOfAnUnknownOrMalformedId) {
  GetEventRequest get;
  get.set_id(TimeOrderedIdGenerator::Default().Next());
  EXPECT_EQ(logic_->GetEvent(admin_, get).status().code(), absl::StatusCode::kNotFound);
  get.set_id("event-1");
  EXPECT_EQ(logic_->GetEvent(admin_, get).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace wahana::testing
