// The registry's workers against a real Redis: what a create, an update and an archive leave in
// Redis (the record, its list and view entries, its NIK claim, its WorkerChanged message), and the
// NIK claim holding under concurrent creates.

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/storage/indexed_proto_record_store.h"
#include "common/storage/proto_record_store.h"
#include "common/storage/record_requests.h"
#include "registry/workers/worker_indexing.h"
#include "registry/workers/worker_logic.h"
#include "support/redis_inspection.h"
#include "support/redis_server.h"
#include "support/test_principals.h"

namespace wahana::registry {
namespace {

using wahana::common::v1::Envelope;
using wahana::registry::v1::ArchiveRequest;
using wahana::registry::v1::CreateWorkerRequest;
using wahana::registry::v1::ListWorkersRequest;
using wahana::registry::v1::Region;
using wahana::registry::v1::UpdateWorkerRequest;
using wahana::registry::v1::Worker;
using wahana::registry::v1::WorkerChanged;
using wahana::testing::TestPrincipal;

constexpr char kRegion[] = "16.06";
constexpr char kNik[] = "1606011708790001";

// The regions RegionRules reads; the workers are what this test is about.
class KnownRegions : public RegionStore {
 public:
  std::set<std::string> codes{"16", "16.06", "16.06.01", "16.06.02", "16.06.01.2001"};
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

class WorkerRedisTest : public ::testing::Test {
 protected:
  WorkerRedisTest()
      : redis_(server_.Client()),
        rules_(regions_, kRegion),
        store_(std::make_shared<IndexedProtoRecordStore<Worker>>(*redis_, WorkerKeys(kRegion),
                                                                 WorkerIndexing(kRegion))),
        logic_(kRegion, store_, rules_) {}

  static CreateWorkerRequest Tksk(const std::string& nik, const std::string& subdistrict) {
    CreateWorkerRequest request;
    request.mutable_worker()->set_kind(Worker::TKSK);
    request.mutable_worker()->set_nik(nik);
    request.mutable_worker()->set_full_name("Nyayu Fatimah Az-Zahra'");
    request.mutable_worker()->add_subdistrict_codes(subdistrict);
    return request;
  }

  // All members of an index of workers, across its chunks.
  std::vector<std::string> IndexMembers(const std::string& name) {
    return wahana::testing::StoreIndexMembers(*redis_, keys_, name);
  }

  Worker Stored(const std::string& id) {
    Worker w;
    auto pb = redis_->Command({"HGET", keys_.Record(id), kRecordPbField});
    EXPECT_TRUE(pb.ok()) << pb.status();
    if (pb.ok()) {
      EXPECT_TRUE(w.ParseFromString(pb->str));
    }
    return w;
  }

  std::string StoredEtag(const std::string& id) {
    auto etag = redis_->Command({"HGET", keys_.Record(id), kRecordEtagField});
    return etag.ok() ? etag->str : "";
  }

  std::vector<WorkerChanged> Messages() {
    std::vector<WorkerChanged> out;
    for (const Envelope& e : wahana::testing::StreamMessages(*redis_, keys_.Stream())) {
      EXPECT_EQ(e.type(), "wahana.registry.v1.WorkerChanged");
      WorkerChanged payload;
      EXPECT_TRUE(e.payload().UnpackTo(&payload));
      out.push_back(payload);
    }
    return out;
  }

