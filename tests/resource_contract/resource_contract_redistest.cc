// The contract of every resource (common/resource/resource_flow.h), one typed suite over the
// registry's five and the event service's events: each case runs through the resource's own logic
// (its requests, its spec, its store) against a real Redis, and every refusal is checked to leave
// Redis byte for byte as it was. A new resource joins by adding its Traits to ContractResources.

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "common/region/region_directory.h"
#include "common/storage/indexed_proto_record_store.h"
#include "event/event_logic.h"
#include "event/event_store.h"
#include "google/protobuf/util/time_util.h"
#include "registry/beneficiaries/beneficiary_indexing.h"
#include "registry/beneficiaries/beneficiary_logic.h"
#include "registry/beneficiaries/redis_beneficiary_store.h"
#include "registry/households/beneficiary_directory.h"
#include "registry/households/household_indexing.h"
#include "registry/households/household_logic.h"
#include "registry/institutions/institution_logic.h"
#include "registry/institutions/institution_store.h"
#include "registry/networks/network_logic.h"
#include "registry/networks/network_store.h"
#include "registry/regions/redis_region_store.h"
#include "registry/regions/region_rules.h"
#include "registry/workers/worker_indexing.h"
#include "registry/workers/worker_logic.h"
#include "registry_institutions/registry_test_regions.h"
#include "support/fake_registry_records.h"
#include "support/redis_inspection.h"
#include "support/redis_server.h"
#include "support/test_principals.h"

