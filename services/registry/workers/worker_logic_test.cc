#include "registry/workers/worker_logic.h"

#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "support/in_memory_indexed_record_store.h"
#include "support/test_principals.h"

namespace wahana::registry {
namespace {

using google::protobuf::util::TimeUtil;
using wahana::common::v1::Envelope;
using wahana::registry::v1::ArchiveRequest;
using wahana::registry::v1::CreateWorkerRequest;
using wahana::registry::v1::GetWorkerRequest;
using wahana::registry::v1::ListWorkersRequest;
using wahana::registry::v1::ListWorkersResponse;
using wahana::registry::v1::Region;
using wahana::registry::v1::UpdateWorkerRequest;
using wahana::registry::v1::Worker;
using wahana::registry::v1::WorkerChanged;

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

using wahana::testing::TestPrincipal;

using FakeWorkerStore = wahana::testing::InMemoryIndexedRecordStore<Worker>;

constexpr char kNik[] = "1606011708790001";       // a man born 17.08.1979 in Sekayu
constexpr char kOtherNik[] = "1606025203850002";  // a woman born 12.03.1985

WorkerChanged PayloadOf(const Envelope& envelope) {
  WorkerChanged payload;
  EXPECT_TRUE(envelope.payload().UnpackTo(&payload)) << envelope.type();
  return payload;
}

class WorkerLogicTest : public ::testing::Test {
 protected:
  WorkerLogicTest()
      : rules_(regions_, "16.06"),
        store_(std::make_shared<FakeWorkerStore>("worker", WorkerIndexing("16.06"))),
        ids_([this] { return absl::ToUnixMillis(now_); }),
        logic_(
            "16.06", store_, rules_, [this] { return now_; }, &ids_) {
    regions_.codes = {"16",       "16.06",         "16.06.01",      "16.06.02",
                      "16.06.03", "16.06.01.2001", "16.06.02.2001", "16.07",
                      "16.07.01"};
  }

  static CreateWorkerRequest Tksk(const std::string& nik, const std::string& subdistrict) {
    CreateWorkerRequest request;
    Worker* w = request.mutable_worker();
    w->set_kind(Worker::TKSK);
    w->set_nik(nik);
    w->set_full_name("Ahmad Syarifuddin");
    w->add_subdistrict_codes(subdistrict);
    return request;
  }

  Worker Create(const CreateWorkerRequest& request) {
    auto created = logic_.CreateWorker(caller_, request);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : Worker();
  }

  void ExpectInvalid(const CreateWorkerRequest& request, const std::string& message_start) {
    size_t published = store_->published.size();
    auto created = logic_.CreateWorker(caller_, request);
    EXPECT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument) << created.status();
    EXPECT_EQ(std::string(created.status().message()).rfind(message_start, 0), 0u)
        << created.status();
    EXPECT_EQ(store_->published.size(), published) << "nothing is written";
  }

  ListWorkersResponse List(ListWorkersRequest request) {
    auto listed = logic_.ListWorkers(caller_, request);
    EXPECT_TRUE(listed.ok()) << listed.status();
    return listed.ok() ? *listed : ListWorkersResponse();
  }

  static std::vector<std::string> Ids(const ListWorkersResponse& response) {
    std::vector<std::string> ids;
    for (const Worker& w : response.workers()) ids.push_back(w.id());
    return ids;
  }