  wahana::testing::RedisServer server_;
  std::unique_ptr<RedisClient> redis_;
  KnownRegions regions_;
  RegionRules rules_;
  const RecordKeys keys_ = WorkerKeys(kRegion);
  std::shared_ptr<IndexedProtoRecordStore<Worker>> store_;
  WorkerLogic logic_;
};

TEST_F(WorkerRedisTest, CreateUpdateArchiveLeaveRecordIndexesAndMessagesInRedis) {
  CreateWorkerRequest request = Tksk(kNik, "16.06.01");
  request.set_request_id("form-1");
  auto created = logic_.CreateWorker(TestPrincipal(Role::kAdmin), request);
  ASSERT_TRUE(created.ok()) << created.status();
  const std::string id = created->id();

  EXPECT_EQ(Stored(id).SerializeAsString(), created->SerializeAsString());
  EXPECT_EQ(Stored(id).full_name(), "Nyayu Fatimah Az-Zahra'");
  EXPECT_EQ(StoredEtag(id), "1");
  const std::string member = absl::StrCat("16.06.01.|", id);
  EXPECT_EQ(IndexMembers("live"), std::vector<std::string>{member});
  EXPECT_EQ(IndexMembers("live:kind=TKSK"), std::vector<std::string>{member});
  EXPECT_EQ(IndexMembers("live:subdistrict=16.06.01"), std::vector<std::string>{member});
  EXPECT_EQ(IndexMembers("unique:nik"), std::vector<std::string>{absl::StrCat(kNik, "|", id)});
  // Kept under the caller's own key (record_requests.h): a digest of the subject, then the id.
  auto request_key =
      redis_->Command({"GET", "registry:{16.06}:request:worker:" +
                                  CallersRequestKey(TestPrincipal(Role::kAdmin), "form-1")});
  ASSERT_TRUE(request_key.ok());
  EXPECT_EQ(request_key->str, id);
  ASSERT_EQ(Messages().size(), 1u);
  EXPECT_EQ(Messages()[0].action(), "created");
  EXPECT_EQ(Messages()[0].worker().nik(), kNik) << "the stream carries the whole record";
  for (const std::string& key : wahana::testing::Keys(*redis_, "*")) {
    EXPECT_EQ(key.rfind("registry:{16.06}:", 0), 0u) << key;
  }

  // A duplicate NIK writes nothing.
  auto duplicate = logic_.CreateWorker(TestPrincipal(Role::kAdmin), Tksk(kNik, "16.06.02"));
  EXPECT_EQ(duplicate.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(duplicate.status().message(), "nik: already used by worker " + id);
  EXPECT_EQ(Messages().size(), 1u);
  EXPECT_EQ(IndexMembers("live").size(), 1u);

  // Moving the worker to another kecamatan moves its list and view entries.
  UpdateWorkerRequest move;
  move.mutable_worker()->set_id(id);
  move.mutable_worker()->set_etag("1");
  move.mutable_worker()->add_subdistrict_codes("16.06.02");
  move.mutable_update_mask()->add_paths("subdistrictCodes");
  auto moved = logic_.UpdateWorker(TestPrincipal(Role::kAdmin), move);
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(StoredEtag(id), "2");
  EXPECT_EQ(Stored(id).subdistrict_codes(0), "16.06.02");
  const std::string moved_member = absl::StrCat("16.06.02.|", id);
  EXPECT_EQ(IndexMembers("live"), std::vector<std::string>{moved_member});
  EXPECT_TRUE(IndexMembers("live:subdistrict=16.06.01").empty());
  EXPECT_EQ(IndexMembers("live:subdistrict=16.06.02"), std::vector<std::string>{moved_member});
  ASSERT_EQ(Messages().size(), 2u);
  EXPECT_EQ(Messages()[1].action(), "updated");
  EXPECT_EQ(Messages()[1].changed_fields(0), "subdistrictCodes");

  // The etag read before the move is stale now: nothing written.
  auto stale = logic_.UpdateWorker(TestPrincipal(Role::kAdmin), move);
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(Messages().size(), 2u);

  ArchiveRequest archive;
  archive.set_id(id);
  archive.set_etag(StoredEtag(id));  // as read after the move
  archive.set_reason("mengundurkan diri");
  ASSERT_TRUE(logic_.ArchiveWorker(TestPrincipal(Role::kAdmin), archive).ok());
  EXPECT_TRUE(Stored(id).archived());
  EXPECT_TRUE(IndexMembers("live").empty());
  EXPECT_EQ(IndexMembers("archived"), std::vector<std::string>{moved_member});
  EXPECT_EQ(IndexMembers("archived:kind=TKSK"), std::vector<std::string>{moved_member});
  EXPECT_TRUE(IndexMembers("unique:nik").empty()) << "an archived worker releases the NIK";
  ASSERT_EQ(Messages().size(), 3u);
  EXPECT_EQ(Messages()[2].action(), "archived");
  EXPECT_EQ(Messages()[2].reason(), "mengundurkan diri");

  ListWorkersRequest list;
  list.set_show_archived(true);
  auto listed = logic_.ListWorkers(TestPrincipal(Role::kAdmin), list);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->workers_size(), 1);
  EXPECT_EQ(listed->workers(0).nik(), "****************");
}

TEST_F(WorkerRedisTest, ConcurrentCreatesWithOneNikMakeOneWorker) {
  constexpr int kThreads = 8;
  std::atomic<int> created{0}, conflicts{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto result = logic_.CreateWorker(TestPrincipal(Role::kAdmin),
                                        Tksk(kNik, t % 2 ? "16.06.01" : "16.06.02"));
      if (result.ok()) {
        ++created;
      } else if (result.status().code() == absl::StatusCode::kAlreadyExists) {
        ++conflicts;
      } else {
        ++other;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(conflicts.load(), kThreads - 1);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(IndexMembers("live").size(), 1u);
  EXPECT_EQ(IndexMembers("unique:nik").size(), 1u);
  EXPECT_EQ(Messages().size(), 1u);
  EXPECT_EQ(wahana::testing::Keys(*redis_, "registry:{16.06}:worker:*").size(), 1u);
}

}  // namespace
}  // namespace wahana::registry
