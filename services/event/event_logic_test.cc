#include "event/event_logic.h"

#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include "support/record_service_fakes.h"
#include "support/test_principals.h"

namespace wahana {
namespace {

using google::protobuf::util::TimeUtil;
using testing::TestPrincipal;
using wahana::common::v1::Envelope;
using wahana::event::v1::CreateEventRequest;
using wahana::event::v1::Event;
using wahana::event::v1::EventCreated;
using wahana::event::v1::GetEventRequest;

class EventLogicTest : public ::testing::Test {
 protected:
  EventLogicTest()
      : store_(std::make_shared<testing::InMemoryRecordStore<Event>>()),
        regions_(std::make_shared<StaticRegionDirectory>()) {
    regions_->Add("16")
        .Add("16.06")
        .Add("16.06.01")
        .Add("16.06.01.2001")
        .Add("17.01")
        .Add("17.01.01");
    logic_ = MakeLogic(regions_);
  }

  std::unique_ptr<EventLogic> MakeLogic(std::shared_ptr<RegionDirectory> regions) {
    return std::make_unique<EventLogic>("16.06", store_, std::move(regions),
                                        [this] { return now_; });
  }

  static CreateEventRequest ValidRequest() {
    CreateEventRequest request;
    Event* event = request.mutable_event();
    event->set_kind(wahana::event::v1::SOSIALISASI);
    event->set_title("Sosialisasi WKSBM Kecamatan Sekayu");
    event->set_region_code("16.06.01");
    event->set_venue("Aula Kantor Camat Sekayu");
    *event->mutable_start_time() = TimeUtil::SecondsToTimestamp(1780000000);
    *event->mutable_end_time() = TimeUtil::SecondsToTimestamp(1780000000 + 3 * 3600);
    return request;
  }

  void ExpectInvalid(const CreateEventRequest& request, const std::string& field) {
    size_t published_before = store_->published.size();
    absl::StatusOr<Event> result = logic_->CreateEvent(admin_, request);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << result.status();
    EXPECT_EQ(result.status().message().rfind(field + ":", 0), 0u)
        << "message should start with " << field << ": " << result.status();
    EXPECT_EQ(store_->published.size(), published_before);
  }

