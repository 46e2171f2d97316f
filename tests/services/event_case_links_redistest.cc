// The event service's side of mediation against a real Redis: CaseChanged messages on the case
// stream, consumed with the real StreamConsumer as group "event", link a MEDIASI event to the
// cases whose sessions name it (in the event service's own keys), and every answer about the event
// lists them to those who may read the case.

#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "common/bus/bus_contract.h"
#include "common/bus/consumer_setup.h"
#include "common/bus/envelope.h"
#include "common/bus/stream_consumer.h"
#include "common/ids/time_ordered_id.h"
#include "event/case_link_handler.h"
#include "event/event_case_links.h"
#include "event/event_logic.h"
#include "event/event_store.h"
#include "services/services_test_util.h"
#include "support/fake_registry_records.h"
#include "support/redis_server.h"
#include "support/test_principals.h"
#include "wahana/cases/v1/case.pb.h"

namespace wahana::testing {
namespace {

using google::protobuf::util::TimeUtil;
using wahana::cases::v1::CaseChanged;
using wahana::common::v1::Envelope;
using wahana::event::v1::Event;

class EventCaseLinksRedisTest : public ::testing::Test {
 protected:
  EventCaseLinksRedisTest()
      : redis_(server_.Client()),
        events_(MakeRedisEventStore(*redis_, kRegion)),
        links_(MakeRedisEventCaseLinkStore(*redis_, kRegion)),
        logic_(std::make_shared<EventLogic>(
            kRegion, events_, TestRegions(), std::make_shared<FakeRegistryRecords>(),
            /*now=*/nullptr, /*ids=*/nullptr, OfficeCalendar(), links_)),
        handler_(std::make_shared<CaseLinkHandler>(kRegion, events_, links_)) {
    consumer_ = MakeBusConsumer(
        *redis_, config_, kEventReadsCases,
        [this](const Envelope& envelope, const std::string& /*entry_id*/) {
          return handler_->HandleCaseMessage(envelope);
        },
        "event-test-1");
  }

  // A MEDIASI event held for `region`.
  Event CreateMediation(const std::string& region) {
    wahana::event::v1::CreateEventRequest request;
    Event* e = request.mutable_event();
    e->set_kind(wahana::event::v1::MEDIASI);
    e->set_title("Mediasi sengketa lahan warga");
    e->set_region_code(region);
    e->set_venue("Balai Desa");
    *e->mutable_start_time() = TimeUtil::SecondsToTimestamp(1780000000);
    absl::StatusOr<Event> created = logic_->CreateEvent(admin_, request);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : Event();
  }

  // A CaseChanged of case `case_id` in `village` whose sessions name `event_ids` ("" for none).
  static Envelope SessionMessage(const std::string& case_id, const std::string& village,
                                 const std::vector<std::string>& event_ids) {
    CaseChanged changed;
    changed.mutable_case_()->set_id(case_id);
    changed.mutable_case_()->set_kind(wahana::cases::v1::SOCIAL_CONFLICT);
    changed.mutable_case_()->set_village_code(village);
    for (const std::string& id : event_ids) {
      auto* session = changed.mutable_case_()->mutable_mediation()->add_sessions();
      session->set_date("2026-03-02");
      session->set_event_id(id);
    }
    return MakeEnvelope(changed, {kRegion, case_id, 2, village});
  }

  void Publish(const Envelope& message) {
    ASSERT_TRUE(redis_->Command(XaddArgv(stream_, message)).ok());
  }

  // Polls the consumer until every entry on the stream is handled and acked (bounded).
  void Drain() { DrainGroup(*redis_, *consumer_, stream_, kEventReadsCases.group); }

  std::vector<std::string> Shown(const Principal& caller, const std::string& event_id) {
    wahana::event::v1::GetEventRequest get;
    get.set_id(event_id);
    absl::StatusOr<Event> read = logic_->GetEvent(caller, get);
    EXPECT_TRUE(read.ok()) << read.status();
    if (!read.ok()) return {};
    return {read->linked_case_ids().begin(), read->linked_case_ids().end()};
  }

