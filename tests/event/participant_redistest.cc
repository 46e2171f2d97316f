// An event's participants through ParticipantLogic and EventLogic against a real Redis: who may
// register, one person once per event, the capacity under concurrency, withdrawals, check-ins and
// the attendance counts. Each test checks what Redis holds afterwards (the counters, the stream).

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/region/region_directory.h"
#include "common/storage/guard_field_backfill.h"
#include "common/storage/indexed_proto_record_store.h"
#include "event/event_logic.h"
#include "event/event_store.h"
#include "event/participant_logic.h"
#include "event/participant_store.h"
#include "support/fake_registry_records.h"
#include "support/redis_server.h"
#include "support/test_principals.h"

namespace wahana::testing {
namespace {

using wahana::event::v1::Attendance;
using wahana::event::v1::CreateEventRequest;
using wahana::event::v1::Event;
using wahana::event::v1::EventStepRequest;
using wahana::event::v1::GetAttendanceRequest;
using wahana::event::v1::GetParticipantRequest;
using wahana::event::v1::ListParticipantsRequest;
using wahana::event::v1::Participant;
using wahana::event::v1::ParticipantStepRequest;
using wahana::event::v1::RegisterParticipantRequest;
using wahana::event::v1::UpdateEventRequest;

constexpr char kRegion[] = "16.06";
constexpr char kWorker[] = "01J00000000000000000000WK1";
constexpr char kBeneficiary[] = "01J00000000000000000000BN1";
constexpr char kInstitution[] = "01J00000000000000000000PKK";
constexpr char kLaisWorker[] = "01J00000000000000000000WK2";  // serves 16.06.02, no village

// A structurally valid NIK, distinct for each serial (1-9999).
std::string Nik(int serial) { return absl::StrFormat("160601010190%04d", serial); }

class ParticipantTest : public ::testing::Test {
 protected:
  ParticipantTest()
      : redis_(server_.Client()),
        events_(MakeRedisEventStore(*redis_, kRegion)),
        store_(MakeRedisParticipantStore(*redis_, kRegion)),
        regions_(std::make_shared<StaticRegionDirectory>()),
        registry_(std::make_shared<FakeRegistryRecords>()) {
    regions_->Add("16")
        .Add("16.06")
        .Add("16.06.01")
        .Add("16.06.01.2001")
        .Add("16.06.02")
        .Add("16.06.02.2001");
    auto& worker = registry_->AddWorker(kWorker, {"16.06.01"});
    worker.set_village_code("16.06.01.2001");
    worker.set_full_name("Rahmat Hidayat");
    worker.set_kind(wahana::registry::v1::Worker::TKSK);
    worker.set_nik(Nik(9001));
    auto& lais = registry_->AddWorker(kLaisWorker, {"16.06.02"});
    lais.set_full_name("Dewi Lestari");
    lais.set_kind(wahana::registry::v1::Worker::PSM);
    auto& beneficiary = registry_->AddBeneficiary(kBeneficiary);
    beneficiary.set_full_name("Siti Aminah");
    beneficiary.set_nik(Nik(9002));
    auto& pkk = registry_->AddInstitution(kInstitution);
    pkk.set_kind(wahana::registry::v1::Institution::PKK);
    events_logic_ = std::make_unique<EventLogic>(kRegion, events_, regions_, registry_);
    logic_ = std::make_unique<ParticipantLogic>(kRegion, store_, events_, registry_, key_);
  }

  Event MustCreateEvent(int capacity, const std::string& region = "16.06.01") {
    CreateEventRequest request;
    Event* e = request.mutable_event();
    e->set_kind(wahana::event::v1::SOSIALISASI);
    e->set_title("Sosialisasi Penumbuhan WKSBM");
    e->set_region_code(region);
    e->set_capacity(capacity);
    // Running now: started an hour ago, ends in three (check-in codes are valid until the end).
    const int64_t now = absl::ToUnixSeconds(absl::Now());
    e->mutable_start_time()->set_seconds(now - 3600);
    e->mutable_end_time()->set_seconds(now + 3 * 3600);
    absl::StatusOr<Event> created = events_logic_->CreateEvent(admin_, request);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.value_or(Event());
  }