namespace wahana::testing {
namespace {

using namespace wahana::registry;      // NOLINT: the logic classes under test
using namespace wahana::registry::v1;  // NOLINT: their records and requests

// The registry's resources all announce their changes on its one stream.
struct RegistryStream {
  static std::string Stream() { return "registry:{16.06}:stream"; }
};
constexpr char kOtherSubdistrict[] = "16.06.02";

// What the suite needs of Redis and the regions, shared by every resource's logic.
struct Deps {
  RedisClient& redis;
  std::shared_ptr<RegionRules> rules;
};

// One resource as the contract drives it: its logic, a valid record, a client field to change,
// and its five calls in the record's own request types.
struct InstitutionTraits : RegistryStream {
  using Record = Institution;
  using Logic = InstitutionLogic;
  static std::unique_ptr<Logic> Make(const Deps& deps) {
    return std::make_unique<Logic>(kTestRegion, MakeRedisInstitutionStore(deps.redis, kTestRegion),
                                   *deps.rules);
  }
  static Record Valid(int n, const std::string& village) {
    Record r;
    r.set_kind(Institution::MAJELIS_TAKLIM);
    r.set_name(absl::StrCat("Majelis Taklim ", n));
    r.set_village_code(village);
    r.set_member_count(30);
    return r;
  }
  static void Change(Record& r) { r.set_name(r.name() + " Baru"); }
  static auto Create(Logic& l, const Principal& c, const Record& r, const std::string& rid) {
    CreateInstitutionRequest q;
    *q.mutable_institution() = r;
    q.set_request_id(rid);
    return l.CreateInstitution(c, q);
  }
  static auto Get(Logic& l, const Principal& c, const std::string& id) {
    GetInstitutionRequest q;
    q.set_id(id);
    return l.GetInstitution(c, q);
  }
  static auto Update(Logic& l, const Principal& c, const Record& patch,
                     const google::protobuf::FieldMask& mask) {
    UpdateInstitutionRequest q;
    *q.mutable_institution() = patch;
    *q.mutable_update_mask() = mask;
    return l.UpdateInstitution(c, q);
  }
  static auto Archive(Logic& l, const Principal& c, const ArchiveRequest& q) {
    return l.ArchiveInstitution(c, q);
  }
};

struct NetworkTraits : RegistryStream {
  using Record = Network;
  using Logic = NetworkLogic;
  static std::unique_ptr<Logic> Make(const Deps& deps) {
    return std::make_unique<Logic>(kTestRegion, MakeRedisNetworkStore(deps.redis, kTestRegion),
                                   MakeRedisInstitutionStore(deps.redis, kTestRegion), *deps.rules);
  }
  static Record Valid(int n, const std::string& village) {
    Record r;
    r.set_kind(Network::RW);
    r.set_rw(absl::StrFormat("%03d", n + 1));
    r.set_name(absl::StrCat("WKSBM RW ", n + 1));
    r.set_village_code(village);
    return r;
  }
  static void Change(Record& r) { r.set_name(r.name() + " Baru"); }
  static auto Create(Logic& l, const Principal& c, const Record& r, const std::string& rid) {
    CreateNetworkRequest q;
    *q.mutable_network() = r;
    q.set_request_id(rid);
    return l.CreateNetwork(c, q);
  }
  static auto Get(Logic& l, const Principal& c, const std::string& id) {
    GetNetworkRequest q;
    q.set_id(id);
    return l.GetNetwork(c, q);
  }
  static auto Update(Logic& l, const Principal& c, const Record& patch,
                     const google::protobuf::FieldMask& mask) {
    UpdateNetworkRequest q;
    *q.mutable_network() = patch;
    *q.mutable_update_mask() = mask;
    return l.UpdateNetwork(c, q);
  }
  static auto Archive(Logic& l, const Principal& c, const ArchiveRequest& q) {
    return l.ArchiveNetwork(c, q);
  }
};

// A valid NIK of a man born on a day of January 1980, serial n.
std::string NikOf(int n) { return absl::StrFormat("160601%02d0180%04d", 1 + n % 28, n + 1); }

struct WorkerTraits : RegistryStream {
  using Record = Worker;
  using Logic = WorkerLogic;
  static std::unique_ptr<Logic> Make(const Deps& deps) {
    return std::make_unique<Logic>(
        kTestRegion,
        std::make_shared<IndexedProtoRecordStore<Worker>>(deps.redis, WorkerKeys(kTestRegion),
                                                          WorkerIndexing(kTestRegion)),
        *deps.rules);
  }
  static Record Valid(int n, const std::string& village) {
    Record r;
    r.set_kind(Worker::PSM);
    r.set_nik(NikOf(n));
    r.set_full_name(absl::StrCat("Pekerja ", n));
    r.set_village_code(village);
    return r;
  }
  static void Change(Record& r) { r.set_full_name(r.full_name() + " Baru"); }
  static auto Create(Logic& l, const Principal& c, const Record& r, const std::string& rid) {
    CreateWorkerRequest q;
    *q.mutable_worker() = r;
    q.set_request_id(rid);
    return l.CreateWorker(c, q);
  }
  static auto Get(Logic& l, const Principal& c, const std::string& id) {
    GetWorkerRequest q;
    q.set_id(id);
    return l.GetWorker(c, q);
  }
  static auto Update(Logic& l, const Principal& c, const Record& patch,
                     const google::protobuf::FieldMask& mask) {
    UpdateWorkerRequest q;
    *q.mutable_worker() = patch;
    *q.mutable_update_mask() = mask;
    return l.UpdateWorker(c, q);
  }
  static auto Archive(Logic& l, const Principal& c, const ArchiveRequest& q) {
    return l.ArchiveWorker(c, q);
  }
};

struct BeneficiaryTraits : RegistryStream {
  using Record = Beneficiary;
  using Logic = BeneficiaryLogic;
  static std::unique_ptr<Logic> Make(const Deps& deps) {
    return std::make_unique<Logic>(
        kTestRegion, std::make_shared<RedisBeneficiaryStore>(deps.redis, kTestRegion), deps.rules);
  }
  static Record Valid(int n, const std::string& village) {
    Record r;
    r.set_nik(NikOf(n));
    r.set_full_name(absl::StrCat("Warga ", n));
    r.set_sex(Beneficiary::MALE);
    r.set_birth_date(absl::StrFormat("1980-01-%02d", 1 + n % 28));
    r.set_village_code(village);
    r.add_ppks_categories(wahana::common::v1::FAKIR_MISKIN);
    return r;
  }
  static void Change(Record& r) { r.set_full_name(r.full_name() + " Baru"); }
  static auto Create(Logic& l, const Principal& c, const Record& r, const std::string& rid) {
    CreateBeneficiaryRequest q;
    *q.mutable_beneficiary() = r;
    q.set_request_id(rid);
    return l.CreateBeneficiary(c, q);
  }
  static auto Get(Logic& l, const Principal& c, const std::string& id) {
    GetBeneficiaryRequest q;
    q.set_id(id);
    return l.GetBeneficiary(c, q);
  }
  static auto Update(Logic& l, const Principal& c, const Record& patch,
                     const google::protobuf::FieldMask& mask) {
    UpdateBeneficiaryRequest q;
    *q.mutable_beneficiary() = patch;
    *q.mutable_update_mask() = mask;
    return l.UpdateBeneficiary(c, q);
  }
  static auto Archive(Logic& l, const Principal& c, const ArchiveRequest& q) {
    return l.ArchiveBeneficiary(c, q);
  }
};

struct HouseholdTraits : RegistryStream {
  using Record = Household;
  using Logic = HouseholdLogic;
  static std::unique_ptr<Logic> Make(const Deps& deps) {
    return std::make_unique<Logic>(
        kTestRegion,
        std::make_shared<IndexedProtoRecordStore<Household>>(deps.redis, HouseholdKeys(kTestRegion),
                                                             HouseholdIndexing()),
        std::make_shared<RedisBeneficiaryDirectory>(deps.redis, kTestRegion), *deps.rules);
  }
  static Record Valid(int n, const std::string& village) {
    Record r;
    r.set_kk_number(absl::StrFormat("160601010120%04d", n + 1));
    r.set_village_code(village);
    r.set_address(absl::StrCat("Jalan Merdeka ", n));
    return r;
  }
  static void Change(Record& r) { r.set_address(r.address() + " Gang 2"); }
  static auto Create(Logic& l, const Principal& c, const Record& r, const std::string& rid) {
    CreateHouseholdRequest q;
    *q.mutable_household() = r;
    q.set_request_id(rid);
    return l.CreateHousehold(c, q);
  }
  static auto Get(Logic& l, const Principal& c, const std::string& id) {
    GetHouseholdRequest q;
    q.set_id(id);
    return l.GetHousehold(c, q);
  }
  static auto Update(Logic& l, const Principal& c, const Record& patch,
                     const google::protobuf::FieldMask& mask) {
    UpdateHouseholdRequest q;
    *q.mutable_household() = patch;
    *q.mutable_update_mask() = mask;
    return l.UpdateHousehold(c, q);
  }
  static auto Archive(Logic& l, const Principal& c, const ArchiveRequest& q) {
    return l.ArchiveHousehold(c, q);
  }
};

// Events (the event service): the same flow, their own store, stream and registry reads.
struct EventTraits {
  using Record = wahana::event::v1::Event;
  using Logic = EventLogic;
  static std::string Stream() { return EventKeys(kTestRegion).Stream(); }
  static std::unique_ptr<Logic> Make(const Deps& deps) {
    auto regions = std::make_shared<StaticRegionDirectory>();
    for (const char* code :
         {"16", "16.06", "16.06.01", kSukarami, kLumpatan, "16.06.02", kLaisDesa}) {
      regions->Add(code);
    }
    return std::make_unique<Logic>(kTestRegion, MakeRedisEventStore(deps.redis, kTestRegion),
                                   std::move(regions), std::make_shared<FakeRegistryRecords>());
  }
  static Record Valid(int n, const std::string& village) {
    Record r;
    r.set_kind(wahana::event::v1::SOSIALISASI);
    r.set_title(absl::StrCat("Sosialisasi WKSBM ", n));
    r.set_region_code(village);
    *r.mutable_start_time() = google::protobuf::util::TimeUtil::SecondsToTimestamp(1780000000 + n);
    return r;
  }
  static void Change(Record& r) { r.set_title(r.title() + " Baru"); }
  static auto Create(Logic& l, const Principal& c, const Record& r, const std::string& rid) {
    wahana::event::v1::CreateEventRequest q;
    *q.mutable_event() = r;
    q.set_request_id(rid);
    return l.CreateEvent(c, q);
  }
  static auto Get(Logic& l, const Principal& c, const std::string& id) {
    wahana::event::v1::GetEventRequest q;
    q.set_id(id);
    return l.GetEvent(c, q);
  }
  static auto Update(Logic& l, const Principal& c, const Record& patch,
                     const google::protobuf::FieldMask& mask) {
    wahana::event::v1::UpdateEventRequest q;
    *q.mutable_event() = patch;
    *q.mutable_update_mask() = mask;
    return l.UpdateEvent(c, q);
  }
  static auto Archive(Logic& l, const Principal& c, const ArchiveRequest& archive) {
    wahana::event::v1::ArchiveEventRequest q;
    q.set_id(archive.id());
    q.set_etag(archive.etag());
    q.set_reason(archive.reason());
    return l.ArchiveEvent(c, q);
  }
};

template <typename Traits>
class ResourceContractTest : public ::testing::Test {
 protected:
  using Record = typename Traits::Record;

