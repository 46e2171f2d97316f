#include "registry/households/household_logic.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "support/in_memory_indexed_record_store.h"
#include "support/test_principals.h"

namespace wahana::registry {
namespace {

using wahana::common::v1::Envelope;
using wahana::registry::v1::ArchiveRequest;
using wahana::registry::v1::CreateHouseholdRequest;
using wahana::registry::v1::GetHouseholdRequest;
using wahana::registry::v1::Household;
using wahana::registry::v1::HouseholdChanged;
using wahana::registry::v1::ListHouseholdsRequest;
using wahana::registry::v1::ListHouseholdsResponse;
using wahana::registry::v1::Region;
using wahana::registry::v1::UpdateHouseholdRequest;
using wahana::testing::TestPrincipal;

// Known regions by code: what RegionRules reads.
class FakeRegionStore : public RegionStore {
 public:
  std::set<std::string> codes;
  absl::StatusOr<Region> Get(const std::string& code) override {
    if (!codes.count(code)) return absl::NotFoundError("region " + code + " not found");
    Region r;
    r.set_code(code);
    return r;
  }
  absl::StatusOr<Page> ListChildren(const std::string&, const std::string&, int) override {
    return Page();
  }
  absl::StatusOr<bool> LoadIfNewer(const RegionCatalog&, const std::string&) override {
    return false;
  }
};

class FakeBeneficiaries : public BeneficiaryDirectory {
 public:
  std::map<std::string, BeneficiaryFacts> records;
  absl::StatusOr<std::optional<BeneficiaryFacts>> Find(const std::string& id) override {
    auto it = records.find(id);
    if (it == records.end()) return std::optional<BeneficiaryFacts>();
    return std::optional<BeneficiaryFacts>(it->second);
  }
};

// The in-memory store, whose FindUnique can be made to miss: as when another household claims a
// member between the logic's check and its write.
class RacyHouseholdStore : public wahana::testing::InMemoryIndexedRecordStore<Household> {
 public:
  RacyHouseholdStore() : InMemoryIndexedRecordStore("household", HouseholdIndexing()) {}
  absl::StatusOr<std::optional<Household>> FindUnique(const std::string& index,
                                                      const std::string& value) override {
    if (stale_reads) return std::optional<Household>();
    return InMemoryIndexedRecordStore::FindUnique(index, value);
  }
  bool stale_reads = false;
};

constexpr char kKk[] = "1606010101200001";
constexpr char kNewKk[] = "1606020203240002";
constexpr char kVillage[] = "16.06.01.2001";
// Beneficiary ids (time-ordered ids).
constexpr char kAyah[] = "01JD0000000000000000000001";
constexpr char kIbu[] = "01JD0000000000000000000002";
constexpr char kAnak[] = "01JD0000000000000000000003";
constexpr char kNenek[] = "01JD0000000000000000000004";

HouseholdChanged PayloadOf(const Envelope& envelope) {
  HouseholdChanged payload;
  EXPECT_TRUE(envelope.payload().UnpackTo(&payload)) << envelope.type();
  return payload;
}

class HouseholdLogicTest : public ::testing::Test {
 protected:
  HouseholdLogicTest()
      : rules_(regions_, "16.06"),
        store_(std::make_shared<RacyHouseholdStore>()),
        beneficiaries_(std::make_shared<FakeBeneficiaries>()),
        ids_([this] { return absl::ToUnixMillis(now_); }),
        logic_(
            "16.06", store_, beneficiaries_, rules_, [this] { return now_; }, &ids_) {
    regions_.codes = {"16",    "16.06",    "16.06.01",     "16.06.02", kVillage, "16.06.02.2001",
                      "16.07", "16.07.01", "16.07.01.2001"};
    for (const char* id : {kAyah, kIbu, kAnak, kNenek}) {
      beneficiaries_->records[id].village_code = kVillage;
    }
  }

  static void AddMember(Household* h, const std::string& id, Household::Relation relation) {
    Household::Member* m = h->add_members();
    m->set_beneficiary_id(id);
    m->set_relation(relation);
  }

  static CreateHouseholdRequest Family(const std::string& kk = kKk) {
    CreateHouseholdRequest request;
    Household* h = request.mutable_household();
    h->set_kk_number(kk);
    h->set_village_code(kVillage);
    h->set_address("Jl. Merdeka No. 5, RT 02 RW 01");
    AddMember(h, kAyah, Household::HEAD);
    AddMember(h, kIbu, Household::SPOUSE);
    AddMember(h, kAnak, Household::CHILD);
    return request;
  }