  Event Move(const Event& event, Step step, const std::string& reason = "") {
    EventStepRequest request;
    request.set_id(event.id());
    request.set_etag(event.etag());
    request.set_reason(reason);
    absl::StatusOr<Event> moved;
    switch (step) {
      case Step::kEventOpen:
        moved = events_logic_->OpenEvent(admin_, request);
        break;
      case Step::kEventStart:
        moved = events_logic_->StartEvent(admin_, request);
        break;
      case Step::kEventFinish:
        moved = events_logic_->FinishEvent(admin_, request);
        break;
      default:
        moved = events_logic_->CancelEvent(admin_, request);
        break;
    }
    EXPECT_TRUE(moved.ok()) << moved.status();
    return moved.value_or(event);
  }

  static RegisterParticipantRequest WalkIn(const Event& event, int serial,
                                           const std::string& affiliation = "Karang Taruna") {
    RegisterParticipantRequest request;
    request.set_event_id(event.id());
    auto* walk_in = request.mutable_participant()->mutable_walk_in();
    walk_in->set_full_name(absl::StrFormat("Peserta %d", serial));
    walk_in->set_nik(Nik(serial));
    walk_in->set_affiliation(affiliation);
    return request;
  }
  static RegisterParticipantRequest Worker(const Event& event, const std::string& id = kWorker) {
    RegisterParticipantRequest request;
    request.set_event_id(event.id());
    request.mutable_participant()->set_worker_id(id);
    return request;
  }

  Participant MustRegister(const RegisterParticipantRequest& request) {
    absl::StatusOr<Participant> p = logic_->Register(admin_, request);
    EXPECT_TRUE(p.ok()) << p.status();
    return p.value_or(Participant());
  }

  int64_t Seats(const Event& event) {
    absl::StatusOr<std::vector<int64_t>> counts = store_->Counts({RegisteredCounter(event.id())});
    EXPECT_TRUE(counts.ok()) << counts.status();
    return counts.ok() ? counts->at(0) : -1;
  }

  int64_t StreamLength() {
    auto reply = redis_->Command({"XLEN", EventKeys(kRegion).Stream()});
    EXPECT_TRUE(reply.ok()) << reply.status();
    return reply.ok() ? reply->integer : -1;
  }

  static ParticipantStepRequest StepOn(const Participant& p) {
    ParticipantStepRequest request;
    request.set_event_id(p.event_id());
    request.set_id(p.id());
    request.set_etag(p.etag());
    return request;
  }

  RedisServer server_;
  std::unique_ptr<RedisClient> redis_;
  std::shared_ptr<EventStore> events_;
  std::shared_ptr<ParticipantStore> store_;
  std::shared_ptr<StaticRegionDirectory> regions_;
  std::shared_ptr<FakeRegistryRecords> registry_;
  std::unique_ptr<EventLogic> events_logic_;
  std::shared_ptr<const Ed25519PrivateKey> key_ =
      std::make_shared<const Ed25519PrivateKey>(*Ed25519PrivateKey::Generate());
  std::unique_ptr<ParticipantLogic> logic_;
  Principal admin_ = TestPrincipal(Role::kAdmin);
};

TEST_F(ParticipantTest, EachKindOfPersonIsRegisteredWithNameAffiliationAndTheEventsRegion) {
  const Event event = MustCreateEvent(35);
  const Participant worker = MustRegister(Worker(event));
  EXPECT_EQ(worker.full_name(), "Rahmat Hidayat");
  EXPECT_EQ(worker.affiliation_kind(), Participant::WORKER);
  EXPECT_EQ(worker.affiliation(), "TKSK");
  EXPECT_EQ(worker.region_code(), "16.06.01");
  EXPECT_EQ(worker.status(), Participant::REGISTERED);
  EXPECT_TRUE(worker.person_keys().empty()) << "person keys are never shown";

  RegisterParticipantRequest beneficiary;
  beneficiary.set_event_id(event.id());
  beneficiary.mutable_participant()->set_beneficiary_id(kBeneficiary);
  EXPECT_EQ(MustRegister(beneficiary).full_name(), "Siti Aminah");

  RegisterParticipantRequest rep;
  rep.set_event_id(event.id());
  rep.mutable_participant()->mutable_institution()->set_institution_id(kInstitution);
  rep.mutable_participant()->mutable_institution()->set_full_name("Ibu Ketua PKK");
  const Participant pkk = MustRegister(rep);
  EXPECT_EQ(pkk.affiliation(), "PKK");
  EXPECT_EQ(pkk.full_name(), "Ibu Ketua PKK");

  const Participant walk_in = MustRegister(WalkIn(event, 1));
  EXPECT_EQ(walk_in.affiliation_kind(), Participant::WALK_IN);
  EXPECT_EQ(walk_in.walk_in().nik(), Nik(1)) << "an ADMIN sees the NIK it sent";

  EXPECT_EQ(Seats(event), 4);
  // One message per registration, after the event's one.
  EXPECT_EQ(StreamLength(), 5);

  ListParticipantsRequest list;
  list.set_event_id(event.id());
  auto listed = logic_->List(admin_, list);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->participants_size(), 4);
  EXPECT_EQ(listed->participants(0).id(), worker.id()) << "registration order";
  EXPECT_EQ(listed->participants(3).walk_in().nik(), std::string(16, '*'))
      << "lists mask the NIK for every caller";
}

TEST_F(ParticipantTest, BadInputNamesTheFieldAndWritesNothing) {
  const Event event = MustCreateEvent(0);
  RegisterParticipantRequest none;
  none.set_event_id(event.id());
  auto refused = logic_->Register(admin_, none);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(refused.status().message(), "participant:")) << refused.status();