  ResourceContractTest()
      : redis_(server_.Client()),
        regions_(*redis_),
        rules_(std::make_shared<RegionRules>(regions_, kTestRegion)),
        logic_(Traits::Make(Deps{*redis_, rules_})) {}

  void SetUp() override { ASSERT_TRUE(LoadTestRegions(regions_).ok()); }

  Record MustCreate(int n, const std::string& village = kSukarami,
                    const std::string& request_id = "") {
    auto created = Traits::Create(*logic_, admin_, Traits::Valid(n, village), request_id);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.value_or(Record());
  }

  ArchiveRequest ArchiveOf(const Record& r) {
    ArchiveRequest q;
    q.set_id(r.id());
    q.set_etag(r.etag());
    q.set_reason("pindah");
    return q;
  }

  // Runs `call`, which must be refused with `code`, and checks that Redis is unchanged.
  absl::Status Refused(absl::StatusCode code, const std::function<absl::Status()>& call) {
    const std::map<std::string, std::string> before = RedisSnapshot(*redis_);
    absl::Status status = call();
    EXPECT_EQ(status.code(), code) << status;
    EXPECT_EQ(RedisSnapshot(*redis_), before) << "a refused call wrote to Redis: " << status;
    return status;
  }

  RedisServer server_;
  std::unique_ptr<RedisClient> redis_;
  RedisRegionStore regions_;
  std::shared_ptr<RegionRules> rules_;
  std::unique_ptr<typename Traits::Logic> logic_;
  const Principal admin_ = TestPrincipal(Role::kAdmin);
  // An operator of another subdistrict: every record of kSukarami lies outside its scope.
  const Principal outsider_ = TestPrincipal(Role::kOperator, kOtherSubdistrict);
};

using ContractResources = ::testing::Types<InstitutionTraits, NetworkTraits, WorkerTraits,
                                           BeneficiaryTraits, HouseholdTraits, EventTraits>;
TYPED_TEST_SUITE(ResourceContractTest, ContractResources);

TYPED_TEST(ResourceContractTest, RetriedCreateReturnsTheFirstRecordAndWritesNothing) {
  using Record = typename TypeParam::Record;
  Record first = this->MustCreate(1, kSukarami, "row-1");
  ASSERT_FALSE(first.id().empty());
  const int64_t messages = StreamLength(*this->redis_, TypeParam::Stream());
  const auto before = RedisSnapshot(*this->redis_);
  // Even with another body: the first answer stands.
  auto again =
      TypeParam::Create(*this->logic_, this->admin_, TypeParam::Valid(2, kSukarami), "row-1");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->id(), first.id());
  EXPECT_EQ(again->etag(), first.etag());
  EXPECT_EQ(RedisSnapshot(*this->redis_), before);
  EXPECT_EQ(StreamLength(*this->redis_, TypeParam::Stream()), messages);
}

TYPED_TEST(ResourceContractTest, ARetryIsAnsweredEvenWhenItsChecksNowRefuseIt) {
  using Record = typename TypeParam::Record;
  Record first = this->MustCreate(1, kSukarami, "row-1");
  const auto before = RedisSnapshot(*this->redis_);
  // A body the checks refuse (a village that does not exist): the retry is still the first
  // create's, answered with its record, and nothing is written.
  auto again =
      TypeParam::Create(*this->logic_, this->admin_, TypeParam::Valid(2, "16.06.01.2999"), "row-1");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->id(), first.id());
  EXPECT_EQ(RedisSnapshot(*this->redis_), before);
  // The same body under a new requestId is refused: the checks did run.
  EXPECT_FALSE(
      TypeParam::Create(*this->logic_, this->admin_, TypeParam::Valid(2, "16.06.01.2999"), "row-2")
          .ok());
}

