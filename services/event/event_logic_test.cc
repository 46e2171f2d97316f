#include "event/event_logic.h"

#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "support/fake_registry_records.h"
#include "support/in_memory_indexed_record_store.h"
#include "support/record_service_fakes.h"
#include "support/test_principals.h"

namespace wahana {
namespace {

using google::protobuf::util::TimeUtil;
using testing::TestPrincipal;
using wahana::common::v1::Envelope;
using wahana::event::v1::CreateEventRequest;
using wahana::event::v1::Event;
using wahana::event::v1::EventChanged;
using wahana::event::v1::EventStepRequest;
using wahana::event::v1::GetEventRequest;
using wahana::event::v1::ListEventsRequest;
using wahana::event::v1::UpdateEventRequest;

constexpr char kInstitution[] = "01J000000000000000000SEKAY";      // in 16.06.01.2001
constexpr char kLaisInstitution[] = "01J0000000000000000000MVBA";  // in 16.06.02.2001

class EventLogicTest : public ::testing::Test {
 protected:
  EventLogicTest()
      : store_(
            std::make_shared<testing::InMemoryIndexedRecordStore<Event>>("event", EventIndexing())),
        regions_(std::make_shared<StaticRegionDirectory>()),
        registry_(std::make_shared<testing::FakeRegistryRecords>()) {
    regions_->Add("16")
        .Add("16.06")
        .Add("16.06.01")
        .Add("16.06.01.2001")
        .Add("16.06.02")
        .Add("17.01")
        .Add("17.01.01");
    registry_->AddInstitution(kInstitution);
    registry_->AddInstitution(kLaisInstitution).set_village_code("16.06.02.2001");
    logic_ = MakeLogic(regions_);
  }

