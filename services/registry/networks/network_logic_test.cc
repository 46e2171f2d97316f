// NetworkLogic with in-memory stores and regions: the lifecycle, members, visits, updates and
// what each change announces. Member institutions are made through InstitutionLogic on the same
// in-memory institution store the network logic reads.

#include "registry/networks/network_logic.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "registry/institutions/institution_logic.h"
#include "registry_institutions/fake_region_store.h"
#include "support/in_memory_indexed_record_store.h"
#include "support/test_principals.h"

namespace wahana::registry {
namespace {

using wahana::common::v1::Envelope;
using wahana::registry::v1::AdvanceNetworkRequest;
using wahana::registry::v1::ArchiveRequest;
using wahana::registry::v1::CreateInstitutionRequest;
using wahana::registry::v1::CreateNetworkRequest;
using wahana::registry::v1::GetNetworkRequest;
using wahana::registry::v1::Institution;
using wahana::registry::v1::ListNetworksRequest;
using wahana::registry::v1::Network;
using wahana::registry::v1::NetworkChanged;
using wahana::registry::v1::NetworkMemberRequest;
using wahana::registry::v1::RecordNetworkVisitRequest;
using wahana::registry::v1::UpdateNetworkRequest;

using wahana::testing::TestPrincipal;

using FakeNetworkStore = wahana::testing::InMemoryIndexedRecordStore<Network>;
using FakeInstitutionStore = wahana::testing::InMemoryIndexedRecordStore<Institution>;

constexpr char kVillage[] = "16.06.01.2001";
constexpr char kNeighbourVillage[] = "16.06.01.2002";  // same kecamatan (Sekayu)
constexpr char kLaisVillage[] = "16.06.02.2001";       // another kecamatan

Network Valid(const std::string& village = kVillage) {
  Network n;
  n.set_kind(Network::VILLAGE);
  n.set_name("WKSBM Desa Sukarami");
  n.set_village_code(village);
  return n;
}

NetworkChanged PayloadOf(const Envelope& envelope) {
  NetworkChanged payload;
  EXPECT_EQ(envelope.type(), "wahana.registry.v1.NetworkChanged");
  EXPECT_TRUE(envelope.payload().UnpackTo(&payload));
  return payload;
}

std::string StartOf(const absl::Status& status) {
  return std::string(status.message().substr(0, status.message().find(':')));
}

class NetworkLogicTest : public ::testing::Test {
 protected:
  NetworkLogicTest()
      : store_(std::make_shared<FakeNetworkStore>("network", NetworkIndexing())),
        institution_store_(
            std::make_shared<FakeInstitutionStore>("institution", InstitutionIndexing())),
        rules_(regions_, "16.06"),
        institutions_("16.06", institution_store_, rules_, [this] { return now_; }),
        logic_("16.06", store_, institution_store_, rules_, [this] { return now_; }) {}

  absl::StatusOr<Network> TryCreate(const Network& network, const std::string& request_id = "") {
    CreateNetworkRequest request;
    *request.mutable_network() = network;
    request.set_request_id(request_id);
    return logic_.CreateNetwork(caller_, request);
  }
  Network Create(const Network& network, const std::string& request_id = "") {
    auto created = TryCreate(network, request_id);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.value_or(Network());
  }

  std::string MakeInstitution(const std::string& village, const std::string& name = "PKK") {
    CreateInstitutionRequest request;
    request.mutable_institution()->set_kind(Institution::PKK);
    request.mutable_institution()->set_name(name);
    request.mutable_institution()->set_village_code(village);
    auto created = institutions_.CreateInstitution(TestPrincipal(Role::kAdmin), request);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? created->id() : "";
  }

  absl::StatusOr<Network> Advance(const Network& network, Network::Stage stage,
                                  const std::string& date = "2026-01-10") {
    AdvanceNetworkRequest request;
    request.set_id(network.id());
    request.set_etag(network.etag());
    request.set_stage(stage);
    request.set_date(date);
    return logic_.AdvanceNetwork(caller_, request);
  }