  RegisterParticipantRequest bad_nik = WalkIn(event, 1);
  bad_nik.mutable_participant()->mutable_walk_in()->set_nik("1606013102900001");
  refused = logic_->Register(admin_, bad_nik);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(refused.status().message(), "walkIn.nik:")) << refused.status();

  refused = logic_->Register(admin_, Worker(event, "01J00000000000000000000ZZZ"));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(refused.status().message(), "workerId: worker 01J00000000000000000000ZZZ not found");

  RegisterParticipantRequest unknown_event = WalkIn(event, 2);
  unknown_event.set_event_id("01J00000000000000000000ZZZ");
  refused = logic_->Register(admin_, unknown_event);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(refused.status().message(), "eventId: event 01J00000000000000000000ZZZ not found");

  EXPECT_EQ(Seats(event), 0);
  EXPECT_EQ(StreamLength(), 1);
}

TEST_F(ParticipantTest, OnePersonRegistersOncePerEventByRegistryIdOrNik) {
  const Event event = MustCreateEvent(0);
  const Participant first = MustRegister(Worker(event));
  auto again = logic_->Register(admin_, Worker(event));
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_NE(again.status().message().find(first.id()), absl::string_view::npos) << again.status();

  // The worker's NIK, sent as a walk-in, is the same person.
  RegisterParticipantRequest same_nik = WalkIn(event, 9001);
  again = logic_->Register(admin_, same_nik);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists) << again.status();
  EXPECT_EQ(Seats(event), 1);

  // Another event takes the same person.
  const Event other = MustCreateEvent(0);
  MustRegister(Worker(other));

  // A withdrawn participant frees the person as well as the seat.
  ParticipantStepRequest withdraw = StepOn(first);
  withdraw.set_reason("sakit");
  auto withdrawn = logic_->Withdraw(admin_, withdraw);
  ASSERT_TRUE(withdrawn.ok()) << withdrawn.status();
  EXPECT_EQ(withdrawn->status(), Participant::WITHDRAWN);
  EXPECT_EQ(withdrawn->withdraw_reason(), "sakit");
  EXPECT_EQ(Seats(event), 0);
  MustRegister(same_nik);
  EXPECT_EQ(Seats(event), 1);

  ListParticipantsRequest list;
  list.set_event_id(event.id());
  EXPECT_EQ(logic_->List(admin_, list)->participants_size(), 1);
  list.set_show_withdrawn(true);
  EXPECT_EQ(logic_->List(admin_, list)->participants_size(), 2);
}