  std::unique_ptr<EventLogic> MakeLogic(std::shared_ptr<RegionDirectory> regions) {
    return std::make_unique<EventLogic>("16.06", store_, std::move(regions), registry_,
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

  Event MustCreate(CreateEventRequest request = ValidRequest()) {
    absl::StatusOr<Event> created = logic_->CreateEvent(admin_, request);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.value_or(Event());
  }

  static EventStepRequest StepOn(const Event& event, const std::string& reason = "") {
    EventStepRequest request;
    request.set_id(event.id());
    request.set_etag(event.etag());
    request.set_reason(reason);
    return request;
  }

  EventChanged LastMessage() const {
    EventChanged message;
    EXPECT_FALSE(store_->published.empty());
    if (!store_->published.empty()) store_->published.back().payload().UnpackTo(&message);
    return message;
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
  std::shared_ptr<testing::InMemoryIndexedRecordStore<Event>> store_;
  std::shared_ptr<StaticRegionDirectory> regions_;
  std::shared_ptr<testing::FakeRegistryRecords> registry_;
  std::unique_ptr<EventLogic> logic_;
};

TEST_F(EventLogicTest, CreateSetsTheServerFieldsAndPublishesEventChanged) {
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
  EXPECT_EQ(created->status(), Event::PLANNED);
  EXPECT_TRUE(created->organised_by_office()) << "an event naming no organiser is the office's";

  ASSERT_EQ(store_->published.size(), 1u);
  const Envelope& message = store_->published[0];
  EXPECT_EQ(message.type(), "wahana.event.v1.EventChanged");
  EXPECT_EQ(message.origin_region(), "16.06");
  EXPECT_EQ(message.aggregate_id(), created->id());
  EXPECT_EQ(message.aggregate_version(), 1);
  EXPECT_EQ(message.region_code(), "16.06.01");
  EventChanged payload;
  ASSERT_TRUE(message.payload().UnpackTo(&payload));
  EXPECT_EQ(payload.event().SerializeAsString(), created->SerializeAsString());
  EXPECT_EQ(payload.action(), "created");
  EXPECT_EQ(payload.status_after(), Event::PLANNED);
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

// --- The event's own fields (event_rules.h) ---

TEST_F(EventLogicTest, DescriptionCapacityAudienceAndSpeakersAreChecked) {
  CreateEventRequest request = ValidRequest();
  request.mutable_event()->set_description(std::string(5001, 'd'));
  ExpectInvalid(request, "description");
  request = ValidRequest();
  request.mutable_event()->set_capacity(-1);
  ExpectInvalid(request, "capacity");
  request = ValidRequest();
  request.mutable_event()->mutable_target_audience()->add_psks_kinds(wahana::common::v1::PSM);
  request.mutable_event()->mutable_target_audience()->add_psks_kinds(wahana::common::v1::PSM);
  ExpectInvalid(request, "targetAudience.psksKinds[1]");
  request = ValidRequest();
  request.mutable_event()->mutable_target_audience()->add_institution_kinds(
      static_cast<wahana::registry::v1::Institution::Kind>(99));
  ExpectInvalid(request, "targetAudience.institutionKinds[0]");
  request = ValidRequest();
  request.mutable_event()->add_speakers()->set_role("Sekretaris Daerah");
  ExpectInvalid(request, "speakers[0].fullName");

  // The seed's event, whole.
  request = ValidRequest();
  Event* e = request.mutable_event();
  e->set_description("Sosialisasi Penumbuhan WKSBM bagi PKK, Karang Taruna dan pendamping");
  e->set_capacity(35);
  e->mutable_target_audience()->add_psks_kinds(wahana::common::v1::PSM);
  e->mutable_target_audience()->add_institution_kinds(wahana::registry::v1::Institution::PKK);
  Event::Speaker* speaker = e->add_speakers();
  speaker->set_full_name("Sekretaris Daerah Kabupaten");
  speaker->set_role("membuka acara");
  Event created = MustCreate(request);
  EXPECT_EQ(created.capacity(), 35);
  // 1780000000 is 2026-05-28T20:26:40Z: the office's clock (WIB by default) is seven hours on.
  EXPECT_EQ(created.time_zone(), "Asia/Jakarta");
  EXPECT_EQ(created.local_start_time(), "2026-05-29T03:26:40+07:00");
  EXPECT_EQ(created.local_end_time(), "2026-05-29T06:26:40+07:00");
  EXPECT_EQ(created.speakers(0).full_name(), "Sekretaris Daerah Kabupaten");
  EXPECT_EQ(created.target_audience().institution_kinds(0), wahana::registry::v1::Institution::PKK);
}

TEST_F(EventLogicTest, AnOrganiserInstitutionIsAReadOfIt) {
  CreateEventRequest request = ValidRequest();
  request.mutable_event()->add_organiser_institution_ids(kInstitution);
  Event created = MustCreate(request);
  EXPECT_FALSE(created.organised_by_office()) << "named organisers replace the default";

  // Unknown, and outside the caller's scope: the same 404, naming only the id sent.
  const Principal sekayu = TestPrincipal(Role::kOperator, "16.06.01");
  const std::string unknown = TimeOrderedIdGenerator().Next();
  for (const std::string& id : {unknown, std::string(kLaisInstitution)}) {
    request = ValidRequest();
    request.mutable_event()->add_organiser_institution_ids(id);
    const size_t published = store_->published.size();
    absl::StatusOr<Event> refused = logic_->CreateEvent(sekayu, request);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kNotFound) << refused.status();
    EXPECT_EQ(refused.status().message(),
              "organiserInstitutionIds[0]: institution " + id + " not found");
    EXPECT_EQ(store_->published.size(), published);
  }
  // Not an id at all, or twice.
  request = ValidRequest();
  request.mutable_event()->add_organiser_institution_ids("lks-bina-sejahtera");
  ExpectInvalid(request, "organiserInstitutionIds[0]");
  request = ValidRequest();
  request.mutable_event()->add_organiser_institution_ids(kInstitution);
  request.mutable_event()->add_organiser_institution_ids(kInstitution);
  ExpectInvalid(request, "organiserInstitutionIds[1]");
  // Nobody organising it.
  request = ValidRequest();
  request.mutable_event()->set_organised_by_office(false);
  request.mutable_event()->add_organiser_institution_ids(kInstitution);
  Event only_institution = MustCreate(request);
  UpdateEventRequest update;
  *update.mutable_event() = only_institution;
  update.mutable_event()->clear_organiser_institution_ids();
  update.mutable_update_mask()->add_paths("organiser_institution_ids");
  absl::StatusOr<Event> orphan = logic_->UpdateEvent(admin_, update);
  EXPECT_EQ(orphan.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(orphan.status().message().rfind("organisedByOffice:", 0), 0u) << orphan.status();
  // The registry down: UNAVAILABLE, nothing written.
  registry_->unavailable = absl::UnavailableError("registry down");
  request = ValidRequest();
  request.mutable_event()->add_organiser_institution_ids(kInstitution);
  EXPECT_EQ(logic_->CreateEvent(admin_, request).status().code(), absl::StatusCode::kUnavailable);
}

// --- Status steps ---

TEST_F(EventLogicTest, TheStatusMovesOneStepAtATime) {
  Event event = MustCreate();
  absl::StatusOr<Event> early = logic_->StartEvent(admin_, StepOn(event));
  EXPECT_EQ(early.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(early.status().message(),
            "status: event " + event.id() + " is PLANNED; :start needs OPEN");

  struct Move {
    absl::StatusOr<Event> (EventLogic::*step)(const Principal&, const EventStepRequest&);
    Event::Status to;
    const char* action;
  };
  for (const Move& move : {Move{&EventLogic::OpenEvent, Event::OPEN, "opened"},
                           Move{&EventLogic::StartEvent, Event::ONGOING, "started"},
                           Move{&EventLogic::FinishEvent, Event::DONE, "finished"}}) {
    const Event::Status before = event.status();
    absl::StatusOr<Event> moved = (logic_.get()->*move.step)(admin_, StepOn(event));
    ASSERT_TRUE(moved.ok()) << move.action << ": " << moved.status();
    EXPECT_EQ(moved->status(), move.to);
    EXPECT_EQ(LastMessage().action(), move.action);
    EXPECT_EQ(LastMessage().status_before(), before);
    EXPECT_EQ(LastMessage().status_after(), move.to);
    // The etag read is required, and a stale one is refused.
    EXPECT_EQ((logic_.get()->*move.step)(admin_, StepOn(event)).status().code(),
              absl::StatusCode::kAborted);
    event = *moved;
  }
  const size_t published = store_->published.size();
  absl::StatusOr<Event> cancel_done = logic_->CancelEvent(admin_, StepOn(event, "hujan"));
  EXPECT_EQ(cancel_done.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(cancel_done.status().message(),
            "status: event " + event.id() + " is DONE; :cancel needs PLANNED, OPEN or ONGOING");
  EXPECT_EQ(store_->published.size(), published);
}

TEST_F(EventLogicTest, CancellingNeedsAReasonAndKeepsIt) {
  Event event = MustCreate();
  absl::StatusOr<Event> silent = logic_->CancelEvent(admin_, StepOn(event));
  EXPECT_EQ(silent.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(silent.status().message().rfind("reason:", 0), 0u) << silent.status();
  absl::StatusOr<Event> cancelled =
      logic_->CancelEvent(admin_, StepOn(event, "banjir di Desa Sukarami"));
  ASSERT_TRUE(cancelled.ok()) << cancelled.status();
  EXPECT_EQ(cancelled->status(), Event::CANCELLED);
  EXPECT_EQ(cancelled->cancel_reason(), "banjir di Desa Sukarami");
  EXPECT_EQ(LastMessage().reason(), "banjir di Desa Sukarami");
  EXPECT_EQ(logic_->OpenEvent(admin_, StepOn(*cancelled)).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(EventLogicTest, AFieldWorkerRunsTheEventButTheOfficeOpensAndCancelsIt) {
  Event event = MustCreate();
  const Principal field = TestPrincipal(Role::kFieldWorker, "16.06.01");
  absl::StatusOr<Event> open = logic_->OpenEvent(field, StepOn(event));
  EXPECT_EQ(open.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(open.status().message(),
            "role FIELD_WORKER may not take :open (ADMIN, SUPERVISOR, OPERATOR may)");
  open = logic_->OpenEvent(TestPrincipal(Role::kOperator, "16.06.01"), StepOn(event));
  ASSERT_TRUE(open.ok()) << open.status();
  absl::StatusOr<Event> started = logic_->StartEvent(field, StepOn(*open));
  ASSERT_TRUE(started.ok()) << started.status();
  EXPECT_EQ(logic_->CancelEvent(field, StepOn(*started, "x")).status().code(),
            absl::StatusCode::kPermissionDenied);
  // Outside the scope the event is not there, whatever the step.
  EXPECT_EQ(logic_->FinishEvent(TestPrincipal(Role::kOperator, "16.06.02"), StepOn(*started))
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

TEST_F(EventLogicTest, AnUpdateMayNotMoveTheStatus) {
  Event event = MustCreate();
  UpdateEventRequest update;
  *update.mutable_event() = event;
  update.mutable_event()->set_status(Event::DONE);
  update.mutable_update_mask()->add_paths("status");
  absl::StatusOr<Event> refused = logic_->UpdateEvent(admin_, update);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().message(), "status: is set by the server");

  update.clear_update_mask();
  *update.mutable_event() = event;
  update.mutable_event()->set_venue("Auditorium Pemkab Muba");
  absl::StatusOr<Event> updated = logic_->UpdateEvent(admin_, update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->venue(), "Auditorium Pemkab Muba");
  EXPECT_EQ(updated->status(), Event::PLANNED);
  EXPECT_EQ(LastMessage().action(), "updated");
}

// --- Lists ---

TEST_F(EventLogicTest, ListsFilterByRegionKindStatusAndDays) {
  auto at = [](int64_t seconds, wahana::event::v1::EventKind kind, const char* region) {
    CreateEventRequest request = ValidRequest();
    request.mutable_event()->set_kind(kind);
    request.mutable_event()->set_region_code(region);
    *request.mutable_event()->mutable_start_time() = TimeUtil::SecondsToTimestamp(seconds);
    request.mutable_event()->clear_end_time();
    return request;
  };
  // 2026-06-01 23:30 WIB is 16:30 UTC; 2026-06-02 00:30 WIB is 17:30 UTC the day before.
  const int64_t june1_late = 1780331400;   // 2026-06-01T16:30:00Z
  const int64_t june2_early = 1780335000;  // 2026-06-01T17:30:00Z
  Event a = MustCreate(at(june1_late, wahana::event::v1::SOSIALISASI, "16.06.01"));
  Event b = MustCreate(at(june2_early, wahana::event::v1::MEDIASI, "16.06.01.2001"));
  Event c = MustCreate(at(june2_early, wahana::event::v1::MEDIASI, "16.06.02"));
  ASSERT_TRUE(logic_->OpenEvent(admin_, StepOn(b)).ok());

  auto ids = [&](ListEventsRequest request, const Principal& caller) {
    absl::StatusOr<wahana::event::v1::ListEventsResponse> page =
        logic_->ListEvents(caller, request);
    EXPECT_TRUE(page.ok()) << page.status();
    std::vector<std::string> out;
    if (page.ok()) {
      for (const Event& e : page->events()) out.push_back(e.id());
    }
    std::sort(out.begin(), out.end());  // the order is the store's: region code, then id
    return out;
  };
  ListEventsRequest all;
  ASSERT_LT(a.id(), b.id());
  ASSERT_LT(b.id(), c.id());
  EXPECT_EQ(ids(all, admin_), (std::vector<std::string>{a.id(), b.id(), c.id()}));
  EXPECT_EQ(ids(all, TestPrincipal(Role::kOperator, "16.06.01")),
            (std::vector<std::string>{a.id(), b.id()}));
  ListEventsRequest mediations;
  mediations.set_kind(wahana::event::v1::MEDIASI);
  EXPECT_EQ(ids(mediations, admin_), (std::vector<std::string>{b.id(), c.id()}));
  ListEventsRequest open;
  open.set_status(Event::OPEN);
  EXPECT_EQ(ids(open, admin_), std::vector<std::string>{b.id()});
  // Days in the office's calendar (Asia/Jakarta): a is on June 1, b and c on June 2.
  ListEventsRequest june2;
  june2.set_from("2026-06-02");
  june2.set_to("2026-06-02");
  EXPECT_EQ(ids(june2, admin_), (std::vector<std::string>{b.id(), c.id()}));
  june2.set_region("16.06.02");
  EXPECT_EQ(ids(june2, admin_), std::vector<std::string>{c.id()});

  ListEventsRequest bad;
  bad.set_from("2026-13-01");
  EXPECT_EQ(logic_->ListEvents(admin_, bad).status().message().rfind("from:", 0), 0u);
  bad.set_from("2026-06-03");
  bad.set_to("2026-06-02");
  EXPECT_EQ(logic_->ListEvents(admin_, bad).status().message().rfind("to:", 0), 0u);
  bad.clear_from();
  bad.clear_to();
  bad.set_region("17.01");
  EXPECT_EQ(logic_->ListEvents(admin_, bad).status().code(), absl::StatusCode::kPermissionDenied)
      << "a region outside the scope is 403, as for every list";
}

}  // namespace
}  // namespace wahana