  Household Create(const CreateHouseholdRequest& request) {
    auto created = logic_.CreateHousehold(caller_, request);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : Household();
  }

  void ExpectRefused(const CreateHouseholdRequest& request, absl::StatusCode code,
                     const std::string& message) {
    size_t published = store_->published.size();
    auto created = logic_.CreateHousehold(caller_, request);
    EXPECT_EQ(created.status().code(), code) << created.status();
    EXPECT_EQ(std::string(created.status().message()).rfind(message, 0), 0u) << created.status();
    EXPECT_EQ(store_->published.size(), published) << "nothing is written";
  }

  // Based on the household as read now (by the deployment's admin): its current etag.
  UpdateHouseholdRequest Patch(const std::string& id, std::initializer_list<const char*> paths) {
    UpdateHouseholdRequest request;
    request.mutable_household()->set_id(id);
    request.mutable_household()->set_etag(Read(id).etag());
    for (const char* p : paths) request.mutable_update_mask()->add_paths(p);
    return request;
  }

  Household Read(const std::string& id) {
    GetHouseholdRequest get;
    get.set_id(id);
    auto read = logic_.GetHousehold(TestPrincipal(Role::kAdmin), get);
    EXPECT_TRUE(read.ok()) << read.status();
    return read.ok() ? *read : Household();
  }

  ListHouseholdsResponse List(const ListHouseholdsRequest& request) {
    auto listed = logic_.ListHouseholds(caller_, request);
    EXPECT_TRUE(listed.ok()) << listed.status();
    return listed.ok() ? *listed : ListHouseholdsResponse();
  }

