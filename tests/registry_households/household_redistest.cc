// The registry's households against a real Redis: members read from the beneficiaries' records
// (RedisBeneficiaryDirectory), what a create, a KK change and an archive leave in Redis (the
// record, its list entry, its KK and member claims, its HouseholdChanged message), and "one live
// household per beneficiary" holding under concurrent creates.

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/bus/envelope.h"
#include "common/storage/indexed_proto_record_store.h"
#include "common/storage/proto_record_store.h"
#include "common/storage/record_requests.h"
#include "registry/households/beneficiary_directory.h"
#include "registry/households/household_indexing.h"
#include "registry/households/household_logic.h"
#include "support/redis_inspection.h"
#include "support/redis_server.h"
#include "support/test_principals.h"
#include "wahana/registry/v1/beneficiary.pb.h"

namespace wahana::registry {
namespace {

using wahana::common::v1::Envelope;
using wahana::registry::v1::ArchiveRequest;
using wahana::registry::v1::Beneficiary;
using wahana::registry::v1::CreateHouseholdRequest;
using wahana::registry::v1::Household;
using wahana::registry::v1::HouseholdChanged;
using wahana::registry::v1::Region;
using wahana::registry::v1::UpdateHouseholdRequest;
using wahana::testing::TestPrincipal;

constexpr char kRegion[] = "16.06";
constexpr char kVillage[] = "16.06.01.2001";
constexpr char kKk[] = "1606010101200001";
constexpr char kNewKk[] = "1606010202240007";

class KnownRegions : public RegionStore {
 public:
  std::set<std::string> codes{"16", "16.06", "16.06.01", kVillage, "16.06.02", "16.06.02.2001"};
  absl::StatusOr<Region> Get(const std::string& code) override {
    if (!codes.count(code)) return absl::NotFoundError(code);
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

class HouseholdRedisTest : public ::testing::Test {
 protected:
  HouseholdRedisTest()
      : redis_(server_.Client()),
        rules_(regions_, kRegion),
        store_(std::make_shared<IndexedProtoRecordStore<Household>>(*redis_, keys_,
                                                                    HouseholdIndexing())),
        beneficiaries_(std::make_shared<RedisBeneficiaryDirectory>(*redis_, kRegion)),
        logic_(kRegion, store_, beneficiaries_, rules_) {}

  // A beneficiary record as the beneficiary service stores it (same keys, same record layout).
  std::string AddBeneficiary(const std::string& name, bool archived = false,
                             const std::string& household_id = "") {
    Beneficiary b;
    b.set_id(TimeOrderedIdGenerator::Default().Next());
    b.set_etag(EtagOf(kFirstVersion));
    b.set_full_name(name);
    b.set_village_code(kVillage);
    b.set_archived(archived);
    b.set_household_id(household_id);
    ProtoRecordStore<Beneficiary> beneficiaries(*redis_,
                                                RecordKeys("registry", "beneficiary", kRegion));
    auto created = beneficiaries.Create(
        b, MakeEnvelope(b, CreatedFacts(kRegion, b.id(), b.village_code())), "");
    EXPECT_TRUE(created.ok()) << created.status();
    return b.id();
  }

  CreateHouseholdRequest Family(const std::string& kk, const std::vector<std::string>& members) {
    CreateHouseholdRequest request;
    request.mutable_household()->set_kk_number(kk);
    request.mutable_household()->set_village_code(kVillage);
    for (size_t i = 0; i < members.size(); ++i) {
      Household::Member* m = request.mutable_household()->add_members();
      m->set_beneficiary_id(members[i]);
      m->set_relation(i == 0 ? Household::HEAD : Household::CHILD);
    }
    return request;
  }

  std::vector<std::string> IndexMembers(const std::string& name) {
    return wahana::testing::StoreIndexMembers(*redis_, keys_, name);
  }

  Household Stored(const std::string& id) {
    Household h;
    auto pb = redis_->Command({"HGET", keys_.Record(id), kRecordPbField});
    EXPECT_TRUE(pb.ok()) << pb.status();
    if (pb.ok()) {
      EXPECT_TRUE(h.ParseFromString(pb->str));
    }
    return h;
  }

  std::vector<HouseholdChanged> Messages() {
    std::vector<HouseholdChanged> out;
    for (const Envelope& e : wahana::testing::StreamMessages(*redis_, keys_.Stream())) {
      if (e.type() != "wahana.registry.v1.HouseholdChanged") continue;
      HouseholdChanged payload;
      EXPECT_TRUE(e.payload().UnpackTo(&payload));
      out.push_back(payload);
    }
    return out;
  }

  // Every key with its content (DUMP), for before/after comparisons.
  std::map<std::string, std::string> Snapshot() {
    std::map<std::string, std::string> out;
    for (const std::string& key : wahana::testing::Keys(*redis_, "*")) {
      auto dump = redis_->Command({"DUMP", key});
      EXPECT_TRUE(dump.ok()) << dump.status();
      if (dump.ok()) out[key] = dump->str;
    }
    return out;
  }

  wahana::testing::RedisServer server_;
  std::unique_ptr<RedisClient> redis_;
  KnownRegions regions_;
  RegionRules rules_;
  const RecordKeys keys_ = HouseholdKeys(kRegion);
  std::shared_ptr<IndexedProtoRecordStore<Household>> store_;
  std::shared_ptr<RedisBeneficiaryDirectory> beneficiaries_;
  HouseholdLogic logic_;
};

TEST_F(HouseholdRedisTest, BeneficiariesAreReadFromTheirRecords) {
  const std::string live = AddBeneficiary("Siti Aminah");
  const std::string gone = AddBeneficiary("Rusdi", true, "01JD0000000000000000000009");
  auto found = beneficiaries_->Find(live);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_FALSE((*found)->archived);
  found = beneficiaries_->Find(gone);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_TRUE((*found)->archived);
  EXPECT_EQ((*found)->household_id, "01JD0000000000000000000009");
  found = beneficiaries_->Find("01JD0000000000000000000000");
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_FALSE(found->has_value());
}

TEST_F(HouseholdRedisTest, CreateKkChangeAndArchiveLeaveRecordClaimsAndMessages) {
  const std::string ayah = AddBeneficiary("Abdul Rahman");
  const std::string anak = AddBeneficiary("Nur'aini");
  auto created = logic_.CreateHousehold(TestPrincipal(Role::kAdmin), Family(kKk, {ayah, anak}));
  ASSERT_TRUE(created.ok()) << created.status();
  const std::string id = created->id();

  EXPECT_EQ(Stored(id).SerializeAsString(), created->SerializeAsString());
  EXPECT_EQ(IndexMembers("live"), std::vector<std::string>{absl::StrCat(kVillage, ".|", id)});
  EXPECT_EQ(IndexMembers("unique:kkNumber"), std::vector<std::string>{absl::StrCat(kKk, "|", id)});
  std::vector<std::string> claims = {absl::StrCat(ayah, "|", id), absl::StrCat(anak, "|", id)};
  std::sort(claims.begin(), claims.end());
  EXPECT_EQ(IndexMembers("unique:member"), claims);
  ASSERT_EQ(Messages().size(), 1u);
  EXPECT_EQ(Messages()[0].action(), "created");
  EXPECT_EQ(Messages()[0].household().kk_number(), kKk);

  UpdateHouseholdRequest change;
  change.mutable_household()->set_id(id);
  change.mutable_household()->set_etag("1");
  change.mutable_household()->set_kk_number(kNewKk);
  change.mutable_household()->set_kk_change_reason("pecah KK");
  change.mutable_update_mask()->add_paths("kkNumber");
  auto changed = logic_.UpdateHousehold(TestPrincipal(Role::kAdmin), change);
  ASSERT_TRUE(changed.ok()) << changed.status();
  Household stored = Stored(id);
  ASSERT_EQ(stored.kk_history_size(), 2);
  EXPECT_EQ(stored.kk_history(0).kk_number(), kKk);
  EXPECT_EQ(stored.kk_history(0).reason(), "pecah KK");
  EXPECT_FALSE(stored.kk_history(0).valid_to().empty());
  EXPECT_EQ(stored.kk_history(1).kk_number(), kNewKk);
  EXPECT_TRUE(stored.kk_change_reason().empty());
  EXPECT_EQ(IndexMembers("unique:kkNumber"),
            std::vector<std::string>{absl::StrCat(kNewKk, "|", id)})
      << "the old KK released, the new one claimed";
  ASSERT_EQ(Messages().size(), 2u);
  EXPECT_EQ(Messages()[1].reason(), "pecah KK");

  ArchiveRequest archive;
  archive.set_id(id);
  archive.set_etag("2");
  ASSERT_TRUE(logic_.ArchiveHousehold(TestPrincipal(Role::kAdmin), archive).ok());
  EXPECT_TRUE(IndexMembers("live").empty());
  EXPECT_EQ(IndexMembers("archived"), std::vector<std::string>{absl::StrCat(kVillage, ".|", id)});
  EXPECT_TRUE(IndexMembers("unique:kkNumber").empty());
  EXPECT_TRUE(IndexMembers("unique:member").empty());
  ASSERT_EQ(Messages().size(), 3u);
  EXPECT_EQ(Messages()[2].action(), "archived");

  // Members of an archived household may join another.
  auto next = logic_.CreateHousehold(TestPrincipal(Role::kAdmin), Family(kNewKk, {anak}));
  EXPECT_TRUE(next.ok()) << next.status();
}

TEST_F(HouseholdRedisTest, ConcurrentHouseholdsClaimABeneficiaryOnce) {
  const std::string child = AddBeneficiary("Anak Yatim");
  constexpr int kThreads = 8;
  std::vector<std::string> others;
  for (int t = 0; t < kThreads; ++t) others.push_back(AddBeneficiary(absl::StrCat("Wali ", t)));
  std::atomic<int> created{0}, refused{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Each with its own KK and head: only the shared child conflicts.
      auto result = logic_.CreateHousehold(
          TestPrincipal(Role::kAdmin),
          Family(absl::StrCat("16060101012000", 10 + t), {others[t], child}));
      if (result.ok()) {
        ++created;
      } else if (result.status().code() == absl::StatusCode::kFailedPrecondition) {
        ++refused;
        EXPECT_EQ(std::string(result.status().message()).rfind("members[1].beneficiaryId: ", 0), 0u)
            << result.status();
      } else {
        ++other;
        ADD_FAILURE() << result.status();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(refused.load(), kThreads - 1);
  EXPECT_EQ(IndexMembers("live").size(), 1u);
  EXPECT_EQ(IndexMembers("unique:member").size(), 2u);
  EXPECT_EQ(Messages().size(), 1u);
}

// A KK number is unique in the whole deployment; a household holding it outside the caller's
// scope is not named (common/resource/taken_value.h), and nothing is written.
TEST_F(HouseholdRedisTest, AKkNumberHeldOutsideTheScopeWritesNothingAndNamesNoHolder) {
  auto sekayu = logic_.CreateHousehold(TestPrincipal(Role::kAdmin), Family(kKk, {}));
  ASSERT_TRUE(sekayu.ok()) << sekayu.status();
  const Principal lais_worker = TestPrincipal(Role::kFieldWorker, "16.06.02");
  CreateHouseholdRequest own = Family(kNewKk, {});
  own.mutable_household()->set_village_code("16.06.02.2001");
  auto lais = logic_.CreateHousehold(lais_worker, own);
  ASSERT_TRUE(lais.ok()) << lais.status();
  const auto before = Snapshot();
  constexpr char kOutside[] =
      "kkNumber: a household with this KK number is already registered outside your region";

  CreateHouseholdRequest taken = Family(kKk, {});
  taken.mutable_household()->set_village_code("16.06.02.2001");
  auto created = logic_.CreateHousehold(lais_worker, taken);
  EXPECT_EQ(created.status().code(), absl::StatusCode::kAlreadyExists) << created.status();
  EXPECT_EQ(created.status().message(), kOutside);
  UpdateHouseholdRequest change;
  change.mutable_household()->set_id(lais->id());
  change.mutable_household()->set_etag(lais->etag());
  change.mutable_household()->set_kk_number(kKk);
  change.mutable_household()->set_kk_change_reason("pindah");
  change.mutable_update_mask()->add_paths("kkNumber");
  auto updated = logic_.UpdateHousehold(lais_worker, change);
  EXPECT_EQ(updated.status().code(), absl::StatusCode::kAlreadyExists) << updated.status();
  EXPECT_EQ(updated.status().message(), kOutside);
  for (const absl::Status& status : {created.status(), updated.status()}) {
    EXPECT_EQ(status.message().find(sekayu->id()), absl::string_view::npos);
    EXPECT_EQ(status.message().find("16.06.01"), absl::string_view::npos);
  }
  EXPECT_EQ(Snapshot(), before) << "nothing stored changes";

  // The deployment's operator may read the holder and is told which household it is.
  auto named = logic_.UpdateHousehold(TestPrincipal(Role::kOperator, "16.06"), change);
  EXPECT_EQ(named.status().message(), "kkNumber: already used by household " + sekayu->id());
  EXPECT_EQ(Snapshot(), before);
}

}  // namespace
}  // namespace wahana::registry