  absl::StatusOr<Network> Update(const Network& patch, std::vector<std::string> paths) {
    UpdateNetworkRequest request;
    *request.mutable_network() = patch;
    for (const std::string& path : paths) request.mutable_update_mask()->add_paths(path);
    return logic_.UpdateNetwork(caller_, request);
  }

  absl::StatusOr<Network> AddMember(const Network& network, const std::string& institution_id) {
    NetworkMemberRequest request;
    request.set_id(network.id());
    request.set_etag(network.etag());
    request.set_institution_id(institution_id);
    return logic_.AddNetworkMember(caller_, request);
  }
  absl::StatusOr<Network> RemoveMember(const Network& network, const std::string& institution_id) {
    NetworkMemberRequest request;
    request.set_id(network.id());
    request.set_etag(network.etag());
    request.set_institution_id(institution_id);
    return logic_.RemoveNetworkMember(caller_, request);
  }

  absl::StatusOr<Network> Visit(const Network& network, const std::string& date, bool active) {
    RecordNetworkVisitRequest request;
    request.set_id(network.id());
    request.set_etag(network.etag());
    request.mutable_visit()->set_date(date);
    request.mutable_visit()->set_visitor("Rahmat, TKSK Sekayu");
    request.mutable_visit()->set_active(active);
    request.mutable_visit()->set_notes("Rapat bulanan berjalan; data PPKS diperbarui.");
    return logic_.RecordNetworkVisit(caller_, request);
  }

  // A network taken through every step up to LEGALIZED, decree included.
  Network Legalized(const std::string& village = kVillage) {
    Network n = Create(Valid(village));
    n = *Advance(n, Network::SOCIALIZED, "2025-11-03");
    n = *Advance(n, Network::BOARD_FORMED, "2025-12-01");
    Network patch;
    patch.set_id(n.id());
    patch.set_etag(n.etag());
    patch.mutable_decree()->set_number("141/05/SK/KD-SKR/2026");
    patch.mutable_decree()->set_date("2026-01-05");
    patch.mutable_decree()->set_issuer("Kepala Desa Sukarami");
    n = *Update(patch, {"decree"});
    return *Advance(n, Network::LEGALIZED, "2026-01-05");
  }

  size_t Published() const { return store_->published.size(); }

  // Who the helpers call the logic as: the deployment's ADMIN unless a test says otherwise.
  Principal caller_ = TestPrincipal(Role::kAdmin);