// The measure: 200 concurrent registrations against capacity 100, exactly 100 succeed,
// every run (20 runs, each on a fresh event).
TEST_F(ParticipantTest, CapacityHoldsUnderConcurrentRegistrations) {
  constexpr int kRuns = 20, kPeople = 200, kCapacity = 100, kThreads = 16;
  // Each thread its own Redis connection, as the service's pool of callers would be.
  std::vector<std::unique_ptr<RedisClient>> clients;
  std::vector<std::unique_ptr<ParticipantLogic>> logics;
  for (int t = 0; t < kThreads; ++t) {
    clients.push_back(server_.Client());
    logics.push_back(std::make_unique<ParticipantLogic>(
        kRegion, MakeRedisParticipantStore(*clients.back(), kRegion),
        MakeRedisEventStore(*clients.back(), kRegion), registry_, key_));
  }
  for (int run = 0; run < kRuns; ++run) {
    const Event event = MustCreateEvent(kCapacity);
    std::atomic<int> next{0}, accepted{0}, full{0}, other{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = next++; i < kPeople; i = next++) {
          auto p = logics[t]->Register(admin_, WalkIn(event, i + 1));
          if (p.ok()) {
            ++accepted;
          } else if (absl::IsFailedPrecondition(p.status()) &&
                     absl::StrContains(p.status().message(), "full")) {
            ++full;
          } else {
            ++other;
            ADD_FAILURE() << p.status();
          }
        }
      });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(accepted.load(), kCapacity) << "run " << run;
    EXPECT_EQ(full.load(), kPeople - kCapacity) << "run " << run;
    EXPECT_EQ(other.load(), 0);
    EXPECT_EQ(Seats(event), kCapacity) << "run " << run;
    ListParticipantsRequest list;
    list.set_event_id(event.id());
    list.set_page_size(200);
    EXPECT_EQ(logic_->List(admin_, list)->participants_size(), kCapacity) << "run " << run;
  }
}

TEST_F(ParticipantTest, TheCapacityCannotDropBelowThoseRegistered) {
  Event event = MustCreateEvent(3);
  for (int i = 1; i <= 3; ++i) MustRegister(WalkIn(event, i));
  auto full = logic_->Register(admin_, WalkIn(event, 4));
  EXPECT_EQ(full.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(full.status().message(), absl::StrCat("eventId: event ", event.id(),
                                                  " is full: no seat left within its capacity"));

  UpdateEventRequest update;
  *update.mutable_event() = event;
  update.mutable_event()->set_capacity(2);
  auto lowered = events_logic_->UpdateEvent(admin_, update);
  EXPECT_EQ(lowered.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StartsWith(lowered.status().message(), "capacity:")) << lowered.status();
  EXPECT_EQ(events_->Get(event.id())->capacity(), 3) << "nothing changed";

  update.mutable_event()->set_capacity(5);
  auto raised = events_logic_->UpdateEvent(admin_, update);
  ASSERT_TRUE(raised.ok()) << raised.status();
  MustRegister(WalkIn(event, 4));
  EXPECT_EQ(Seats(event), 4);
}

TEST_F(ParticipantTest, RegistrationNeedsAnEventThatTakesIt) {
  Event event = MustCreateEvent(0);
  event = Move(event, Step::kEventOpen);
  event = Move(event, Step::kEventStart);
  MustRegister(WalkIn(event, 1));
  event = Move(event, Step::kEventFinish);
  auto refused = logic_->Register(admin_, WalkIn(event, 2));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(refused.status().message(),
            absl::StrCat("eventId: event ", event.id(),
                         " is DONE; registration needs PLANNED, OPEN or ONGOING"));

  Event cancelled = Move(MustCreateEvent(0), Step::kEventCancel, "hujan");
  refused = logic_->Register(admin_, WalkIn(cancelled, 3));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Seats(event), 1);
  EXPECT_EQ(Seats(cancelled), 0);
}