  // 20:00 UTC is already the next day in Musi Banyuasin (UTC+7).
  absl::Time now_ = absl::FromCivil(absl::CivilSecond(2025, 11, 27, 20, 0, 0), absl::UTCTimeZone());
  FakeRegionStore regions_;
  RegionRules rules_;
  std::shared_ptr<RacyHouseholdStore> store_;
  std::shared_ptr<FakeBeneficiaries> beneficiaries_;
  TimeOrderedIdGenerator ids_;
  HouseholdLogic logic_;
  // Who the tests call the logic as: the deployment's ADMIN unless a test says otherwise.
  Principal caller_ = TestPrincipal(Role::kAdmin);
};

TEST_F(HouseholdLogicTest, CreateKeepsMembersAndStartsTheKkHistory) {
  CreateHouseholdRequest request = Family();
  Household* in = request.mutable_household();
  in->set_id("01AAAAAAAAAAAAAAAAAAAAAAAA");
  in->set_etag("5");
  in->add_kk_history()->set_kk_number("9999999999999999");
  in->add_review_flags()->set_code("FORGED");
  in->set_kk_change_reason("ignored on create");
  in->set_address("Dusun II, Desa Kemang, depan masjid Al-Ikhlas — rumah panggung");

  Household h = Create(request);
  EXPECT_EQ(h.id().size(), 26u);
  EXPECT_NE(h.id(), "01AAAAAAAAAAAAAAAAAAAAAAAA");
  EXPECT_EQ(h.etag(), "1");
  EXPECT_EQ(h.kk_number(), kKk);
  EXPECT_EQ(h.address(), "Dusun II, Desa Kemang, depan masjid Al-Ikhlas — rumah panggung");
  EXPECT_TRUE(h.kk_change_reason().empty());
  EXPECT_TRUE(h.review_flags().empty());
  ASSERT_EQ(h.members_size(), 3);
  EXPECT_EQ(h.members(0).beneficiary_id(), kAyah);
  EXPECT_EQ(h.members(0).relation(), Household::HEAD);
  ASSERT_EQ(h.kk_history_size(), 1);
  EXPECT_EQ(h.kk_history(0).kk_number(), kKk);
  EXPECT_EQ(h.kk_history(0).valid_from(), "2025-11-28");
  EXPECT_EQ(h.kk_history(0).valid_to(), "");
  EXPECT_EQ(h.create_time().seconds(), absl::ToUnixSeconds(now_));
  EXPECT_EQ(h.update_time().SerializeAsString(), h.create_time().SerializeAsString())
      << "a new record's update_time is its create_time";

  ASSERT_EQ(store_->published.size(), 1u);
  EXPECT_EQ(store_->published[0].type(), "wahana.registry.v1.HouseholdChanged");
  EXPECT_EQ(store_->published[0].region_code(), kVillage);
  EXPECT_EQ(store_->published[0].aggregate_id(), h.id());
  HouseholdChanged payload = PayloadOf(store_->published[0]);
  EXPECT_EQ(payload.action(), "created");
  EXPECT_EQ(payload.household().kk_number(), kKk);
}

TEST_F(HouseholdLogicTest, AFamilyWithoutKkOrMembersIsAllowed) {
  CreateHouseholdRequest request;
  request.mutable_household()->set_village_code(kVillage);
  Household h = Create(request);
  EXPECT_TRUE(h.kk_number().empty());
  EXPECT_TRUE(h.kk_history().empty());
  EXPECT_TRUE(h.members().empty());
}

TEST_F(HouseholdLogicTest, BadInputIsRefusedNamingTheField) {
  const auto kInvalid = absl::StatusCode::kInvalidArgument;
  ExpectRefused(Family("160601010120000"), kInvalid,
                "kkNumber: must be 16 digits (got 15 characters)");
  ExpectRefused(Family("16060101012O0001"), kInvalid, "kkNumber: must be 16 digits, nothing else");

  CreateHouseholdRequest r = Family();
  r.mutable_household()->clear_village_code();
  ExpectRefused(r, kInvalid, "villageCode: required");
  r.mutable_household()->set_village_code("16.06.01");
  ExpectRefused(r, kInvalid, "villageCode: \"16.06.01\" is not a village code");
  r.mutable_household()->set_village_code("16.07.01.2001");
  ExpectRefused(r, kInvalid, "villageCode: \"16.07.01.2001\" is outside");
  r.mutable_household()->set_village_code("16.06.01.2999");
  ExpectRefused(r, kInvalid, "villageCode: \"16.06.01.2999\" is not a known region");

  r = Family();
  r.mutable_household()->set_address(std::string(501, 'a'));
  ExpectRefused(r, kInvalid, "address: at most 500 bytes");

  r = Family();
  r.mutable_household()->mutable_members(1)->clear_beneficiary_id();
  ExpectRefused(r, kInvalid, "members[1].beneficiaryId: required");
  r.mutable_household()->mutable_members(1)->set_beneficiary_id("ibu");
  ExpectRefused(r, kInvalid, "members[1].beneficiaryId: \"ibu\" is not a beneficiary id");
  r.mutable_household()->mutable_members(1)->set_beneficiary_id(kAyah);
  ExpectRefused(r, kInvalid, "members[1].beneficiaryId: repeats members[0]");

  r = Family();
  r.mutable_household()->mutable_members(2)->clear_relation();
  ExpectRefused(r, kInvalid, "members[2].relation: required");
  r.mutable_household()->mutable_members(2)->set_relation(Household::HEAD);
  ExpectRefused(r, kInvalid, "members[2].relation: a household has one HEAD (members[0] is)");

  r = Family();
  AddMember(r.mutable_household(), "01JD0000000000000000000099", Household::PARENT);
  ExpectRefused(r, absl::StatusCode::kNotFound,
                "members[3].beneficiaryId: beneficiary 01JD0000000000000000000099 not found");
  beneficiaries_->records[kNenek].archived = true;
  r = Family();
  AddMember(r.mutable_household(), kNenek, Household::PARENT);
  ExpectRefused(r, kInvalid,
                std::string("members[3].beneficiaryId: beneficiary ") + kNenek + " is archived");
  EXPECT_TRUE(store_->records.empty());
}

TEST_F(HouseholdLogicTest, FindingsAreFlaggedNotRefused) {
  beneficiaries_->records[kIbu].household_id = "01JD9999999999999999999999";
  Household h = Create(Family("1699990101200001"));
  ASSERT_EQ(h.review_flags_size(), 2);
  EXPECT_EQ(h.review_flags(0).code(), "KK_SUBDISTRICT_UNKNOWN");
  EXPECT_EQ(h.review_flags(0).field(), "kkNumber");
  EXPECT_EQ(h.review_flags(1).code(), "MEMBER_HOUSEHOLD_DIFFERS");
  EXPECT_EQ(h.review_flags(1).field(), "members[1].beneficiaryId");

  // A viewer gets the KK finding without its message (it quotes the KK's first six digits); the
  // member finding names only ids and stays whole.
  GetHouseholdRequest get;
  get.set_id(h.id());
  auto read = logic_.GetHousehold(TestPrincipal(Role::kViewer, "16.06"), get);
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->review_flags_size(), 2);
  EXPECT_EQ(read->review_flags(0).code(), "KK_SUBDISTRICT_UNKNOWN");
  EXPECT_EQ(read->review_flags(0).message().find("169999"), std::string::npos);
  EXPECT_EQ(read->review_flags(0).message().find_first_of("0123456789"), std::string::npos);
  EXPECT_EQ(read->review_flags(1).message(), h.review_flags(1).message());
}

TEST_F(HouseholdLogicTest, AKkNumberBelongsToOneLiveHousehold) {
  Household first = Create(Family());
  CreateHouseholdRequest again;
  again.mutable_household()->set_kk_number(kKk);
  again.mutable_household()->set_village_code("16.06.02.2001");
  auto duplicate = logic_.CreateHousehold(caller_, again);
  EXPECT_EQ(duplicate.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(duplicate.status().message(), "kkNumber: already used by household " + first.id());

  ArchiveRequest archive;
  archive.set_id(first.id());
  archive.set_etag(first.etag());
  ASSERT_TRUE(logic_.ArchiveHousehold(caller_, archive).ok());
  EXPECT_TRUE(logic_.CreateHousehold(caller_, again).ok());
}

TEST_F(HouseholdLogicTest, ABeneficiaryBelongsToOneLiveHousehold) {
  Household first = Create(Family());
  CreateHouseholdRequest split;  // the son's own family card
  split.mutable_household()->set_kk_number(kNewKk);
  split.mutable_household()->set_village_code(kVillage);
  AddMember(split.mutable_household(), kNenek, Household::PARENT);
  AddMember(split.mutable_household(), kAnak, Household::HEAD);
  ExpectRefused(split, absl::StatusCode::kFailedPrecondition,
                std::string("members[1].beneficiaryId: beneficiary ") + kAnak +
                    " is already a member of household " + first.id());

  // The same when the claim happens between the check and the write.
  store_->stale_reads = true;
  ExpectRefused(split, absl::StatusCode::kFailedPrecondition,
                std::string("members[1].beneficiaryId: beneficiary ") + kAnak +
                    " is already a member of household " + first.id());
  store_->stale_reads = false;

  // Once the son leaves the first household, he may head his own.
  UpdateHouseholdRequest leave = Patch(first.id(), {"members"});
  AddMember(leave.mutable_household(), kAyah, Household::HEAD);
  AddMember(leave.mutable_household(), kIbu, Household::SPOUSE);
  ASSERT_TRUE(logic_.UpdateHousehold(caller_, leave).ok());
  Household second = Create(split);
  EXPECT_EQ(second.members(1).beneficiary_id(), kAnak);
}

TEST_F(HouseholdLogicTest, ARepeatedRequestIdReturnsTheFirstHousehold) {
  CreateHouseholdRequest request = Family();
  request.set_request_id("form-12");
  Household first = Create(request);
  Household again = Create(request);  // its KK and members would conflict were it a new create
  EXPECT_EQ(again.id(), first.id());
  EXPECT_EQ(store_->published.size(), 1u);
}

TEST_F(HouseholdLogicTest, GetShowsTheKkWholeAndListsMaskIt) {
  Household h = Create(Family());
  CreateHouseholdRequest other;
  other.mutable_household()->set_village_code("16.06.02.2001");
  other.mutable_household()->set_kk_number(kNewKk);
  Household h2 = Create(other);

  GetHouseholdRequest get;
  get.set_id(h.id());
  auto read = logic_.GetHousehold(caller_, get);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->kk_number(), kKk);
  EXPECT_EQ(read->kk_history(0).kk_number(), kKk);
  get.set_id("01JZZZZZZZZZZZZZZZZZZZZZZZ");
  EXPECT_EQ(logic_.GetHousehold(caller_, get).status().code(), absl::StatusCode::kNotFound);
  get.set_id("x");
  EXPECT_EQ(logic_.GetHousehold(caller_, get).status().code(), absl::StatusCode::kInvalidArgument);

  ListHouseholdsResponse all = List(ListHouseholdsRequest());
  ASSERT_EQ(all.households_size(), 2);
  EXPECT_EQ(all.households(0).kk_number(), "****************");
  EXPECT_EQ(all.households(0).kk_history(0).kk_number(), "****************");
  EXPECT_EQ(all.households(1).kk_number(), "****************");

  ListHouseholdsRequest r;
  r.set_region("16.06.02");
  ListHouseholdsResponse in_02 = List(r);
  ASSERT_EQ(in_02.households_size(), 1);
  EXPECT_EQ(in_02.households(0).id(), h2.id());
  // A region disjoint from the caller's scope is 403, also outside the deployment (one rule for
  // every list: ScopeListRegion).
  r.set_region("16.07");
  EXPECT_EQ(logic_.ListHouseholds(caller_, r).status().code(), absl::StatusCode::kPermissionDenied);
  r = ListHouseholdsRequest();
  r.set_page_size(501);
  EXPECT_EQ(logic_.ListHouseholds(caller_, r).status().code(), absl::StatusCode::kInvalidArgument);

  ArchiveRequest archive;
  archive.set_id(h2.id());
  archive.set_etag(h2.etag());
  archive.set_reason("pindah ke luar kabupaten");
  ASSERT_TRUE(logic_.ArchiveHousehold(caller_, archive).ok());
  EXPECT_EQ(List(ListHouseholdsRequest()).households_size(), 1);
  r = ListHouseholdsRequest();
  r.set_show_archived(true);
  EXPECT_EQ(List(r).households_size(), 2);
  EXPECT_EQ(PayloadOf(store_->published.back()).reason(), "pindah ke luar kabupaten");
}

TEST_F(HouseholdLogicTest, ANewKkNumberClosesTheOldOneInTheHistory) {
  Household h = Create(Family());
  now_ += absl::Hours(24 * 40);  // 2026-01-07 in UTC+7
  UpdateHouseholdRequest change = Patch(h.id(), {"kkNumber"});
  change.mutable_household()->set_etag("1");
  change.mutable_household()->set_kk_number(kNewKk);
  auto no_reason = logic_.UpdateHousehold(caller_, change);
  EXPECT_EQ(no_reason.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(no_reason.status().message()).rfind("kkChangeReason: required", 0), 0u);

  change.mutable_household()->set_kk_change_reason("pindah");
  auto changed = logic_.UpdateHousehold(caller_, change);
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_EQ(changed->etag(), "2");
  EXPECT_EQ(changed->kk_number(), kNewKk);
  EXPECT_TRUE(changed->kk_change_reason().empty()) << "input only";
  ASSERT_EQ(changed->kk_history_size(), 2);
  EXPECT_EQ(changed->kk_history(0).kk_number(), kKk);
  EXPECT_EQ(changed->kk_history(0).valid_from(), "2025-11-28");
  EXPECT_EQ(changed->kk_history(0).valid_to(), "2026-01-07");
  EXPECT_EQ(changed->kk_history(0).reason(), "pindah");
  EXPECT_EQ(changed->kk_history(1).kk_number(), kNewKk);
  EXPECT_EQ(changed->kk_history(1).valid_from(), "2026-01-07");
  EXPECT_EQ(changed->kk_history(1).valid_to(), "");
  EXPECT_EQ(store_->records.at(h.id()).kk_history_size(), 2);

  HouseholdChanged payload = PayloadOf(store_->published.back());
  EXPECT_EQ(payload.action(), "updated");
  EXPECT_EQ(payload.reason(), "pindah");
  EXPECT_EQ(
      std::vector<std::string>(payload.changed_fields().begin(), payload.changed_fields().end()),
      (std::vector<std::string>{"kkHistory", "kkNumber"}));
  EXPECT_EQ(store_->published.back().aggregate_version(), 2);

  // The old number is free again, the new one taken.
  CreateHouseholdRequest old_kk;
  old_kk.mutable_household()->set_village_code(kVillage);
  old_kk.mutable_household()->set_kk_number(kKk);
  EXPECT_TRUE(logic_.CreateHousehold(caller_, old_kk).ok());
  old_kk.mutable_household()->set_kk_number(kNewKk);
  EXPECT_EQ(logic_.CreateHousehold(caller_, old_kk).status().code(),
            absl::StatusCode::kAlreadyExists);

  // A stale etag, now.
  change.mutable_household()->set_kk_number("1606010101250009");
  EXPECT_EQ(logic_.UpdateHousehold(caller_, change).status().code(), absl::StatusCode::kAborted);
}

TEST_F(HouseholdLogicTest, KkRulesOnUpdate) {
  CreateHouseholdRequest bare;
  bare.mutable_household()->set_village_code(kVillage);
  Household h = Create(bare);
  // A first KK needs no reason.
  UpdateHouseholdRequest first = Patch(h.id(), {"kkNumber"});
  first.mutable_household()->set_kk_number(kKk);
  auto with_kk = logic_.UpdateHousehold(caller_, first);
  ASSERT_TRUE(with_kk.ok()) << with_kk.status();
  ASSERT_EQ(with_kk->kk_history_size(), 1);
  EXPECT_EQ(with_kk->kk_history(0).valid_to(), "");

  auto cleared = logic_.UpdateHousehold(caller_, Patch(h.id(), {"kkNumber"}));
  EXPECT_EQ(cleared.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      std::string(cleared.status().message()).rfind("kkNumber: a KK number cannot be cleared", 0),
      0u);

  UpdateHouseholdRequest reason_only = Patch(h.id(), {"address"});
  reason_only.mutable_household()->set_address("Jl. Baru");
  reason_only.mutable_household()->set_kk_change_reason("cerai");
  auto refused = logic_.UpdateHousehold(caller_, reason_only);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().message(), "kkChangeReason: only with a new kkNumber");