  std::vector<std::string> Stored(const std::string& event_id) {
    auto items = redis_->Command({"LRANGE", EventCasesKey(kRegion, event_id), "0", "-1"});
    EXPECT_TRUE(items.ok()) << items.status();
    std::vector<std::string> out;
    if (items.ok()) {
      for (const RedisReply& item : items->elements) out.push_back(item.str);
    }
    return out;
  }

  static std::string NewId() { return TimeOrderedIdGenerator::Default().Next(); }

  const Principal admin_ = TestPrincipal(Role::kAdmin, kRegion);
  const std::string stream_ = CaseStreamKey(kRegion);
  RedisServer server_;
  std::unique_ptr<RedisClient> redis_;
  std::shared_ptr<EventStore> events_;
  std::shared_ptr<EventCaseLinkStore> links_;
  std::shared_ptr<EventLogic> logic_;
  std::shared_ptr<CaseLinkHandler> handler_;
  ServiceConfig config_ = TestBusConfig();
  std::unique_ptr<StreamConsumer> consumer_;
};

TEST_F(EventCaseLinksRedisTest, ASessionNamingTheEventLinksTheCaseInLinkOrder) {
  const Event meeting = CreateMediation(kRegion);
  const std::string first = NewId(), second = NewId();
  // Two sessions naming the same event, and one naming none: one link.
  Publish(SessionMessage(first, kVillage, {meeting.id(), "", meeting.id()}));
  Publish(SessionMessage(second, kOtherVillage, {meeting.id()}));
  Drain();

  EXPECT_EQ(Stored(meeting.id()),
            (std::vector<std::string>{first + "|" + kVillage, second + "|" + kOtherVillage}));
  EXPECT_EQ(Shown(admin_, meeting.id()), (std::vector<std::string>{first, second}));
  // In the event service's own keys, under the deployment's hash tag; the event is unchanged.
  EXPECT_EQ(EventCasesKey(kRegion, meeting.id()),
            "event:{16.06}:index:event-cases:" + meeting.id());
  absl::StatusOr<Event> stored = events_->Get(meeting.id());
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->etag(), meeting.etag());
  EXPECT_TRUE(stored->linked_case_ids().empty());
  EXPECT_EQ(StreamLength(*redis_, DeadLetterStreamKey(stream_)), 0);

  // Lists carry them too.
  wahana::event::v1::ListEventsRequest list;
  list.set_kind(wahana::event::v1::MEDIASI);
  absl::StatusOr<wahana::event::v1::ListEventsResponse> page = logic_->ListEvents(admin_, list);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->events_size(), 1);
  EXPECT_EQ(page->events(0).linked_case_ids_size(), 2);
}

TEST_F(EventCaseLinksRedisTest, AReplayChangesNothing) {
  const Event meeting = CreateMediation(kRegion);
  const std::string case_id = NewId();
  const Envelope message = SessionMessage(case_id, kVillage, {meeting.id()});
  Publish(message);
  Publish(message);
  Drain();
  // The same message handled again (a redelivery after the effect), and a later message of the
  // case (another session naming the same event): still one link.
  ASSERT_TRUE(handler_->HandleCaseMessage(message).ok());
  ASSERT_TRUE(
      handler_->HandleCaseMessage(SessionMessage(case_id, kVillage, {meeting.id(), meeting.id()}))
          .ok());
  EXPECT_EQ(Stored(meeting.id()), (std::vector<std::string>{case_id + "|" + kVillage}));
  EXPECT_EQ(Shown(admin_, meeting.id()), (std::vector<std::string>{case_id}));
}

TEST_F(EventCaseLinksRedisTest, AnUnknownEventIsIgnored) {
  const Event meeting = CreateMediation(kRegion);
  const std::string unknown = NewId();
  const std::string case_id = NewId();
  Publish(SessionMessage(case_id, kVillage, {unknown, meeting.id()}));
  Drain();
  EXPECT_TRUE(Keys(*redis_, EventCasesKey(kRegion, unknown)).empty());
  EXPECT_EQ(Shown(admin_, meeting.id()), (std::vector<std::string>{case_id}));
  EXPECT_EQ(StreamLength(*redis_, DeadLetterStreamKey(stream_)), 0);
}