TYPED_TEST(ResourceContractTest, ARequestIdIsItsCallersOwn) {
  using Record = typename TypeParam::Record;
  Record first = this->MustCreate(1, kSukarami, "shared-request");
  // Another principal reusing the requestId in its own subdistrict makes its own record: it is
  // neither answered with the first caller's record nor told that one exists.
  auto other = TypeParam::Create(*this->logic_, this->outsider_, TypeParam::Valid(2, kLaisDesa),
                                 "shared-request");
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_NE(other->id(), first.id());
  // Its own retry is answered with its own record.
  auto retried = TypeParam::Create(*this->logic_, this->outsider_, TypeParam::Valid(2, kLaisDesa),
                                   "shared-request");
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->id(), other->id());
}

TYPED_TEST(ResourceContractTest, ARetryAfterTheScopeNarrowedRevealsNothing) {
  using Record = typename TypeParam::Record;
  Record first = this->MustCreate(1, kSukarami, "shared-request");
  // The same subject, its scope narrowed since to another subdistrict, retries in it.
  const Principal narrowed =
      TestPrincipal(Role::kOperator, kOtherSubdistrict, this->admin_.subject);
  absl::Status status = this->Refused(absl::StatusCode::kAlreadyExists, [&] {
    return TypeParam::Create(*this->logic_, narrowed, TypeParam::Valid(2, kLaisDesa),
                             "shared-request")
        .status();
  });
  EXPECT_TRUE(absl::StartsWith(status.message(), "requestId: ")) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), "outside your region")) << status;
  EXPECT_FALSE(absl::StrContains(status.message(), first.id())) << status;
  EXPECT_FALSE(absl::StrContains(status.message(), "16.06.01")) << status;
}