  for (const char* server_set : {"kkHistory", "reviewFlags", "archived", "etag"}) {
    auto r = logic_.UpdateHousehold(caller_, Patch(h.id(), {server_set}));
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << server_set;
  }

  // Nothing changed: nothing written.
  size_t published = store_->published.size();
  UpdateHouseholdRequest same = Patch(h.id(), {"kkNumber"});
  same.mutable_household()->set_kk_number(kKk);
  auto unchanged = logic_.UpdateHousehold(caller_, same);
  ASSERT_TRUE(unchanged.ok()) << unchanged.status();
  EXPECT_EQ(unchanged->etag(), "2");
  EXPECT_EQ(store_->published.size(), published);
}

TEST_F(HouseholdLogicTest, ArchivedHouseholdsReleaseTheirMembersAndStayArchived) {
  Household h = Create(Family());
  ArchiveRequest archive;
  archive.set_id(h.id());
  archive.set_etag("7");
  EXPECT_EQ(logic_.ArchiveHousehold(caller_, archive).status().code(), absl::StatusCode::kAborted);
  archive.set_etag("1");
  auto archived = logic_.ArchiveHousehold(caller_, archive);
  ASSERT_TRUE(archived.ok()) << archived.status();
  EXPECT_TRUE(archived->archived());
  EXPECT_TRUE(archived->has_archive_time());
  HouseholdChanged payload = PayloadOf(store_->published.back());
  EXPECT_EQ(payload.action(), "archived");
  // Every field that differs, sorted (etag and updateTime move with every write: left out).
  EXPECT_EQ(
      std::vector<std::string>(payload.changed_fields().begin(), payload.changed_fields().end()),
      (std::vector<std::string>{"archiveTime", "archived"}));
  archive.set_etag(archived->etag());
  auto twice = logic_.ArchiveHousehold(caller_, archive);
  EXPECT_EQ(twice.status().code(), absl::StatusCode::kFailedPrecondition) << twice.status();
  EXPECT_EQ(twice.status().message(), "household " + h.id() + " is already archived");
  archive.clear_etag();
  EXPECT_EQ(std::string(logic_.ArchiveHousehold(caller_, archive).status().message())
                .rfind("etag: required", 0),
            0u);
  UpdateHouseholdRequest update = Patch(h.id(), {"address"});
  EXPECT_EQ(logic_.UpdateHousehold(caller_, update).status().code(),
            absl::StatusCode::kFailedPrecondition);

  // The family, on a new card, in a new household.
  Household again = Create(Family(kNewKk));
  EXPECT_EQ(again.members_size(), 3);
}