  absl::Time now_ = absl::FromCivil(absl::CivilSecond(2026, 3, 1, 8, 30, 0), absl::UTCTimeZone());
  std::shared_ptr<FakeNetworkStore> store_;
  std::shared_ptr<FakeInstitutionStore> institution_store_;
  wahana::testing::FakeRegionStore regions_;
  RegionRules rules_;
  InstitutionLogic institutions_;
  NetworkLogic logic_;
};

TEST_F(NetworkLogicTest, CreateStartsAtPreparationWithItsDate) {
  Network in = Valid();
  in.set_stage(Network::ACTIVE);
  in.add_member_institution_ids("01J00000000000000000000000");
  in.add_visits()->set_date("2026-01-01");
  in.set_archived(true);
  Network::BoardMember* chair = in.add_board();
  chair->set_full_name("H. Abdul Karim");
  chair->set_role("ketua");
  chair->set_term_start("2026-01-01");
  chair->set_term_end("2030-12-31");  // a term may end in the future
  Network created = Create(in);

  EXPECT_EQ(created.stage(), Network::PREPARATION);
  ASSERT_EQ(created.stage_history_size(), 1);
  EXPECT_EQ(created.stage_history(0).stage(), Network::PREPARATION);
  EXPECT_EQ(created.stage_history(0).date(), "2026-03-01");
  EXPECT_TRUE(created.member_institution_ids().empty());
  EXPECT_TRUE(created.visits().empty());
  EXPECT_FALSE(created.archived());
  EXPECT_EQ(created.etag(), "1");
  EXPECT_EQ(created.board(0).term_end(), "2030-12-31");
  EXPECT_EQ(store_->records.at(created.id()).SerializeAsString(), created.SerializeAsString());

  ASSERT_EQ(Published(), 1u);
  NetworkChanged payload = PayloadOf(store_->published[0]);
  EXPECT_EQ(payload.action(), "created");
  EXPECT_EQ(payload.stage_before(), Network::STAGE_UNSPECIFIED);
  EXPECT_EQ(payload.stage_after(), Network::PREPARATION);
  EXPECT_EQ(store_->published[0].region_code(), kVillage);
}

// "Today" is the office's (Asia/Jakarta, UTC+7, by default), not UTC's.
TEST_F(NetworkLogicTest, DatesFollowTheOfficesDayNotUtcs) {
  // 1 March 17:30 UTC is 2 March 00:30 in Jakarta.
  now_ = absl::FromCivil(absl::CivilSecond(2026, 3, 1, 17, 30, 0), absl::UTCTimeZone());
  Network created = Create(Valid());
  EXPECT_EQ(created.stage_history(0).date(), "2026-03-02");
  // A step dated the office's today is taken; the office's tomorrow is in the future.
  absl::StatusOr<Network> tomorrow = Advance(created, Network::SOCIALIZED, "2026-03-03");
  EXPECT_EQ(tomorrow.status().code(), absl::StatusCode::kInvalidArgument) << tomorrow.status();
  EXPECT_EQ(tomorrow.status().message(), "date: \"2026-03-03\" is in the future");
  absl::StatusOr<Network> today = Advance(created, Network::SOCIALIZED, "2026-03-02");
  ASSERT_TRUE(today.ok()) << today.status();
  EXPECT_EQ(today->stage_history(1).date(), "2026-03-02");
}

TEST_F(NetworkLogicTest, BadInputIsRefusedNamingTheField) {
  struct Case {
    std::function<void(Network&)> change;
    std::string field;
  };
  std::vector<Case> cases = {
      {[](Network& n) { n.clear_kind(); }, "kind"},
      {[](Network& n) { n.set_name(""); }, "name"},
      {[](Network& n) { n.set_village_code("16.06.01.9999"); }, "villageCode"},
      {[](Network& n) { n.set_village_code("17.01.01.2001"); }, "villageCode"},
      {[](Network& n) { n.set_rw("003"); }, "rw"},
      {[](Network& n) { n.set_kind(Network::RW); }, "rw"},
      {[](Network& n) {
         n.set_kind(Network::RW);
         n.set_rw("000");
       },
       "rw"},
      {[](Network& n) {
         n.set_kind(Network::RW);
         n.set_rw("RW 3");
       },
       "rw"},
      {[](Network& n) { n.mutable_decree()->set_date("2026-02-30"); }, "decree.date"},
      {[](Network& n) { n.add_board()->set_full_name("Tanpa Jabatan"); }, "board[0].role"},
      {[](Network& n) {
         auto* b = n.add_board();
         b->set_full_name("A");
         b->set_role("ketua");
         b->set_term_start("2026-01-01");
         b->set_term_end("2025-01-01");
       },
       "board[0].termEnd"},
      {[](Network& n) {
         auto* b = n.add_board();
         b->set_full_name("A");
         b->set_role("ketua");
         b->set_institution_id("01J00000000000000000000000");
       },
       "board[0].institutionId"},
  };
  for (const Case& c : cases) {
    Network n = Valid();
    c.change(n);
    auto result = TryCreate(n);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_EQ(StartOf(result.status()), c.field) << result.status();
  }
  EXPECT_EQ(Published(), 0u);
  EXPECT_TRUE(store_->records.empty());
}

TEST_F(NetworkLogicTest, OneLiveNetworkPerVillageAndPerRw) {
  Network first = Create(Valid());
  auto second = TryCreate(Valid());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(second.status().message(),
            "villageCode: village 16.06.01.2001 already has network " + first.id());

  Network rw = Valid();
  rw.set_kind(Network::RW);
  rw.set_rw("003");
  rw.set_name("WKSBM RW 03 Sukarami");
  Network rw3 = Create(rw);
  rw.set_rw("3");
  auto again = TryCreate(rw);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(StartOf(again.status()), "rw");
  rw.set_rw("4");
  Network rw4 = Create(rw);

  // Moving RW 4 onto RW 3 by update is refused the same way.
  Network patch;
  patch.set_id(rw4.id());
  patch.set_etag(rw4.etag());
  patch.set_rw("03");
  auto moved = Update(patch, {"rw"});
  EXPECT_EQ(moved.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_NE(moved.status().message().find(rw3.id()), absl::string_view::npos) << moved.status();

  // An archived network releases its village.
  ArchiveRequest archive;
  archive.set_id(first.id());
  archive.set_etag(first.etag());
  archive.set_reason("entered twice by mistake");
  ASSERT_TRUE(logic_.ArchiveNetwork(caller_, archive).ok());
  EXPECT_TRUE(TryCreate(Valid()).ok());
}

TEST_F(NetworkLogicTest, AdvanceWalksTheLifecycleOneDatedStepAtATime) {
  Network n = Create(Valid());
  auto skip = Advance(n, Network::LEGALIZED);
  EXPECT_EQ(skip.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(skip.status().message().find("allowed next: SOCIALIZED"), absl::string_view::npos);

  AdvanceNetworkRequest request;
  request.set_id(n.id());
  request.set_stage(Network::SOCIALIZED);
  request.set_date("2025-11-03");
  EXPECT_EQ(StartOf(logic_.AdvanceNetwork(caller_, request).status()), "etag");
  request.set_etag("9");
  EXPECT_EQ(logic_.AdvanceNetwork(caller_, request).status().code(), absl::StatusCode::kAborted);
  request.set_etag("1");
  request.clear_date();
  EXPECT_EQ(StartOf(logic_.AdvanceNetwork(caller_, request).status()), "date");
  request.set_date("2026-03-05");
  EXPECT_EQ(StartOf(logic_.AdvanceNetwork(caller_, request).status()), "date") << "in the future";
  request.set_date("2025-11-03");
  request.clear_stage();
  EXPECT_EQ(StartOf(logic_.AdvanceNetwork(caller_, request).status()), "stage");
  EXPECT_EQ(Published(), 1u) << "nothing refused was written";

  auto socialized = Advance(n, Network::SOCIALIZED, "2025-11-03");
  ASSERT_TRUE(socialized.ok()) << socialized.status();
  EXPECT_EQ(socialized->stage(), Network::SOCIALIZED);
  EXPECT_EQ(socialized->etag(), "2");
  ASSERT_EQ(socialized->stage_history_size(), 2);
  EXPECT_EQ(socialized->stage_history(1).date(), "2025-11-03");
  NetworkChanged payload = PayloadOf(store_->published.back());
  EXPECT_EQ(payload.action(), "advanced");
  EXPECT_EQ(payload.stage_before(), Network::PREPARATION);
  EXPECT_EQ(payload.stage_after(), Network::SOCIALIZED);
  EXPECT_EQ(
      std::vector<std::string>(payload.changed_fields().begin(), payload.changed_fields().end()),
      (std::vector<std::string>{"stage", "stageHistory"}));

  auto back = Advance(*socialized, Network::PREPARATION);
  EXPECT_EQ(back.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(back.status().message().find("allowed next: BOARD_FORMED"), absl::string_view::npos)
      << back.status();

  Network board = *Advance(*socialized, Network::BOARD_FORMED, "2025-12-01");
  auto no_decree = Advance(board, Network::LEGALIZED);
  EXPECT_EQ(no_decree.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(StartOf(no_decree.status()), "decree.number");

  Network legalized = Legalized(kNeighbourVillage);
  EXPECT_EQ(legalized.stage(), Network::LEGALIZED);
  EXPECT_EQ(legalized.stage_history_size(), 4);
  auto active = Advance(legalized, Network::ACTIVE, "2026-02-01");
  ASSERT_TRUE(active.ok()) << active.status();
  auto further = Advance(*active, Network::INACTIVE);
  EXPECT_EQ(further.status().code(), absl::StatusCode::kFailedPrecondition);

  // Once legalized, the decree cannot be taken away.
  Network patch;
  patch.set_id(active->id());
  patch.set_etag(active->etag());
  auto cleared = Update(patch, {"decree.issuer"});
  EXPECT_EQ(cleared.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(StartOf(cleared.status()), "decree.issuer");
}

TEST_F(NetworkLogicTest, UpdateChangesOnlyTheDescriptiveFields) {
  Network n = Create(Valid());
  for (const char* path :
       {"stage", "stageHistory", "memberInstitutionIds", "member_institution_ids", "visits", "kind",
        "villageCode", "etag", "archived", "createTime"}) {
    Network patch;
    patch.set_id(n.id());
    patch.set_etag(n.etag());
    auto refused = Update(patch, {path});
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << path;
    EXPECT_EQ(StartOf(refused.status()), "updateMask") << refused.status();
  }
  Network patch;
  patch.set_id(n.id());
  patch.set_etag(n.etag());
  patch.set_stage(Network::LEGALIZED);
  patch.set_name("WKSBM “Sukarami Bersatu”");
  // Without a mask too: a fixed field sent with another value than the stored one is refused,
  // not skipped, and nothing is written.
  const size_t published = Published();
  auto staged = Update(patch, {});
  EXPECT_EQ(staged.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(staged.status().message(), "stage: moves only with :advance and :recordVisit");
  EXPECT_EQ(Published(), published);
  EXPECT_EQ(store_->records.at(n.id()).name(), n.name());
  // The stored value sent back is fine.
  patch.set_stage(n.stage());
  auto renamed = Update(patch, {});  // no mask: the fields set
  ASSERT_TRUE(renamed.ok()) << renamed.status();
  EXPECT_EQ(renamed->name(), "WKSBM “Sukarami Bersatu”");
  EXPECT_EQ(renamed->stage(), Network::PREPARATION);
  NetworkChanged payload = PayloadOf(store_->published.back());
  EXPECT_EQ(payload.action(), "updated");
  EXPECT_EQ(payload.changed_fields_size(), 1);
  EXPECT_EQ(payload.changed_fields(0), "name");

  patch.set_etag(renamed->etag());
  patch.set_village_code(kNeighbourVillage);
  EXPECT_EQ(StartOf(Update(patch, {}).status()), "villageCode");
  patch.clear_village_code();
  patch.set_etag("1");
  EXPECT_EQ(Update(patch, {"name"}).status().code(), absl::StatusCode::kAborted);
  patch.clear_etag();
  EXPECT_EQ(StartOf(Update(patch, {"name"}).status()), "etag");
}

TEST_F(NetworkLogicTest, MembersComeFromTheVillageOrItsKecamatan) {
  Network n = Create(Valid());
  std::string here = MakeInstitution(kVillage, "PKK Sukarami");
  std::string neighbour = MakeInstitution(kNeighbourVillage, "Karang Taruna Lumpatan");
  std::string lais = MakeInstitution(kLaisVillage, "Majelis Taklim Lais");

  auto added = AddMember(n, here);
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_EQ(added->etag(), "2");
  NetworkChanged payload = PayloadOf(store_->published.back());
  EXPECT_EQ(payload.action(), "member_added");
  EXPECT_EQ(payload.stage_before(), Network::PREPARATION);
  EXPECT_EQ(payload.stage_after(), Network::PREPARATION);
  EXPECT_EQ(payload.changed_fields(0), "memberInstitutionIds");
  n = *added;
  n = *AddMember(n, neighbour);
  EXPECT_EQ(std::vector<std::string>(n.member_institution_ids().begin(),
                                     n.member_institution_ids().end()),
            (std::vector<std::string>{here, neighbour}));

  size_t published = Published();
  auto far = AddMember(n, lais);
  EXPECT_EQ(far.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(StartOf(far.status()), "institutionId");
  EXPECT_NE(far.status().message().find("16.06.02.2001"), absl::string_view::npos);
  auto twice = AddMember(n, here);
  EXPECT_EQ(twice.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(StartOf(twice.status()), "institutionId");
  auto unknown = AddMember(n, "01J00000000000000000000000");
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(unknown.status().message(),
            "institutionId: institution 01J00000000000000000000000 not found");
  EXPECT_EQ(StartOf(unknown.status()), "institutionId");
  EXPECT_EQ(StartOf(AddMember(n, "not-an-id").status()), "institutionId");
  EXPECT_EQ(StartOf(AddMember(n, "").status()), "institutionId");
  Network stale = n;
  stale.set_etag("2");
  EXPECT_EQ(AddMember(stale, here).status().code(), absl::StatusCode::kAborted);

  std::string gone = MakeInstitution(kVillage, "Arisan bubar");
  ArchiveRequest archive;
  archive.set_id(gone);
  archive.set_etag("1");  // as created
  ASSERT_TRUE(institutions_.ArchiveInstitution(TestPrincipal(Role::kAdmin), archive).ok());
  auto archived = AddMember(n, gone);
  EXPECT_EQ(archived.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(archived.status().message().find("archived"), absl::string_view::npos);
  EXPECT_EQ(Published(), published) << "nothing refused was written";

  // A board member who comes from a member institution holds it in the network.
  Network patch;
  patch.set_id(n.id());
  patch.set_etag(n.etag());
  auto* chair = patch.add_board();
  chair->set_full_name("Siti Aminah");
  chair->set_role("ketua");
  chair->set_institution_id(here);
  n = *Update(patch, {"board"});
  auto held = RemoveMember(n, here);
  EXPECT_EQ(held.status().code(), absl::StatusCode::kFailedPrecondition);

  auto removed = RemoveMember(n, neighbour);
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(std::vector<std::string>(removed->member_institution_ids().begin(),
                                     removed->member_institution_ids().end()),
            std::vector<std::string>{here});
  EXPECT_EQ(PayloadOf(store_->published.back()).action(), "member_removed");
  auto not_member = RemoveMember(*removed, neighbour);
  EXPECT_EQ(not_member.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(StartOf(not_member.status()), "institutionId");
}

TEST_F(NetworkLogicTest, VisitsSetActiveOrInactiveOnceLegalized) {
  Network early = Create(Valid(kNeighbourVillage));
  auto too_early = Visit(early, "2026-02-01", true);
  EXPECT_EQ(too_early.status().code(), absl::StatusCode::kFailedPrecondition);

  Network n = Legalized();
  auto inactive = Visit(n, "2026-02-10", false);
  ASSERT_TRUE(inactive.ok()) << inactive.status();
  EXPECT_EQ(inactive->stage(), Network::INACTIVE);
  ASSERT_EQ(inactive->visits_size(), 1);
  EXPECT_EQ(inactive->visits(0).visitor(), "Rahmat, TKSK Sekayu");
  const auto& last_step = inactive->stage_history(inactive->stage_history_size() - 1);
  EXPECT_EQ(last_step.stage(), Network::INACTIVE);
  EXPECT_EQ(last_step.date(), "2026-02-10");
  NetworkChanged payload = PayloadOf(store_->published.back());
  EXPECT_EQ(payload.action(), "visit_recorded");
  EXPECT_EQ(payload.stage_before(), Network::LEGALIZED);
  EXPECT_EQ(payload.stage_after(), Network::INACTIVE);

  auto earlier = Visit(*inactive, "2026-02-09", true);
  EXPECT_EQ(earlier.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(StartOf(earlier.status()), "visit.date");

  auto active = Visit(*inactive, "2026-02-28", true);
  ASSERT_TRUE(active.ok()) << active.status();
  EXPECT_EQ(active->stage(), Network::ACTIVE);
  int steps = active->stage_history_size();
  auto still = Visit(*active, "2026-03-01", true);
  ASSERT_TRUE(still.ok()) << still.status();
  EXPECT_EQ(still->stage_history_size(), steps) << "no step when the stage stays";
  EXPECT_EQ(still->visits_size(), 3);

  RecordNetworkVisitRequest bad;
  bad.set_id(still->id());
  bad.set_etag(still->etag());
  bad.mutable_visit()->set_date("2026-03-01");
  EXPECT_EQ(StartOf(logic_.RecordNetworkVisit(caller_, bad).status()), "visit.visitor");
  bad.mutable_visit()->clear_date();
  EXPECT_EQ(StartOf(logic_.RecordNetworkVisit(caller_, bad).status()), "visit.date");
}

TEST_F(NetworkLogicTest, ListsByRegionAndStageAndArchivedNetworksStayOut) {
  Network sukarami = Legalized();
  Network lumpatan = Create(Valid(kNeighbourVillage));
  Network lais = Create(Valid(kLaisVillage));

  auto names = [&](ListNetworksRequest request) {
    std::vector<std::string> ids;
    auto response = logic_.ListNetworks(caller_, request);
    EXPECT_TRUE(response.ok()) << response.status();
    if (response.ok()) {
      for (const Network& n : response->networks()) ids.push_back(n.id());
    }
    return ids;
  };
  ListNetworksRequest request;
  request.set_region("16.06.01");
  EXPECT_EQ(names(request), (std::vector<std::string>{sukarami.id(), lumpatan.id()}));
  request.set_stage(Network::PREPARATION);
  EXPECT_EQ(names(request), (std::vector<std::string>{lumpatan.id()}));
  request.set_region("");
  EXPECT_EQ(names(request), (std::vector<std::string>{lumpatan.id(), lais.id()}));
  request.set_stage(Network::LEGALIZED);
  EXPECT_EQ(names(request), (std::vector<std::string>{sukarami.id()}));

  ArchiveRequest archive;
  archive.set_id(sukarami.id());
  archive.set_etag(sukarami.etag());
  auto archived = logic_.ArchiveNetwork(caller_, archive);
  ASSERT_TRUE(archived.ok()) << archived.status();
  EXPECT_EQ(PayloadOf(store_->published.back()).action(), "archived");
  EXPECT_TRUE(names(request).empty());
  request.set_show_archived(true);
  EXPECT_EQ(names(request), (std::vector<std::string>{sukarami.id()}));

  // An archived network changes no more.
  EXPECT_EQ(Advance(*archived, Network::ACTIVE).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(logic_.ArchiveNetwork(caller_, archive).status().code(), absl::StatusCode::kAborted);
  archive.set_etag(archived->etag());
  EXPECT_EQ(logic_.ArchiveNetwork(caller_, archive).status().code(),
            absl::StatusCode::kFailedPrecondition);
  archive.clear_etag();
  EXPECT_EQ(StartOf(logic_.ArchiveNetwork(caller_, archive).status()), "etag");

  ListNetworksRequest bad;
  bad.set_page_size(501);
  EXPECT_EQ(StartOf(logic_.ListNetworks(caller_, bad).status()), "pageSize");
  bad.set_page_size(0);
  bad.set_region("17");
  EXPECT_EQ(StartOf(logic_.ListNetworks(caller_, bad).status()), "region");

  GetNetworkRequest get;
  get.set_id(sukarami.id());
  auto read = logic_.GetNetwork(caller_, get);
  ASSERT_TRUE(read.ok());
  EXPECT_TRUE(read->archived());
}

// Access (access_policy.h): another kecamatan's network is absent for a kecamatan's operator,
// writes above the role are refused, lists narrow to the scope, and :addMember does not reveal
// an institution the caller may not read.
TEST_F(NetworkLogicTest, ANetworkOutsideTheScopeIsAbsentForReadsAndChanges) {
  Network lais = Create(Valid(kLaisVillage));
  Network sekayu = Create(Valid());
  const size_t published = Published();
  caller_ = TestPrincipal(Role::kOperator, "16.06.01");

  GetNetworkRequest get;
  get.set_id(lais.id());
  absl::StatusOr<Network> read = logic_.GetNetwork(caller_, get);
  EXPECT_EQ(read.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(read.status().message(), absl::StrCat("network ", lais.id(), " not found"));
  EXPECT_EQ(Advance(lais, Network::SOCIALIZED).status().code(), absl::StatusCode::kNotFound);
  Network stale = lais;
  stale.set_etag("7");
  EXPECT_EQ(Advance(stale, Network::SOCIALIZED).status().code(), absl::StatusCode::kNotFound)
      << "a stale etag must not reveal the network either";
  EXPECT_EQ(Visit(lais, "2026-02-01", true).status().code(), absl::StatusCode::kNotFound);
  ArchiveRequest archive;
  archive.set_id(lais.id());
  archive.set_etag(lais.etag());
  EXPECT_EQ(logic_.ArchiveNetwork(caller_, archive).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(TryCreate(Valid(kLaisVillage)).status().code(), absl::StatusCode::kPermissionDenied);

  ListNetworksRequest list;
  auto listed = logic_.ListNetworks(caller_, list);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->networks_size(), 1);
  EXPECT_EQ(listed->networks(0).id(), sekayu.id());
  list.set_region("16.06.02");
  EXPECT_EQ(logic_.ListNetworks(caller_, list).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Published(), published);

  // In scope it works.
  EXPECT_TRUE(Advance(sekayu, Network::SOCIALIZED).ok());
}

TEST_F(NetworkLogicTest, RolesThatOnlyReadNetworksChangeNothing) {
  Network n = Create(Valid());
  const size_t published = Published();
  for (Role role : {Role::kFieldWorker, Role::kViewer, Role::kSystem}) {
    SCOPED_TRACE(std::string(RoleName(role)));
    caller_ = TestPrincipal(role, "16.06");
    GetNetworkRequest get;
    get.set_id(n.id());
    EXPECT_TRUE(logic_.GetNetwork(caller_, get).ok());
    EXPECT_EQ(TryCreate(Valid(kNeighbourVillage)).status().code(),
              absl::StatusCode::kPermissionDenied);
    EXPECT_EQ(Advance(n, Network::SOCIALIZED).status().code(), absl::StatusCode::kPermissionDenied);
    EXPECT_EQ(Visit(n, "2026-02-01", true).status().code(), absl::StatusCode::kPermissionDenied);
    // The step's row of the policy's step table decides, and the refusal names the step.
    EXPECT_EQ(Advance(n, Network::SOCIALIZED).status().message(),
              absl::StrCat("role ", RoleName(role),
                           " may not take :advance (ADMIN, SUPERVISOR, OPERATOR may)"));
  }
  caller_ = TestPrincipal(Role::kOperator, "16.06");
  ArchiveRequest archive;
  archive.set_id(n.id());
  archive.set_etag(n.etag());
  EXPECT_TRUE(logic_.ArchiveNetwork(caller_, archive).ok()) << "operators archive networks";
  EXPECT_EQ(Published(), published + 1);
}

TEST_F(NetworkLogicTest, AddMemberTreatsAnInstitutionTheCallerCannotReadAsAbsent) {
  Network n = Create(Valid());
  const std::string neighbour = MakeInstitution(kNeighbourVillage);
  // A village-scoped operator: the neighbouring village's institution is not theirs to see.
  caller_ = TestPrincipal(Role::kOperator, kVillage);
  absl::StatusOr<Network> added = AddMember(n, neighbour);
  // Exactly the answer to an unknown id: a reference is a read.
  EXPECT_EQ(added.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(added.status().message(),
            absl::StrCat("institutionId: institution ", neighbour, " not found"));
  caller_ = TestPrincipal(Role::kOperator, "16.06.01");
  EXPECT_TRUE(AddMember(n, neighbour).ok());
}

}  // namespace
}  // namespace wahana::registry