TYPED_TEST(ResourceContractTest, ARecordOutsideTheScopeReadsAsAnUnknownId) {
  using Record = typename TypeParam::Record;
  Record record = this->MustCreate(1);
  const std::string unknown = TimeOrderedIdGenerator::Default().Next();
  absl::Status outside = TypeParam::Get(*this->logic_, this->outsider_, record.id()).status();
  absl::Status absent = TypeParam::Get(*this->logic_, this->outsider_, unknown).status();
  EXPECT_EQ(outside.code(), absl::StatusCode::kNotFound) << outside;
  EXPECT_EQ(absent.code(), absl::StatusCode::kNotFound) << absent;
  EXPECT_EQ(absl::StrReplaceAll(outside.message(), {{record.id(), "<id>"}}),
            absl::StrReplaceAll(absent.message(), {{unknown, "<id>"}}));

  // A change of it answers the same, and writes nothing.
  Record patch = record;
  TypeParam::Change(patch);
  absl::Status changed = this->Refused(absl::StatusCode::kNotFound, [&] {
    return TypeParam::Update(*this->logic_, this->outsider_, patch, {}).status();
  });
  EXPECT_EQ(changed.message(), outside.message());
  absl::Status archived = this->Refused(absl::StatusCode::kNotFound, [&] {
    return TypeParam::Archive(*this->logic_, this->outsider_, this->ArchiveOf(record)).status();
  });
  EXPECT_EQ(archived.message(), outside.message());
}

TYPED_TEST(ResourceContractTest, AStaleEtagIsAConflictAndWritesNothing) {
  using Record = typename TypeParam::Record;
  Record record = this->MustCreate(1);
  Record patch = record;
  TypeParam::Change(patch);
  auto updated = TypeParam::Update(*this->logic_, this->admin_, patch, {});
  ASSERT_TRUE(updated.ok()) << updated.status();
  // `patch` still carries the first etag.
  TypeParam::Change(patch);
  absl::Status status = this->Refused(absl::StatusCode::kAborted, [&] {
    return TypeParam::Update(*this->logic_, this->admin_, patch, {}).status();
  });
  EXPECT_TRUE(absl::StartsWith(status.message(), "etag: stale")) << status;
  (void)this->Refused(absl::StatusCode::kAborted, [&] {
    return TypeParam::Archive(*this->logic_, this->admin_, this->ArchiveOf(record)).status();
  });
}