TEST_F(ParticipantTest, AnEventStoredBeforeItsGuardFieldsTakesRegistrationsAfterTheBackfill) {
  Event event = MustCreateEvent(2);
  Event moved = MustCreateEvent(0);
  // As stored before guard fields existed: the record and its etag only.
  const std::string key = EventKeys(kRegion).Record(event.id());
  const std::string moved_key = EventKeys(kRegion).Record(moved.id());
  for (const std::string& k : {key, moved_key}) {
    ASSERT_TRUE(redis_
                    ->Command({"HDEL", k, kEventRegistrationField, kEventCheckInField,
                               kEventLateCheckInField, kEventCapacityField})
                    .ok());
  }
  auto refused = logic_->Register(admin_, WalkIn(event, 1));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition) << refused.status();

  // A record that moved on since it was read is left to the change that moved it.
  auto stale = WriteGuardFields(*redis_, EventKeys(kRegion), moved.id(), "7",
                                EventIndexing().guard_fields(moved));
  ASSERT_TRUE(stale.ok()) << stale.status();
  EXPECT_FALSE(*stale);
  EXPECT_EQ(redis_->Command({"HEXISTS", moved_key, kEventRegistrationField})->integer, 0);

  ASSERT_TRUE(AddMissingEventGuardFields(*redis_, kRegion, *events_).ok());
  EXPECT_EQ(redis_->Command({"HGET", key, kEventRegistrationField})->str, kEventOpenValue);
  EXPECT_EQ(redis_->Command({"HGET", key, kEventCapacityField})->str, "2");
  EXPECT_EQ(redis_->Command({"HGET", moved_key, kEventCheckInField})->str, "closed");
  MustRegister(WalkIn(event, 1));
  MustRegister(WalkIn(event, 2));
  auto full = logic_->Register(admin_, WalkIn(event, 3));
  EXPECT_EQ(full.status().code(), absl::StatusCode::kFailedPrecondition) << full.status();
  EXPECT_EQ(Seats(event), 2);

  // Once per version: a second start walks nothing.
  ASSERT_TRUE(redis_->Command({"HDEL", moved_key, kEventRegistrationField}).ok());
  ASSERT_TRUE(AddMissingEventGuardFields(*redis_, kRegion, *events_).ok());
  EXPECT_EQ(redis_->Command({"HEXISTS", moved_key, kEventRegistrationField})->integer, 0);
}

TEST_F(ParticipantTest, CheckInOnceWhileTheEventRunsAndAttendanceCountsIt) {
  Event event = MustCreateEvent(35);
  const Participant worker = MustRegister(Worker(event));
  const Participant walk_in = MustRegister(WalkIn(event, 1));
  MustRegister(WalkIn(event, 2));

  ParticipantStepRequest check_in = StepOn(worker);
  check_in.clear_etag();
  auto early = logic_->CheckIn(admin_, check_in);
  EXPECT_EQ(early.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(early.status().message(), absl::StrCat("eventId: event ", event.id(),
                                                   " is PLANNED; check-in needs OPEN or ONGOING"));

  event = Move(event, Step::kEventOpen);
  auto first = logic_->CheckIn(admin_, check_in);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(first->has_check_in_time());
  EXPECT_EQ(first->check_in_method(), Participant::BY_OPERATOR);
  const int64_t messages = StreamLength();
  auto second = logic_->CheckIn(admin_, check_in);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->check_in_time().seconds(), first->check_in_time().seconds());
  EXPECT_EQ(second->check_in_time().nanos(), first->check_in_time().nanos());
  EXPECT_EQ(StreamLength(), messages) << "a second check-in writes nothing";
  ASSERT_TRUE(logic_
                  ->CheckIn(admin_,
                            [&] {
                              ParticipantStepRequest r = StepOn(walk_in);
                              r.clear_etag();
                              return r;
                            }())
                  .ok());

  GetAttendanceRequest attendance_request;
  attendance_request.set_event_id(event.id());
  auto attendance = logic_->GetAttendance(admin_, attendance_request);
  ASSERT_TRUE(attendance.ok()) << attendance.status();
  EXPECT_EQ(attendance->capacity(), 35);
  EXPECT_EQ(attendance->registered(), 3);
  EXPECT_EQ(attendance->checked_in(), 2);
  EXPECT_DOUBLE_EQ(attendance->rate(), 2.0 / 3.0);
  ASSERT_EQ(attendance->groups_size(), 2);
  EXPECT_EQ(attendance->groups(0).affiliation_kind(), Participant::WORKER);
  EXPECT_EQ(attendance->groups(0).affiliation(), "TKSK");
  EXPECT_EQ(attendance->groups(0).checked_in(), 1);
  EXPECT_EQ(attendance->groups(1).affiliation_kind(), Participant::WALK_IN);
  EXPECT_EQ(attendance->groups(1).registered(), 2);
  EXPECT_EQ(attendance->groups(1).checked_in(), 1);

  // A withdrawn participant leaves every count, checked in or not.
  auto current = logic_->Get(admin_, [&] {
    GetParticipantRequest r;
    r.set_event_id(event.id());
    r.set_id(walk_in.id());
    return r;
  }());
  ASSERT_TRUE(current.ok());
  ASSERT_TRUE(logic_->Withdraw(admin_, StepOn(*current)).ok());
  attendance = logic_->GetAttendance(admin_, attendance_request);
  EXPECT_EQ(attendance->registered(), 2);
  EXPECT_EQ(attendance->checked_in(), 1);
}