// Access (access_policy.h): the family lives in Sekayu (16.06.01); Lais is 16.06.02.
TEST_F(HouseholdLogicTest, AHouseholdOutsideTheScopeIsAbsentAndListsNarrowToTheScope) {
  Household sekayu = Create(Family());
  CreateHouseholdRequest lais_family;
  lais_family.mutable_household()->set_kk_number(kNewKk);
  lais_family.mutable_household()->set_village_code("16.06.02.2001");
  Household lais = Create(lais_family);
  caller_ = TestPrincipal(Role::kFieldWorker, "16.06.02");

  GetHouseholdRequest get;
  get.set_id(sekayu.id());
  auto hidden = logic_.GetHousehold(caller_, get);
  EXPECT_EQ(hidden.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(hidden.status().message(), "household " + sekayu.id() + " not found");

  ListHouseholdsResponse listed = List(ListHouseholdsRequest());
  ASSERT_EQ(listed.households_size(), 1);
  EXPECT_EQ(listed.households(0).id(), lais.id());
  ListHouseholdsRequest disjoint;
  disjoint.set_region("16.06.01");
  EXPECT_EQ(logic_.ListHouseholds(caller_, disjoint).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(
      logic_.ListHouseholds(TestPrincipal(Role::kProvinceViewer, "16"), ListHouseholdsRequest())
          .status()
          .code(),
      absl::StatusCode::kPermissionDenied);
}

TEST_F(HouseholdLogicTest, WritesOutsideTheScopeOrAboveTheRoleAreRefusedAndWriteNothing) {
  Household sekayu = Create(Family());
  const size_t published = store_->published.size();
  caller_ = TestPrincipal(Role::kFieldWorker, "16.06.02");

  // Creating in Sekayu, with Sekayu's people: refused before the members are looked at.
  CreateHouseholdRequest elsewhere = Family(kNewKk);
  EXPECT_EQ(logic_.CreateHousehold(caller_, elsewhere).status().code(),
            absl::StatusCode::kPermissionDenied);
  UpdateHouseholdRequest update = Patch(sekayu.id(), {"address"});
  update.mutable_household()->set_etag("9");
  update.mutable_household()->set_address("Jl. Lain");
  EXPECT_EQ(logic_.UpdateHousehold(caller_, update).status().code(), absl::StatusCode::kNotFound)
      << "neither the record nor its etag is revealed";
  ArchiveRequest archive;
  archive.set_id(sekayu.id());
  archive.set_etag(sekayu.etag());
  EXPECT_EQ(logic_.ArchiveHousehold(caller_, archive).status().code(), absl::StatusCode::kNotFound);

  // Inside the scope but above the role, or moving the household out of it.
  caller_ = TestPrincipal(Role::kFieldWorker, "16.06.01");
  EXPECT_EQ(logic_.ArchiveHousehold(caller_, archive).status().code(),
            absl::StatusCode::kPermissionDenied);
  UpdateHouseholdRequest move = Patch(sekayu.id(), {"villageCode"});
  move.mutable_household()->set_village_code("16.06.02.2001");
  EXPECT_EQ(logic_.UpdateHousehold(caller_, move).status().code(),
            absl::StatusCode::kPermissionDenied);
  update.mutable_household()->set_etag("1");
  EXPECT_EQ(logic_.UpdateHousehold(TestPrincipal(Role::kViewer, "16.06"), update).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(store_->published.size(), published);
}

TEST_F(HouseholdLogicTest, ANewMemberTheCallerMayNotReadIsAbsent) {
  beneficiaries_->records[kNenek].village_code = "16.06.02.2001";
  caller_ = TestPrincipal(Role::kOperator, "16.06.01");
  CreateHouseholdRequest request = Family();
  AddMember(request.mutable_household(), kNenek, Household::PARENT);
  // Exactly the answer to an unknown id: a reference is a read.
  ExpectRefused(request, absl::StatusCode::kNotFound,
                absl::StrCat("members[3].beneficiaryId: beneficiary ", kNenek, " not found"));
  // Whoever may read her may add her; a member already there stays for everyone.
  caller_ = TestPrincipal(Role::kAdmin);
  Household h = Create(request);
  caller_ = TestPrincipal(Role::kOperator, "16.06.01");
  UpdateHouseholdRequest update = Patch(h.id(), {"address"});
  update.mutable_household()->set_address("Jl. Baru No. 1");
  auto updated = logic_.UpdateHousehold(caller_, update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->members_size(), 4);
}

// A KK number is unique in the whole deployment, so a second claim is refused whoever asks; the
// holder is named only to a caller who may read it (common/resource/taken_value.h).
TEST_F(HouseholdLogicTest, AKkNumberHeldOutsideTheScopeIsAConflictNamingNoHolder) {
  Household sekayu = Create(Family());  // the deployment's admin, in Sekayu (16.06.01)
  const size_t published = store_->published.size();
  constexpr char kOutside[] =
      "kkNumber: a household with this KK number is already registered outside your region";

  caller_ = TestPrincipal(Role::kFieldWorker, "16.06.02");
  CreateHouseholdRequest lais;
  lais.mutable_household()->set_kk_number(kKk);
  lais.mutable_household()->set_village_code("16.06.02.2001");
  auto created = logic_.CreateHousehold(caller_, lais);
  EXPECT_EQ(created.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(created.status().message(), kOutside);
  EXPECT_EQ(created.status().message().find(sekayu.id()), absl::string_view::npos);
  EXPECT_EQ(created.status().message().find("16.06.01"), absl::string_view::npos);
  EXPECT_EQ(store_->published.size(), published);

  // Changing a household's KK to it is refused alike, and writes nothing.
  lais.mutable_household()->set_kk_number(kNewKk);
  auto own = logic_.CreateHousehold(caller_, lais);
  ASSERT_TRUE(own.ok()) << own.status();
  UpdateHouseholdRequest change = Patch(own->id(), {"kkNumber"});
  change.mutable_household()->set_kk_number(kKk);
  change.mutable_household()->set_kk_change_reason("pindah");
  auto updated = logic_.UpdateHousehold(caller_, change);
  EXPECT_EQ(updated.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(updated.status().message(), kOutside);
  EXPECT_EQ(store_->records.at(own->id()).kk_number(), kNewKk);

  // A caller who may read the holder is told which household it is.
  auto named = logic_.UpdateHousehold(TestPrincipal(Role::kOperator, "16.06"), change);
  EXPECT_EQ(named.status().message(), "kkNumber: already used by household " + sekayu.id());
}

TEST_F(HouseholdLogicTest, AMemberOfAHouseholdOutsideTheScopeNamesNoHousehold) {
  // Nenek lives in Lais (16.06.02) but is on the Sekayu family's card.
  beneficiaries_->records[kNenek].village_code = "16.06.02.2001";
  CreateHouseholdRequest family = Family();
  AddMember(family.mutable_household(), kNenek, Household::PARENT);
  Household sekayu = Create(family);

  caller_ = TestPrincipal(Role::kFieldWorker, "16.06.02");
  CreateHouseholdRequest own;
  own.mutable_household()->set_village_code("16.06.02.2001");
  AddMember(own.mutable_household(), kNenek, Household::HEAD);
  const std::string outside = std::string("members[0].beneficiaryId: beneficiary ") + kNenek +
                              " is already a member of a household outside your region";
  ExpectRefused(own, absl::StatusCode::kFailedPrecondition, outside);
  // The same when the claim is found only by the store's write.
  store_->stale_reads = true;
  ExpectRefused(own, absl::StatusCode::kFailedPrecondition, outside);
  store_->stale_reads = false;
  EXPECT_EQ(logic_.CreateHousehold(caller_, own).status().message().find(sekayu.id()),
            absl::string_view::npos);
}

TEST_F(HouseholdLogicTest, ARequestIdReusedOutsideTheScopeNamesNoHousehold) {
  CreateHouseholdRequest request = Family();
  request.set_request_id("kk-form-3");
  Household sekayu = Create(request);
  const size_t published = store_->published.size();
  // The same subject, its scope narrowed since (another caller's "kk-form-3" is its own).
  caller_ = TestPrincipal(Role::kOperator, "16.06.02", caller_.subject);
  auto again = logic_.CreateHousehold(caller_, request);
  // Told as any value taken outside the scope is (common/resource/taken_value.h): naming nothing.
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(again.status().message(),
            "requestId: a household with this requestId is already registered outside your region");
  EXPECT_EQ(again.status().message().find(sekayu.id()), absl::string_view::npos) << again.status();
  EXPECT_EQ(again.status().message().find("16.06.01"), absl::string_view::npos) << again.status();
  EXPECT_EQ(store_->published.size(), published);
}

TEST_F(HouseholdLogicTest, AViewerGetsTheKkNumbersMasked) {
  Household h = Create(Family());
  GetHouseholdRequest get;
  get.set_id(h.id());
  auto read = logic_.GetHousehold(TestPrincipal(Role::kViewer, "16.06"), get);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->kk_number(), "****************");
  ASSERT_EQ(read->kk_history_size(), 1);
  EXPECT_EQ(read->kk_history(0).kk_number(), "****************");
  read = logic_.GetHousehold(TestPrincipal(Role::kOperator, "16.06.01"), get);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->kk_number(), kKk);
}

}  // namespace
}  // namespace wahana::registry