TYPED_TEST(ResourceContractTest, AMissingEtagIsRefusedNamingEtag) {
  using Record = typename TypeParam::Record;
  Record record = this->MustCreate(1);
  Record patch = record;
  patch.clear_etag();
  TypeParam::Change(patch);
  absl::Status update = this->Refused(absl::StatusCode::kInvalidArgument, [&] {
    return TypeParam::Update(*this->logic_, this->admin_, patch, {}).status();
  });
  EXPECT_TRUE(absl::StartsWith(update.message(), "etag: required")) << update;
  ArchiveRequest archive = this->ArchiveOf(record);
  archive.clear_etag();
  absl::Status status = this->Refused(absl::StatusCode::kInvalidArgument, [&] {
    return TypeParam::Archive(*this->logic_, this->admin_, archive).status();
  });
  EXPECT_TRUE(absl::StartsWith(status.message(), "etag: required")) << status;
}

TYPED_TEST(ResourceContractTest, AServerSetFieldInTheBodyOrTheMaskIsRefused) {
  using Record = typename TypeParam::Record;
  Record record = this->MustCreate(1);
  Record patch = record;
  *patch.mutable_create_time() = google::protobuf::util::TimeUtil::SecondsToTimestamp(86400);
  absl::Status body = this->Refused(absl::StatusCode::kInvalidArgument, [&] {
    return TypeParam::Update(*this->logic_, this->admin_, patch, {}).status();
  });
  EXPECT_TRUE(absl::StartsWith(body.message(), "createTime: ")) << body;

  google::protobuf::FieldMask mask;
  mask.add_paths("etag");
  absl::Status masked = this->Refused(absl::StatusCode::kInvalidArgument, [&] {
    return TypeParam::Update(*this->logic_, this->admin_, record, mask).status();
  });
  EXPECT_TRUE(absl::StartsWith(masked.message(), "updateMask: \"etag\"")) << masked;
}

TYPED_TEST(ResourceContractTest, ArchivingTwiceIsAFailedPrecondition) {
  using Record = typename TypeParam::Record;
  Record record = this->MustCreate(1);
  auto archived = TypeParam::Archive(*this->logic_, this->admin_, this->ArchiveOf(record));
  ASSERT_TRUE(archived.ok()) << archived.status();
  EXPECT_TRUE(archived->archived());
  absl::Status status = this->Refused(absl::StatusCode::kFailedPrecondition, [&] {
    return TypeParam::Archive(*this->logic_, this->admin_, this->ArchiveOf(*archived)).status();
  });
  EXPECT_TRUE(absl::StrContains(status.message(), "already archived")) << status;
}

TYPED_TEST(ResourceContractTest, EveryChangeIsExactlyOneMessage) {
  using Record = typename TypeParam::Record;
  const int64_t start = StreamLength(*this->redis_, TypeParam::Stream());
  Record record = this->MustCreate(1);
  EXPECT_EQ(StreamLength(*this->redis_, TypeParam::Stream()), start + 1);

  Record patch = record;
  TypeParam::Change(patch);
  auto updated = TypeParam::Update(*this->logic_, this->admin_, patch, {});
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->etag(), "2");
  EXPECT_EQ(StreamLength(*this->redis_, TypeParam::Stream()), start + 2);

  // The same again changes nothing: nothing is written.
  const auto before = RedisSnapshot(*this->redis_);
  Record same = *updated;
  auto unchanged = TypeParam::Update(*this->logic_, this->admin_, same, {});
  ASSERT_TRUE(unchanged.ok()) << unchanged.status();
  EXPECT_EQ(unchanged->etag(), "2");
  EXPECT_EQ(RedisSnapshot(*this->redis_), before);

  auto archived = TypeParam::Archive(*this->logic_, this->admin_, this->ArchiveOf(*updated));
  ASSERT_TRUE(archived.ok()) << archived.status();
  const auto messages = StreamMessages(*this->redis_, TypeParam::Stream());
  ASSERT_EQ(messages.size(), static_cast<size_t>(start + 3));
  EXPECT_EQ(messages.back().aggregate_id(), record.id());
  EXPECT_EQ(messages.back().aggregate_version(), 3);
}

}  // namespace
}  // namespace wahana::testing