TEST_F(ParticipantTest, AnotherRegionsEventAndItsPeopleAreOutOfReach) {
  const Event sekayu = MustCreateEvent(0, "16.06.01");
  const Participant p = MustRegister(WalkIn(sekayu, 1));
  const Principal lais_worker = TestPrincipal(Role::kFieldWorker, "16.06.02");

  auto refused = logic_->Register(lais_worker, WalkIn(sekayu, 2));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(refused.status().message(), absl::StrCat("eventId: event ", sekayu.id(), " not found"));

  GetParticipantRequest get;
  get.set_event_id(sekayu.id());
  get.set_id(p.id());
  EXPECT_EQ(logic_->Get(lais_worker, get).status().code(), absl::StatusCode::kNotFound);
  ParticipantStepRequest check_in = StepOn(p);
  EXPECT_EQ(logic_->CheckIn(lais_worker, check_in).status().code(), absl::StatusCode::kNotFound);

  // A Sekayu field worker may not name a worker of Lais.
  const Principal sekayu_worker = TestPrincipal(Role::kFieldWorker, "16.06.01");
  refused = logic_->Register(sekayu_worker, Worker(sekayu, kLaisWorker));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(refused.status().message(),
            absl::StrCat("workerId: worker ", kLaisWorker, " not found"));

  // A participant is read through its own event only.
  const Event other = MustCreateEvent(0, "16.06.01");
  get.set_event_id(other.id());
  EXPECT_EQ(logic_->Get(admin_, get).status().code(), absl::StatusCode::kNotFound);

  // A VIEWER reads the participant with the NIK masked.
  get.set_event_id(sekayu.id());
  auto viewed = logic_->Get(TestPrincipal(Role::kViewer), get);
  ASSERT_TRUE(viewed.ok()) << viewed.status();
  EXPECT_EQ(viewed->walk_in().nik(), std::string(16, '*'));
  EXPECT_EQ(logic_->Register(TestPrincipal(Role::kViewer), WalkIn(sekayu, 3)).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(ParticipantTest, ACheckInCodeChecksInOnceAndOnlyThisDeploymentsCodeForThisEvent) {
  Event event = MustCreateEvent(0);
  const Participant p = MustRegister(WalkIn(event, 1));
  wahana::event::v1::GetCheckInCodeRequest code_request;
  code_request.set_event_id(event.id());
  code_request.set_id(p.id());
  auto code = logic_->GetCheckInCode(admin_, code_request);
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(code->code().size(), 170u);
  EXPECT_EQ(code->valid_until().seconds(), event.end_time().seconds());
  EXPECT_EQ(code->key_id(), key_->PublicKey().KeyId());
  // Who may not register people gets no code.
  EXPECT_EQ(logic_->GetCheckInCode(TestPrincipal(Role::kViewer), code_request).status().code(),
            absl::StatusCode::kPermissionDenied);

  wahana::event::v1::CheckInByCodeRequest check_in;
  check_in.set_event_id(event.id());
  check_in.set_code(code->code());
  auto early = logic_->CheckInByCode(admin_, check_in);
  EXPECT_EQ(early.status().code(), absl::StatusCode::kFailedPrecondition) << early.status();

  event = Move(event, Step::kEventOpen);
  // A forged code: one character changed.
  wahana::event::v1::CheckInByCodeRequest forged = check_in;
  std::string text = code->code();
  text[40] = text[40] == 'A' ? 'B' : 'A';
  forged.set_code(text);
  auto refused = logic_->CheckInByCode(admin_, forged);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(refused.status().message(), "code:")) << refused.status();
  // Another deployment's code for the same event and participant.
  auto foreign_key = Ed25519PrivateKey::Generate();
  ASSERT_TRUE(foreign_key.ok());
  ParticipantLogic foreign(kRegion, store_, events_, registry_,
                           std::make_shared<const Ed25519PrivateKey>(*foreign_key));
  auto foreign_code = foreign.GetCheckInCode(admin_, code_request);
  ASSERT_TRUE(foreign_code.ok());
  forged.set_code(foreign_code->code());
  refused = logic_->CheckInByCode(admin_, forged);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().message(), "code: the signature does not match this deployment's key");
  // This event's code sent for another event.
  const Event other = Move(MustCreateEvent(0), Step::kEventOpen);
  forged = check_in;
  forged.set_event_id(other.id());
  EXPECT_EQ(logic_->CheckInByCode(admin_, forged).status().code(),
            absl::StatusCode::kInvalidArgument);

  auto first = logic_->CheckInByCode(admin_, check_in);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->check_in_method(), Participant::BY_CODE);
  const int64_t messages = StreamLength();
  auto second = logic_->CheckInByCode(admin_, check_in);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->check_in_time().seconds(), first->check_in_time().seconds());
  EXPECT_EQ(StreamLength(), messages) << "a code used twice checks in once";

  wahana::event::v1::GetCheckInKeysRequest keys_request;
  auto keys = logic_->GetCheckInKeys(admin_, keys_request);
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->keys_size(), 1);
  EXPECT_EQ(keys->keys(0).kid(), key_->PublicKey().KeyId());
  EXPECT_EQ(keys->keys(0).crv(), "Ed25519");
}