  absl::Time now_ = absl::FromUnixSeconds(1770000000);
  const Principal admin_ = TestPrincipal(Role::kAdmin);
  std::shared_ptr<testing::InMemoryRecordStore<Event>> store_;
  std::shared_ptr<StaticRegionDirectory> regions_;
  std::unique_ptr<EventLogic> logic_;
};

TEST_F(EventLogicTest, CreateSetsTheServerFieldsAndPublishesEventCreated) {
  CreateEventRequest request = ValidRequest();
  request.mutable_event()->set_id("01ARZ3NDEKTSV4RRFFQ69G5FAV");
  request.mutable_event()->set_etag("7");
  absl::StatusOr<Event> created = logic_->CreateEvent(admin_, request);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_NE(created->id(), "01ARZ3NDEKTSV4RRFFQ69G5FAV");
  EXPECT_GE(TimeOfId(created->id()), 0);
  EXPECT_EQ(created->etag(), "1");
  EXPECT_EQ(TimeUtil::TimestampToSeconds(created->create_time()), 1770000000);
  EXPECT_EQ(created->title(), request.event().title());
  EXPECT_EQ(created->venue(), request.event().venue());
  EXPECT_EQ(created->start_time().seconds(), 1780000000);

  ASSERT_EQ(store_->published.size(), 1u);
  const Envelope& message = store_->published[0];
  EXPECT_EQ(message.type(), "wahana.event.v1.EventCreated");
  EXPECT_EQ(message.origin_region(), "16.06");
  EXPECT_EQ(message.aggregate_id(), created->id());
  EXPECT_EQ(message.aggregate_version(), 1);
  EXPECT_EQ(message.region_code(), "16.06.01");
  EventCreated payload;
  ASSERT_TRUE(message.payload().UnpackTo(&payload));
  EXPECT_EQ(payload.event().SerializeAsString(), created->SerializeAsString());
}

TEST_F(EventLogicTest, RegionMayBeAVillageSubdistrictOrTheRegency) {
  for (const char* code : {"16.06.01.2001", "16.06.01", "16.06"}) {
    CreateEventRequest request = ValidRequest();
    request.mutable_event()->set_region_code(code);
    absl::StatusOr<Event> created = logic_->CreateEvent(admin_, request);
    EXPECT_TRUE(created.ok()) << code << ": " << created.status();
  }
}

TEST_F(EventLogicTest, RegionMustBeAKnownRegionWithinTheDeployment) {
  for (const char* code : {"", "16" /* the province */, "17.01" /* another regency */, "17.01.01",
                           "16.06.09" /* unknown */, "16.06.1"}) {
    CreateEventRequest request = ValidRequest();
    request.mutable_event()->set_region_code(code);
    SCOPED_TRACE(code);
    ExpectInvalid(request, "regionCode");
  }
}

TEST_F(EventLogicTest, KindTitleAndVenueAreChecked) {
  CreateEventRequest request = ValidRequest();
  request.mutable_event()->set_kind(wahana::event::v1::EVENT_KIND_UNSPECIFIED);
  ExpectInvalid(request, "kind");
  request = ValidRequest();
  request.mutable_event()->set_title("  ");
  ExpectInvalid(request, "title");
  request.mutable_event()->set_title(std::string(201, 't'));
  ExpectInvalid(request, "title");
  request.mutable_event()->set_title("Sosialisasi\nWKSBM");
  ExpectInvalid(request, "title");
  request.mutable_event()->set_title("Sosialisasi WKSBM");
  request.mutable_event()->set_venue(std::string(501, 'v'));
  ExpectInvalid(request, "venue");
  request.mutable_event()->set_venue("Aula\tKantor");
  ExpectInvalid(request, "venue");
}

TEST_F(EventLogicTest, StartTimeIsRequiredAndEndTimeNotBeforeIt) {
  CreateEventRequest request = ValidRequest();
  request.mutable_event()->clear_start_time();
  ExpectInvalid(request, "startTime");

  request = ValidRequest();
  *request.mutable_event()->mutable_end_time() = TimeUtil::SecondsToTimestamp(1780000000 - 1);
  ExpectInvalid(request, "endTime");

  request = ValidRequest();
  request.mutable_event()->mutable_start_time()->set_nanos(-1);
  ExpectInvalid(request, "startTime");

  request = ValidRequest();
  *request.mutable_event()->mutable_end_time() = request.event().start_time();
  EXPECT_TRUE(logic_->CreateEvent(admin_, request).ok()) << "an event may end when it starts";

  request = ValidRequest();
  request.mutable_event()->clear_end_time();
  absl::StatusOr<Event> open_ended = logic_->CreateEvent(admin_, request);
  ASSERT_TRUE(open_ended.ok()) << open_ended.status();
  EXPECT_FALSE(open_ended->has_end_time());
}

TEST_F(EventLogicTest, SameRequestIdReturnsTheFirstEventAndCreatesNothing) {
  CreateEventRequest request = ValidRequest();
  request.set_request_id("sched-1");
  absl::StatusOr<Event> first = logic_->CreateEvent(admin_, request);
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<Event> second = logic_->CreateEvent(admin_, request);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->id(), first->id());
  EXPECT_EQ(store_->records.size(), 1u);
  EXPECT_EQ(store_->published.size(), 1u);
}

TEST_F(EventLogicTest, RegistryDownIsUnavailable) {
  logic_ = MakeLogic(std::make_shared<testing::UnavailableRegionDirectory>());
  EXPECT_EQ(logic_->CreateEvent(admin_, ValidRequest()).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_TRUE(store_->published.empty());
}

TEST_F(EventLogicTest, GetEvent) {
  absl::StatusOr<Event> created = logic_->CreateEvent(admin_, ValidRequest());
  ASSERT_TRUE(created.ok()) << created.status();
  GetEventRequest get;
  get.set_id(created->id());
  absl::StatusOr<Event> read = logic_->GetEvent(admin_, get);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->SerializeAsString(), created->SerializeAsString());

  get.set_id(TimeOrderedIdGenerator().Next());
  EXPECT_EQ(logic_->GetEvent(admin_, get).status().code(), absl::StatusCode::kNotFound);
  get.set_id("nope");
  absl::StatusOr<Event> bad = logic_->GetEvent(admin_, get);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message().rfind("id:", 0), 0u) << bad.status();
}