  absl::Time now_ = absl::FromCivil(absl::CivilSecond(2025, 11, 27, 9, 0, 0), absl::UTCTimeZone());
  FakeRegionStore regions_;
  RegionRules rules_;
  std::shared_ptr<FakeWorkerStore> store_;
  TimeOrderedIdGenerator ids_;
  WorkerLogic logic_;
  // Who the tests call the logic as: the deployment's ADMIN unless a test says otherwise.
  Principal caller_ = TestPrincipal(Role::kAdmin);
};

TEST_F(WorkerLogicTest, CreateSetsTheServerFieldsAndDefaults) {
  CreateWorkerRequest request = Tksk(kNik, "16.06.01");
  Worker* in = request.mutable_worker();
  in->set_id("01AAAAAAAAAAAAAAAAAAAAAAAA");
  in->set_etag("7");
  in->set_archived(true);
  in->add_review_flags()->set_code("FORGED");
  in->set_village_code("16.06.01.2001");
  in->mutable_contact()->set_phone("+62 812 0000 0001");

  Worker w = Create(request);
  EXPECT_EQ(w.id().size(), 26u);
  EXPECT_NE(w.id(), "01AAAAAAAAAAAAAAAAAAAAAAAA");
  EXPECT_EQ(w.etag(), "1");
  EXPECT_FALSE(w.archived());
  EXPECT_TRUE(w.review_flags().empty());
  EXPECT_TRUE(w.has_active());
  EXPECT_TRUE(w.active()) << "a new worker is active unless it says otherwise";
  EXPECT_EQ(w.caseload_cap(), WorkerLogic::kDefaultCaseloadCap);
  EXPECT_EQ(w.nik(), kNik);
  EXPECT_EQ(w.contact().phone(), "+62 812 0000 0001");
  EXPECT_EQ(TimeUtil::TimestampToNanoseconds(w.create_time()), absl::ToUnixNanos(now_));
  EXPECT_EQ(TimeUtil::TimestampToNanoseconds(w.update_time()), absl::ToUnixNanos(now_))
      << "a new record's update_time is its create_time";

  ASSERT_EQ(store_->published.size(), 1u);
  const Envelope& message = store_->published[0];
  EXPECT_EQ(message.type(), "wahana.registry.v1.WorkerChanged");
  EXPECT_EQ(message.aggregate_id(), w.id());
  EXPECT_EQ(message.aggregate_version(), 1);
  EXPECT_EQ(message.region_code(), "16.06.01.2001");
  WorkerChanged payload = PayloadOf(message);
  EXPECT_EQ(payload.action(), "created");
  EXPECT_EQ(payload.worker().nik(), kNik);
  EXPECT_EQ(payload.worker().id(), w.id());
}

TEST_F(WorkerLogicTest, ExplicitInactiveAndCapAreKept) {
  CreateWorkerRequest request;
  Worker* in = request.mutable_worker();
  in->set_kind(Worker::PENDAMPING_SOSIAL);
  in->set_specialty(Worker::DISABILITY);
  in->set_nik(kOtherNik);
  in->set_full_name("Siti Nur'aini");
  in->set_active(false);
  in->set_caseload_cap(500);
  Worker w = Create(request);
  EXPECT_FALSE(w.active());
  EXPECT_EQ(w.caseload_cap(), 500);
  EXPECT_EQ(w.specialty(), Worker::DISABILITY);
  // No home base and no kecamatan: listed under the deployment's region.
  EXPECT_EQ(store_->published.back().region_code(), "16.06");
}

TEST_F(WorkerLogicTest, NamesAreStoredByteExact) {
  int serial = 1001;
  for (const std::string name :
       {"Siti Nur'aini", "Muhammad Ḥasan Ṣāliḥ", "عبد الله بن عمر", "Ni Luh Putu Ayu Déwi"}) {
    CreateWorkerRequest request = Tksk("160601170879" + std::to_string(serial++), "16.06.01");
    request.mutable_worker()->set_full_name(name);
    Worker w = Create(request);
    EXPECT_EQ(w.full_name(), name);
    auto read = logic_.GetWorker(caller_, [&] {
      GetWorkerRequest g;
      g.set_id(w.id());
      return g;
    }());
    ASSERT_TRUE(read.ok());
    EXPECT_EQ(read->full_name(), name);
  }
}

TEST_F(WorkerLogicTest, BadInputIsRefusedNamingTheField) {
  CreateWorkerRequest r = Tksk(kNik, "16.06.01");
  r.mutable_worker()->clear_kind();
  ExpectInvalid(r, "kind: required");

  r = Tksk(kNik, "16.06.01");
  r.mutable_worker()->set_kind(Worker::PENDAMPING_SOSIAL);
  ExpectInvalid(r, "specialty: required for PENDAMPING_SOSIAL");

  ExpectInvalid(Tksk("", "16.06.01"), "nik: required");
  ExpectInvalid(Tksk("160601170879000", "16.06.01"), "nik: must be 16 digits");
  ExpectInvalid(Tksk("1606013102790001", "16.06.01"), "nik: digits 7-12 (310279)");
  ExpectInvalid(Tksk("1606011708790000", "16.06.01"), "nik: serial");
  ExpectInvalid(Tksk("9906011708790001", "16.06.01"), "nik: province 99");

  r = Tksk(kNik, "16.06.01");
  r.mutable_worker()->set_full_name("  ");
  ExpectInvalid(r, "fullName: required");
  r.mutable_worker()->set_full_name(std::string(201, 'a'));
  ExpectInvalid(r, "fullName: at most 200 bytes");

  r = Tksk(kNik, "16.06.01");
  r.mutable_worker()->mutable_contact()->set_email(std::string(101, 'e'));
  ExpectInvalid(r, "contact.email: not an email address");
  r.mutable_worker()->mutable_contact()->set_email("");
  r.mutable_worker()->mutable_contact()->set_phone("0812-XXXX");
  ExpectInvalid(r, "contact.phone: only digits, spaces and + - ( )");

  r = Tksk(kNik, "16.06.01");
  r.mutable_worker()->set_caseload_cap(501);
  ExpectInvalid(r, "caseloadCap: 0 to 500");
  r.mutable_worker()->set_caseload_cap(-1);
  ExpectInvalid(r, "caseloadCap: 0 to 500");

  r = Tksk(kNik, "16.06.01");
  r.mutable_worker()->clear_subdistrict_codes();
  ExpectInvalid(r, "subdistrictCodes: a TKSK serves at least one kecamatan");

  r = Tksk(kNik, "16.06.01");
  r.mutable_worker()->add_subdistrict_codes("16.07.01");
  ExpectInvalid(r, "subdistrictCodes[1]: \"16.07.01\" is outside this deployment's region");
  r = Tksk(kNik, "16.06.01");
  r.mutable_worker()->add_subdistrict_codes("16.06.09");
  ExpectInvalid(r, "subdistrictCodes[1]: \"16.06.09\" is not a known region");
  r = Tksk(kNik, "16.06.01");
  r.mutable_worker()->add_subdistrict_codes("16.06.01.2001");
  ExpectInvalid(r, "subdistrictCodes[1]: \"16.06.01.2001\" is not a subdistrict code");
  r = Tksk(kNik, "16.06.01");
  r.mutable_worker()->add_subdistrict_codes("16.06.02");
  r.mutable_worker()->add_subdistrict_codes("16.06.01");
  ExpectInvalid(r, "subdistrictCodes[2]: repeats subdistrictCodes[0]");

  r = Tksk(kNik, "16.06.01");
  r.mutable_worker()->set_village_code("16.07.01");
  ExpectInvalid(r, "villageCode: \"16.07.01\" is outside");
  r.mutable_worker()->set_village_code("16.06.01.2999");
  ExpectInvalid(r, "villageCode: \"16.06.01.2999\" is not a known region");

  r = Tksk(kNik, "16.06.01");
  r.set_request_id(std::string(129, 'r'));
  ExpectInvalid(r, "requestId: at most 128 bytes");
  EXPECT_TRUE(store_->records.empty());
}

TEST_F(WorkerLogicTest, DuplicateNikNamesTheHolderUntilItIsArchived) {
  Worker first = Create(Tksk(kNik, "16.06.01"));
  CreateWorkerRequest again = Tksk(kNik, "16.06.02");
  auto duplicate = logic_.CreateWorker(caller_, again);
  EXPECT_EQ(duplicate.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(duplicate.status().message(), "nik: already used by worker " + first.id());

  ArchiveRequest archive;
  archive.set_id(first.id());
  archive.set_etag(first.etag());
  archive.set_reason("pindah tugas");
  ASSERT_TRUE(logic_.ArchiveWorker(caller_, archive).ok());
  // Hired again: a new record; the archived one stays as history.
  Worker second = Create(again);
  EXPECT_NE(second.id(), first.id());
}

TEST_F(WorkerLogicTest, ARepeatedRequestIdReturnsTheFirstWorker) {
  CreateWorkerRequest request = Tksk(kNik, "16.06.01");
  request.set_request_id("import-7");
  Worker first = Create(request);
  request.mutable_worker()->set_full_name("Someone Else");
  Worker again = Create(request);
  EXPECT_EQ(again.id(), first.id());
  EXPECT_EQ(again.full_name(), "Ahmad Syarifuddin");
  EXPECT_EQ(store_->records.size(), 1u);
  EXPECT_EQ(store_->published.size(), 1u);
}

TEST_F(WorkerLogicTest, FindingsAreFlaggedNotRefused) {
  // A NIK first registered in a kecamatan no longer in the list.
  Worker w = Create(Tksk("1606991708790001", "16.06.01"));
  ASSERT_EQ(w.review_flags_size(), 1);
  EXPECT_EQ(w.review_flags(0).code(), "NIK_SUBDISTRICT_UNKNOWN");
  EXPECT_EQ(w.review_flags(0).field(), "nik");

  // A second active TKSK for Sekayu.
  CreateWorkerRequest second = Tksk(kOtherNik, "16.06.02");
  second.mutable_worker()->add_subdistrict_codes("16.06.01");
  Worker other = Create(second);
  ASSERT_EQ(other.review_flags_size(), 1);
  EXPECT_EQ(other.review_flags(0).code(), "TKSK_SUBDISTRICT_SHARED");
  EXPECT_EQ(other.review_flags(0).field(), "subdistrictCodes[1]");
  EXPECT_EQ(other.review_flags(0).message(),
            "kecamatan 16.06.01 already has an active TKSK: worker " + w.id());
}

TEST_F(WorkerLogicTest, GetShowsTheNikWholeAndListsMaskIt) {
  Worker w = Create(Tksk(kNik, "16.06.01"));
  GetWorkerRequest get;
  get.set_id(w.id());
  auto read = logic_.GetWorker(caller_, get);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->nik(), kNik);

  ListWorkersResponse listed = List(ListWorkersRequest());
  ASSERT_EQ(listed.workers_size(), 1);
  EXPECT_EQ(listed.workers(0).nik(), "****************");
  EXPECT_EQ(listed.workers(0).full_name(), "Ahmad Syarifuddin");

  get.set_id("01JZZZZZZZZZZZZZZZZZZZZZZZ");
  EXPECT_EQ(logic_.GetWorker(caller_, get).status().code(), absl::StatusCode::kNotFound);
  get.set_id("nope");
  EXPECT_EQ(logic_.GetWorker(caller_, get).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(WorkerLogicTest, ListsFilterByRegionKindSubdistrictAndActivity) {
  Worker tksk1 = Create(Tksk(kNik, "16.06.01"));
  Worker tksk2 = Create(Tksk(kOtherNik, "16.06.02"));
  CreateWorkerRequest psm;
  psm.mutable_worker()->set_kind(Worker::PSM);
  psm.mutable_worker()->set_nik("1606023112900003");
  psm.mutable_worker()->set_full_name("Rahmawati");
  psm.mutable_worker()->set_village_code("16.06.02.2001");
  psm.mutable_worker()->add_subdistrict_codes("16.06.01");
  psm.mutable_worker()->set_active(false);
  Worker psm1 = Create(psm);

  EXPECT_EQ(List(ListWorkersRequest()).workers_size(), 3);
  ListWorkersRequest r;
  r.set_region("16.06.02");
  std::vector<std::string> in_02 = Ids(List(r));
  std::sort(in_02.begin(), in_02.end());
  EXPECT_EQ(in_02, (std::vector<std::string>{tksk2.id(), psm1.id()}));
  r = ListWorkersRequest();
  r.set_kind(Worker::TKSK);
  EXPECT_EQ(Ids(List(r)), (std::vector<std::string>{tksk1.id(), tksk2.id()}));
  r = ListWorkersRequest();
  r.set_subdistrict_code("16.06.01");
  EXPECT_EQ(Ids(List(r)), (std::vector<std::string>{tksk1.id(), psm1.id()}));
  r.set_active_only(true);
  EXPECT_EQ(Ids(List(r)), (std::vector<std::string>{tksk1.id()}));
  r.set_active_only(false);
  r.set_kind(Worker::PSM);
  EXPECT_EQ(Ids(List(r)), (std::vector<std::string>{psm1.id()}));

  r = ListWorkersRequest();
  r.set_subdistrict_code("16.07.01");
  EXPECT_EQ(logic_.ListWorkers(caller_, r).status().code(), absl::StatusCode::kInvalidArgument);
  r = ListWorkersRequest();
  // A region disjoint from the caller's scope is 403, also outside the deployment (one rule for
  // every list: ScopeListRegion).
  r.set_region("17");
  EXPECT_EQ(logic_.ListWorkers(caller_, r).status().code(), absl::StatusCode::kPermissionDenied);
  r = ListWorkersRequest();
  r.set_page_size(501);
  auto too_big = logic_.ListWorkers(caller_, r);
  EXPECT_EQ(too_big.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(too_big.status().message()).rfind("pageSize", 0), 0u);

  // Archived workers are hidden unless asked for.
  ArchiveRequest archive;
  archive.set_id(tksk2.id());
  archive.set_etag(tksk2.etag());
  ASSERT_TRUE(logic_.ArchiveWorker(caller_, archive).ok());
  EXPECT_EQ(Ids(List(ListWorkersRequest())), (std::vector<std::string>{tksk1.id(), psm1.id()}));
  r = ListWorkersRequest();
  r.set_show_archived(true);
  EXPECT_EQ(List(r).workers_size(), 3);
}

TEST_F(WorkerLogicTest, ListsPageWithTokens) {
  std::vector<std::string> created;
  for (int i = 1; i <= 5; ++i) {
    created.push_back(Create(Tksk("16060117087900" + std::to_string(10 + i), "16.06.01")).id());
  }
  std::vector<std::string> seen;
  ListWorkersRequest r;
  r.set_page_size(2);
  for (int page = 0; page < 5; ++page) {
    ListWorkersResponse response = List(r);
    for (const std::string& id : Ids(response)) seen.push_back(id);
    if (response.next_page_token().empty()) break;
    r.set_page_token(response.next_page_token());
  }
  EXPECT_EQ(seen, created);
}

class WorkerUpdateTest : public WorkerLogicTest {
 protected:
  void SetUp() override { worker_ = Create(Tksk(kNik, "16.06.01")); }
  // Based on the version read: `worker_` as created (etag "1").
  UpdateWorkerRequest Patch(std::initializer_list<const char*> paths) {
    UpdateWorkerRequest request;
    request.mutable_worker()->set_id(worker_.id());
    request.mutable_worker()->set_etag(worker_.etag());
    for (const char* p : paths) request.mutable_update_mask()->add_paths(p);
    return request;
  }
  Worker worker_;
};

TEST_F(WorkerUpdateTest, MaskedFieldsChangeAndTheChangeIsPublished) {
  UpdateWorkerRequest request = Patch({"fullName", "subdistrictCodes"});
  request.mutable_worker()->set_etag("1");
  request.mutable_worker()->set_full_name("Ahmad Syarifuddin, S.Sos.");
  request.mutable_worker()->add_subdistrict_codes("16.06.02");
  request.mutable_worker()->add_subdistrict_codes("16.06.03");
  request.mutable_worker()->set_caseload_cap(99);  // not in the mask: kept
  now_ += absl::Hours(1);
  auto updated = logic_.UpdateWorker(caller_, request);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->etag(), "2");
  EXPECT_EQ(updated->full_name(), "Ahmad Syarifuddin, S.Sos.");
  EXPECT_EQ(updated->subdistrict_codes_size(), 2);
  EXPECT_EQ(updated->caseload_cap(), WorkerLogic::kDefaultCaseloadCap);
  EXPECT_EQ(updated->nik(), kNik);
  EXPECT_EQ(TimeUtil::TimestampToNanoseconds(updated->update_time()), absl::ToUnixNanos(now_));
  EXPECT_EQ(store_->records.at(worker_.id()).full_name(), "Ahmad Syarifuddin, S.Sos.");

  ASSERT_EQ(store_->published.size(), 2u);
  EXPECT_EQ(store_->published[1].aggregate_version(), 2);
  EXPECT_EQ(store_->published[1].region_code(), "16.06.02");
  WorkerChanged payload = PayloadOf(store_->published[1]);
  EXPECT_EQ(payload.action(), "updated");
  EXPECT_EQ(
      std::vector<std::string>(payload.changed_fields().begin(), payload.changed_fields().end()),
      (std::vector<std::string>{"fullName", "subdistrictCodes"}));

  // The moved region and views are what lists see.
  ListWorkersRequest r;
  r.set_subdistrict_code("16.06.01");
  EXPECT_TRUE(List(r).workers().empty());
  r.set_subdistrict_code("16.06.03");
  EXPECT_EQ(List(r).workers_size(), 1);
}

TEST_F(WorkerUpdateTest, AnExplicitFalseDeactivatesWithoutAMask) {
  UpdateWorkerRequest request = Patch({});
  request.mutable_worker()->set_active(false);
  auto updated = logic_.UpdateWorker(caller_, request);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_FALSE(updated->active());
  EXPECT_EQ(updated->full_name(), "Ahmad Syarifuddin");
  EXPECT_EQ(PayloadOf(store_->published.back()).changed_fields(0), "active");
}

TEST_F(WorkerUpdateTest, NothingChangedWritesNothing) {
  UpdateWorkerRequest request = Patch({"fullName"});
  request.mutable_worker()->set_full_name(worker_.full_name());
  auto same = logic_.UpdateWorker(caller_, request);
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_EQ(same->etag(), "1");
  EXPECT_EQ(store_->published.size(), 1u);
}

TEST_F(WorkerUpdateTest, StaleEtagServerFieldsAndBadValuesAreRefused) {
  UpdateWorkerRequest request = Patch({"fullName"});
  request.mutable_worker()->set_full_name("X");
  request.mutable_worker()->set_etag("1");
  auto first = logic_.UpdateWorker(caller_, request);
  ASSERT_TRUE(first.ok()) << first.status();
  auto stale = logic_.UpdateWorker(caller_, request);
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(std::string(stale.status().message()).rfind("etag: stale", 0), 0u);

  worker_ = *first;  // the refusals below are based on the current version
  for (const char* server_set : {"etag", "reviewFlags", "archived", "createTime", "id"}) {
    auto refused = logic_.UpdateWorker(caller_, Patch({server_set}));
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << server_set;
    EXPECT_NE(std::string(refused.status().message()).find("set by the server"), std::string::npos)
        << refused.status();
  }
  request = Patch({"subdistrictCodes"});
  request.mutable_worker()->add_subdistrict_codes("16.07.01");
  auto outside = logic_.UpdateWorker(caller_, request);
  EXPECT_EQ(outside.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(outside.status().message()).rfind("subdistrictCodes[0]:", 0), 0u);
  // A TKSK with no kecamatan left.
  EXPECT_EQ(logic_.UpdateWorker(caller_, Patch({"subdistrictCodes"})).status().code(),
            absl::StatusCode::kInvalidArgument);

  UpdateWorkerRequest unknown = Patch({"fullName"});
  unknown.mutable_worker()->set_id("01JZZZZZZZZZZZZZZZZZZZZZZZ");
  EXPECT_EQ(logic_.UpdateWorker(caller_, unknown).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(WorkerUpdateTest, ANikHeldByAnotherWorkerIsAConflict) {
  Worker other = Create(Tksk(kOtherNik, "16.06.02"));
  UpdateWorkerRequest request = Patch({"nik"});
  request.mutable_worker()->set_nik(kOtherNik);
  auto conflict = logic_.UpdateWorker(caller_, request);
  EXPECT_EQ(conflict.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(conflict.status().message(), "nik: already used by worker " + other.id());
}

TEST_F(WorkerUpdateTest, ArchiveOnceWithReasonThenNoChanges) {
  ArchiveRequest archive;
  archive.set_id(worker_.id());
  archive.set_etag("9");
  EXPECT_EQ(logic_.ArchiveWorker(caller_, archive).status().code(), absl::StatusCode::kAborted);
  archive.set_etag("1");
  archive.set_reason("pensiun");
  auto archived = logic_.ArchiveWorker(caller_, archive);
  ASSERT_TRUE(archived.ok()) << archived.status();
  EXPECT_TRUE(archived->archived());
  EXPECT_EQ(archived->etag(), "2");
  EXPECT_TRUE(archived->has_archive_time());
  WorkerChanged payload = PayloadOf(store_->published.back());
  EXPECT_EQ(payload.action(), "archived");
  EXPECT_EQ(payload.reason(), "pensiun");
  // Every field that differs, sorted (etag and updateTime move with every write: left out).
  EXPECT_EQ(
      std::vector<std::string>(payload.changed_fields().begin(), payload.changed_fields().end()),
      (std::vector<std::string>{"archiveTime", "archived"}));

  worker_ = *archived;
  archive.set_etag(archived->etag());
  auto twice = logic_.ArchiveWorker(caller_, archive);
  EXPECT_EQ(twice.status().code(), absl::StatusCode::kFailedPrecondition) << twice.status();
  EXPECT_EQ(twice.status().message(), "worker " + worker_.id() + " is already archived");
  // Without the etag it is refused as every archive without one is.
  archive.clear_etag();
  auto no_etag = logic_.ArchiveWorker(caller_, archive);
  EXPECT_EQ(no_etag.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(no_etag.status().message()).rfind("etag: required", 0), 0u);
  UpdateWorkerRequest request = Patch({"fullName"});
  request.mutable_worker()->set_full_name("Z");
  EXPECT_EQ(logic_.UpdateWorker(caller_, request).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

// Access (access_policy.h). A TKSK is listed under its first kecamatan.
TEST_F(WorkerLogicTest, AWorkerOutsideTheScopeIsAbsentAndListsNarrowToTheScope) {
  Worker sekayu = Create(Tksk(kNik, "16.06.01"));
  Worker lais = Create(Tksk(kOtherNik, "16.06.02"));
  caller_ = TestPrincipal(Role::kOperator, "16.06.01");

  GetWorkerRequest get;
  get.set_id(lais.id());
  auto hidden = logic_.GetWorker(caller_, get);
  EXPECT_EQ(hidden.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(hidden.status().message(), "worker " + lais.id() + " not found");
  get.set_id(sekayu.id());
  EXPECT_TRUE(logic_.GetWorker(caller_, get).ok());

  EXPECT_EQ(Ids(List(ListWorkersRequest())), std::vector<std::string>{sekayu.id()});
  ListWorkersRequest wider;
  wider.set_region("16");
  EXPECT_EQ(Ids(List(wider)), std::vector<std::string>{sekayu.id()}) << "narrowed to the scope";
  ListWorkersRequest disjoint;
  disjoint.set_region("16.06.02");
  EXPECT_EQ(logic_.ListWorkers(caller_, disjoint).status().code(),
            absl::StatusCode::kPermissionDenied);
  // The province reads no workers.
  EXPECT_EQ(logic_.ListWorkers(TestPrincipal(Role::kProvinceViewer, "16"), ListWorkersRequest())
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(WorkerLogicTest, WritesOutsideTheScopeOrAboveTheRoleAreRefusedAndWriteNothing) {
  Worker sekayu = Create(Tksk(kNik, "16.06.01"));
  Worker lais = Create(Tksk(kOtherNik, "16.06.02"));
  const size_t published = store_->published.size();
  caller_ = TestPrincipal(Role::kOperator, "16.06.01");

  EXPECT_EQ(logic_.CreateWorker(caller_, Tksk("1606014107900003", "16.06.02")).status().code(),
            absl::StatusCode::kPermissionDenied);
  UpdateWorkerRequest rename;
  rename.mutable_worker()->set_id(lais.id());
  rename.mutable_worker()->set_etag("9");
  rename.mutable_worker()->set_full_name("Nama Lain");
  rename.mutable_update_mask()->add_paths("fullName");
  EXPECT_EQ(logic_.UpdateWorker(caller_, rename).status().code(), absl::StatusCode::kNotFound)
      << "neither the record nor its etag is revealed";
  UpdateWorkerRequest move;
  move.mutable_worker()->set_id(sekayu.id());
  move.mutable_worker()->set_etag(sekayu.etag());
  move.mutable_worker()->add_subdistrict_codes("16.06.02");
  move.mutable_update_mask()->add_paths("subdistrictCodes");
  EXPECT_EQ(logic_.UpdateWorker(caller_, move).status().code(),
            absl::StatusCode::kPermissionDenied);
  ArchiveRequest archive;
  archive.set_id(sekayu.id());
  archive.set_etag(sekayu.etag());
  EXPECT_EQ(logic_.ArchiveWorker(caller_, archive).status().code(),
            absl::StatusCode::kPermissionDenied)
      << "operators archive no worker";
  archive.set_id(lais.id());
  archive.set_etag(lais.etag());
  EXPECT_EQ(logic_.ArchiveWorker(caller_, archive).status().code(), absl::StatusCode::kNotFound);
  for (Role role : {Role::kFieldWorker, Role::kViewer, Role::kSystem}) {
    EXPECT_EQ(
        logic_.CreateWorker(TestPrincipal(role, "16.06"), Tksk("1606014107900003", "16.06.01"))
            .status()
            .code(),
        absl::StatusCode::kPermissionDenied)
        << RoleName(role);
  }
  EXPECT_EQ(store_->published.size(), published);

  caller_ = TestPrincipal(Role::kSupervisor, "16.06.01");
  archive.set_id(sekayu.id());
  archive.set_etag(sekayu.etag());
  EXPECT_TRUE(logic_.ArchiveWorker(caller_, archive).ok());
}

// A worker's kecamatan are set only inside the caller's scope, even when the worker's own region
// (its village) is: 403 naming the field, nothing written; one it already serves may stay.
TEST_F(WorkerLogicTest, SubdistrictsAreSetOnlyInsideTheCallersScope) {
  CreateWorkerRequest both = Tksk(kNik, "16.06.01");
  both.mutable_worker()->set_village_code("16.06.01.2001");
  both.mutable_worker()->add_subdistrict_codes("16.06.02");
  const size_t published = store_->published.size();
  caller_ = TestPrincipal(Role::kOperator, "16.06.01");
  absl::StatusOr<Worker> refused = logic_.CreateWorker(caller_, both);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(refused.status().message(),
            "subdistrictCodes[1]: kecamatan 16.06.02 lies outside your region scope 16.06.01");
  EXPECT_EQ(store_->published.size(), published);
  EXPECT_TRUE(store_->records.empty());

  // Set by the regency's admin, the code stays through the kecamatan operator's update.
  caller_ = TestPrincipal(Role::kAdmin);
  Worker w = Create(both);
  caller_ = TestPrincipal(Role::kOperator, "16.06.01");
  UpdateWorkerRequest rename;
  *rename.mutable_worker() = w;
  rename.mutable_worker()->set_full_name("Ahmad S.");
  rename.mutable_update_mask()->add_paths("fullName");
  EXPECT_TRUE(logic_.UpdateWorker(caller_, rename).ok());
  UpdateWorkerRequest widen;
  widen.mutable_worker()->set_id(w.id());
  widen.mutable_worker()->set_etag("2");
  widen.mutable_worker()->add_subdistrict_codes("16.06.01");
  widen.mutable_worker()->add_subdistrict_codes("16.06.02");
  widen.mutable_worker()->add_subdistrict_codes("16.06.03");
  widen.mutable_update_mask()->add_paths("subdistrictCodes");
  absl::StatusOr<Worker> widened = logic_.UpdateWorker(caller_, widen);
  EXPECT_EQ(widened.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(widened.status().message(),
            "subdistrictCodes[2]: kecamatan 16.06.03 lies outside your region scope 16.06.01");
}

// The NIK is unique among live workers of the whole deployment; the holder is named only to a
// caller who may read it (common/resource/taken_value.h).
TEST_F(WorkerLogicTest, ANikHeldOutsideTheScopeIsAConflictNamingNoHolder) {
  Worker lais = Create(Tksk(kNik, "16.06.02"));  // the deployment's admin
  const size_t published = store_->published.size();
  caller_ = TestPrincipal(Role::kOperator, "16.06.01");
  auto created = logic_.CreateWorker(caller_, Tksk(kNik, "16.06.01"));
  EXPECT_EQ(created.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(created.status().message(),
            "nik: a worker with this NIK is already registered outside your region");
  EXPECT_EQ(created.status().message().find(lais.id()), absl::string_view::npos);
  EXPECT_EQ(created.status().message().find("16.06.02"), absl::string_view::npos);
  EXPECT_EQ(store_->published.size(), published);

  caller_ = TestPrincipal(Role::kOperator, "16.06");
  EXPECT_EQ(logic_.CreateWorker(caller_, Tksk(kNik, "16.06.01")).status().message(),
            "nik: already used by worker " + lais.id());
}

// Told as any value taken outside the scope is (common/resource/taken_value.h): naming nothing.
TEST_F(WorkerLogicTest, ARequestIdReusedOutsideTheScopeNamesNoWorker) {
  CreateWorkerRequest request = Tksk(kNik, "16.06.02");
  request.set_request_id("sk-12");
  Worker lais = Create(request);
  const size_t published = store_->published.size();
  // The key is the caller's own (another caller's "sk-12" makes its own worker: the contract
  // suite); here the same subject retries after its scope was narrowed to a subdistrict.
  caller_ = TestPrincipal(Role::kOperator, "16.06.01", caller_.subject);
  auto again = logic_.CreateWorker(caller_, request);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(again.status().message(),
            "requestId: a worker with this requestId is already registered outside your region");
  EXPECT_EQ(again.status().message().find(lais.id()), absl::string_view::npos) << again.status();
  EXPECT_EQ(again.status().message().find("16.06.02"), absl::string_view::npos) << again.status();
  EXPECT_EQ(store_->published.size(), published);
}

TEST_F(WorkerLogicTest, AViewerGetsTheNikMasked) {
  Worker created = Create(Tksk(kNik, "16.06.01"));
  EXPECT_EQ(created.nik(), kNik) << "an admin sees it";
  GetWorkerRequest get;
  get.set_id(created.id());
  auto read = logic_.GetWorker(TestPrincipal(Role::kViewer, "16.06"), get);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->nik(), "****************");
  EXPECT_EQ(read->full_name(), "Ahmad Syarifuddin");
  read = logic_.GetWorker(TestPrincipal(Role::kFieldWorker, "16.06.01"), get);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->nik(), kNik) << "a field worker of the kecamatan sees it";
}

}  // namespace
}  // namespace wahana::registry