TEST_F(ParticipantTest, AnOfflineCheckInIsUploadedAfterTheEventWithItsTime) {
  Event event = MustCreateEvent(0);
  const Participant p = MustRegister(WalkIn(event, 1));
  wahana::event::v1::GetCheckInCodeRequest code_request;
  code_request.set_event_id(event.id());
  code_request.set_id(p.id());
  auto code = logic_->GetCheckInCode(admin_, code_request);
  ASSERT_TRUE(code.ok()) << code.status();
  event = Move(Move(Move(event, Step::kEventOpen), Step::kEventStart), Step::kEventFinish);

  wahana::event::v1::CheckInByCodeRequest upload;
  upload.set_event_id(event.id());
  upload.set_code(code->code());
  // Without a time it is a check-in now, and the event is DONE.
  EXPECT_EQ(logic_->CheckInByCode(admin_, upload).status().code(),
            absl::StatusCode::kFailedPrecondition);
  // After the code's validity: refused.
  upload.mutable_check_in_time()->set_seconds(event.end_time().seconds() + 60);
  auto late = logic_->CheckInByCode(admin_, upload);
  EXPECT_EQ(late.status().code(), absl::StatusCode::kInvalidArgument) << late.status();
  // Long before the event (a phone's clock gone wrong): refused, naming the field.
  upload.mutable_check_in_time()->set_seconds(86400);
  auto too_early = logic_->CheckInByCode(admin_, upload);
  EXPECT_EQ(too_early.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(too_early.status().message(), "checkInTime:")) << too_early.status();
  // During the event: taken, with that time.
  upload.mutable_check_in_time()->set_seconds(event.start_time().seconds() + 600);
  auto taken = logic_->CheckInByCode(admin_, upload);
  ASSERT_TRUE(taken.ok()) << taken.status();
  EXPECT_EQ(taken->check_in_time().seconds(), event.start_time().seconds() + 600);
  GetAttendanceRequest attendance;
  attendance.set_event_id(event.id());
  EXPECT_EQ(logic_->GetAttendance(admin_, attendance)->checked_in(), 1);
}

TEST_F(ParticipantTest, TheQrImageHoldsTheCode) {
  const Event event = MustCreateEvent(0);
  const Participant p = MustRegister(WalkIn(event, 1));
  wahana::event::v1::GetCheckInQrRequest qr;
  qr.set_event_id(event.id());
  qr.set_id(p.id());
  auto svg = logic_->GetCheckInQr(admin_, qr);
  ASSERT_TRUE(svg.ok()) << svg.status();
  EXPECT_EQ(svg->content_type(), "image/svg+xml");
  EXPECT_TRUE(absl::StrContains(svg->data(), "<svg"));
  qr.set_format("png");
  auto png = logic_->GetCheckInQr(admin_, qr);
  ASSERT_TRUE(png.ok()) << png.status();
  EXPECT_EQ(png->content_type(), "image/png");
  EXPECT_EQ(png->data().substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  qr.set_format("gif");
  EXPECT_EQ(logic_->GetCheckInQr(admin_, qr).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace wahana::testing