TEST_F(EventCaseLinksRedisTest, PoisonIsAckedToTheDeadLetterStreamAndTheNextMessageStillApplies) {
  const Event meeting = CreateMediation(kRegion);
  // Not an envelope at all.
  ASSERT_TRUE(redis_->Command({"XADD", stream_, "*", "envelope", "not a protobuf"}).ok());
  // A CaseChanged by its type whose payload is something else.
  Envelope wrong_payload = SessionMessage(NewId(), kVillage, {meeting.id()});
  wrong_payload.mutable_payload()->PackFrom(meeting);
  wrong_payload.set_type(CaseChanged::descriptor()->full_name());
  Publish(wrong_payload);
  // A case in another deployment's village: its link could not be shown to anyone rightly.
  Publish(SessionMessage(NewId(), "17.01.01.2001", {meeting.id()}));
  const std::string good = NewId();
  Publish(SessionMessage(good, kVillage, {meeting.id()}));
  Drain();

  EXPECT_EQ(StreamLength(*redis_, DeadLetterStreamKey(stream_)), 3);
  EXPECT_EQ(Shown(admin_, meeting.id()), (std::vector<std::string>{good}));
  EXPECT_EQ(handler_->HandleCaseMessage(wrong_payload).code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(EventCaseLinksRedisTest, OnlyTheCasesTheCallerMayReadAreShown) {
  // A subdistrict's mediation that served a case of Sekayu and, before the event was narrowed to
  // Sekayu, one of another subdistrict.
  const Event meeting = CreateMediation("16.06.01");
  const std::string sekayu_case = NewId(), other_case = NewId();
  ASSERT_TRUE(
      handler_->HandleCaseMessage(SessionMessage(sekayu_case, kVillage, {meeting.id()})).ok());
  ASSERT_TRUE(
      handler_->HandleCaseMessage(SessionMessage(other_case, kOtherVillage, {meeting.id()})).ok());

  EXPECT_EQ(Shown(admin_, meeting.id()), (std::vector<std::string>{sekayu_case, other_case}));
  EXPECT_EQ(Shown(TestPrincipal(Role::kOperator, "16.06.01"), meeting.id()),
            (std::vector<std::string>{sekayu_case}));
}

TEST_F(EventCaseLinksRedisTest, AnUpdateSendingTheLinksBackIsNotRefusedAndAMaskNamingThemIs) {
  const Event meeting = CreateMediation(kRegion);
  ASSERT_TRUE(handler_->HandleCaseMessage(SessionMessage(NewId(), kVillage, {meeting.id()})).ok());
  wahana::event::v1::GetEventRequest get;
  get.set_id(meeting.id());
  absl::StatusOr<Event> read = logic_->GetEvent(admin_, get);
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->linked_case_ids_size(), 1);

  wahana::event::v1::UpdateEventRequest update;
  *update.mutable_event() = *read;
  update.mutable_event()->set_title("Mediasi sengketa lahan (lanjutan)");
  update.mutable_event()->add_linked_case_ids("made-up");  // ignored, as anything sent there
  absl::StatusOr<Event> updated = logic_->UpdateEvent(admin_, update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->etag(), "2");
  EXPECT_EQ(updated->linked_case_ids_size(), 1);
  EXPECT_EQ(updated->linked_case_ids(0), read->linked_case_ids(0));

  *update.mutable_event() = *updated;
  update.mutable_update_mask()->add_paths("linkedCaseIds");
  absl::StatusOr<Event> masked = logic_->UpdateEvent(admin_, update);
  EXPECT_EQ(masked.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(masked.status().message().find("linkedCaseIds"), std::string::npos) << masked.status();

  // And a create ignores them.
  wahana::event::v1::CreateEventRequest create;
  *create.mutable_event() = *updated;
  create.mutable_event()->clear_id();
  absl::StatusOr<Event> copy = logic_->CreateEvent(admin_, create);
  ASSERT_TRUE(copy.ok()) << copy.status();
  EXPECT_EQ(copy->linked_case_ids_size(), 0);
}

}  // namespace
}  // namespace wahana::testing