// --- Access (access_policy.h) ---

TEST_F(EventLogicTest, AnEventOutsideTheScopeReadsAsAnUnknownOne) {
  absl::StatusOr<Event> created = logic_->CreateEvent(admin_, ValidRequest());  // 16.06.01
  ASSERT_TRUE(created.ok()) << created.status();
  GetEventRequest get;
  get.set_id(created->id());
  absl::StatusOr<Event> read = logic_->GetEvent(TestPrincipal(Role::kOperator, "16.06.02"), get);
  EXPECT_EQ(read.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(std::string(read.status().message()), "event " + created->id() + " not found");
  EXPECT_EQ(logic_->GetEvent(TestPrincipal(Role::kProvinceViewer, "16"), get).status().code(),
            absl::StatusCode::kNotFound)
      << "the province sees aggregates, not events";
  EXPECT_TRUE(logic_->GetEvent(TestPrincipal(Role::kViewer, "16.06.01"), get).ok());
  EXPECT_EQ(
      logic_->GetEvent(TestPrincipal(Role::kFieldWorker, "16.06.01.2001"), get).status().code(),
      absl::StatusCode::kNotFound)
      << "a subdistrict's event lies above a village scope";
}

TEST_F(EventLogicTest, ACreateOutsideTheScopeOrByALowRoleIsForbiddenAndWritesNothing) {
  for (const Principal& caller :
       {TestPrincipal(Role::kOperator, "16.06.02"), TestPrincipal(Role::kViewer),
        TestPrincipal(Role::kSystem), TestPrincipal(Role::kProvinceViewer, "16")}) {
    absl::StatusOr<Event> created = logic_->CreateEvent(caller, ValidRequest());
    EXPECT_EQ(created.status().code(), absl::StatusCode::kPermissionDenied)
        << Describe(caller) << ": " << created.status();
  }
  EXPECT_TRUE(store_->published.empty());
  EXPECT_TRUE(
      logic_->CreateEvent(TestPrincipal(Role::kFieldWorker, "16.06.01"), ValidRequest()).ok());
}

TEST_F(EventLogicTest, ARetriedCreateAnswersOnlyACallerWhoCouldHaveMadeIt) {
  CreateEventRequest request = ValidRequest();
  request.set_request_id("rapat-1");
  absl::StatusOr<Event> first = logic_->CreateEvent(admin_, request);
  ASSERT_TRUE(first.ok()) << first.status();
  // The same subject after its scope was narrowed to another subdistrict: taken, naming nothing.
  absl::StatusOr<Event> replay =
      logic_->CreateEvent(TestPrincipal(Role::kOperator, "16.06.02", admin_.subject), request);
  EXPECT_EQ(replay.status().code(), absl::StatusCode::kAlreadyExists) << replay.status();
  EXPECT_EQ(replay.status().message(),
            "requestId: an event with this requestId is already registered outside your region");
  // Another principal's "rapat-1" is its own: a second event.
  absl::StatusOr<Event> other = logic_->CreateEvent(
      TestPrincipal(Role::kOperator, "16.06.01", "test:another-operator"), request);
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_NE(other->id(), first->id());
}

}  // namespace
}  // namespace wahana
