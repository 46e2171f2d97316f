// AddMissingLookups against a real Redis: records written while their kind had one lookup are
// found by a lookup added later, once the new version ran; the version runs once.

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "common/bus/envelope.h"
#include "common/ids/time_ordered_id.h"
#include "common/storage/indexed_proto_record_store.h"
#include "common/storage/lookup_reindex.h"
#include "common/storage/record_requests.h"
#include "support/redis_server.h"
#include "wahana/testing/v1/store_test_record.pb.h"

namespace wahana::testing {
namespace {

using Record = wahana::testing::v1::StoreTestRecord;

constexpr char kRegion[] = "16.06";

// Before: records found by NIK only. After: by kind too.
RecordIndexing<Record> IndexingWith(bool by_kind) {
  RecordIndexing<Record> indexing;
  indexing.region_code = [](const Record& r) { return r.village_code(); };
  indexing.archived = [](const Record& r) { return r.has_archive_time(); };
  indexing.lookup = [by_kind](const Record& r) {
    std::vector<IndexValue> values = {{"nik", r.nik()}};
    if (by_kind) values.push_back({"kind", r.kind()});
    return values;
  };
  return indexing;
}

class LookupReindexTest : public ::testing::Test {
 protected:
  LookupReindexTest() : redis_(server_.Client()) {}

  std::string Create(IndexedRecordStore<Record>& store, const std::string& nik,
                     const std::string& kind, bool archived = false) {
    Record record;
    record.set_id(TimeOrderedIdGenerator::Default().Next());
    record.set_etag(EtagOf(kFirstVersion));
    record.set_village_code("16.06.01.2001");
    record.set_nik(nik);
    record.set_kind(kind);
    if (archived) record.mutable_archive_time()->set_seconds(1700000500);
    auto created = store.Create(
        record, MakeEnvelope(record, CreatedFacts(kRegion, record.id(), record.village_code())),
        "");
    EXPECT_TRUE(created.ok()) << created.status();
    return record.id();
  }

  std::vector<std::string> FoundBy(IndexedRecordStore<Record>& store, const std::string& index,
                                   const std::string& value) {
    std::vector<std::string> ids;
    auto found = store.FindIndexed(index, value, 500);
    EXPECT_TRUE(found.ok()) << found.status();
    if (found.ok()) {
      for (const Record& r : *found) ids.push_back(r.id());
    }
    return ids;
  }

  RedisServer server_;
  std::unique_ptr<RedisClient> redis_;
  const RecordKeys keys_{"registry", "beneficiary", kRegion};
};

TEST_F(LookupReindexTest, AddsTheEntriesOfEveryRecordOnceAVersion) {
  IndexedProtoRecordStore<Record> before(*redis_, keys_, IndexingWith(false));
  std::vector<std::string> lks;
  // More than one page of records (500 a page), one archived.
  for (int i = 0; i < 520; ++i) lks.push_back(Create(before, std::to_string(1000 + i), "LKS"));
  const std::string kube = Create(before, "2000", "KUBE", /*archived=*/true);

  IndexedProtoRecordStore<Record> after(*redis_, keys_, IndexingWith(true));
  EXPECT_TRUE(FoundBy(after, "kind", "KUBE").empty());  // not indexed yet
  const auto lookup = IndexingWith(true).lookup;
  ASSERT_TRUE(AddMissingLookups<Record>(*redis_, keys_, after, lookup, "v2").ok());
  EXPECT_EQ(FoundBy(after, "kind", "KUBE"), std::vector<std::string>{kube});
  std::vector<std::string> found = FoundBy(after, "kind", "LKS");
  EXPECT_EQ(found.size(), 500u);  // FindIndexed's limit; the index holds all 520
  auto holders = redis_->Command({"HGET", LookupIndexKey(keys_, "kind"), "LKS"});
  ASSERT_TRUE(holders.ok());
  EXPECT_EQ(std::count(holders->str.begin(), holders->str.end(), ' ') + 1, 520);
  EXPECT_EQ(FoundBy(after, "nik", "1000"), std::vector<std::string>{lks[0]});  // kept

  // Once a version: an entry removed since is not added back by the same version again.
  ASSERT_TRUE(redis_->Command({"HDEL", LookupIndexKey(keys_, "kind"), "KUBE"}).ok());
  ASSERT_TRUE(AddMissingLookups<Record>(*redis_, keys_, after, lookup, "v2").ok());
  EXPECT_TRUE(FoundBy(after, "kind", "KUBE").empty());
  ASSERT_TRUE(AddMissingLookups<Record>(*redis_, keys_, after, lookup, "v3").ok());
  EXPECT_EQ(FoundBy(after, "kind", "KUBE"), std::vector<std::string>{kube});
}

TEST_F(LookupReindexTest, AnEmptyStoreIsMarkedDone) {
  IndexedProtoRecordStore<Record> store(*redis_, keys_, IndexingWith(true));
  ASSERT_TRUE(
      AddMissingLookups<Record>(*redis_, keys_, store, IndexingWith(true).lookup, "v1").ok());
  auto done = LookupsAtVersion(*redis_, keys_, "v1");
  ASSERT_TRUE(done.ok());
  EXPECT_TRUE(*done);
}

TEST_F(LookupReindexTest, RedisDownIsUnavailable) {
  IndexedProtoRecordStore<Record> store(*redis_, keys_, IndexingWith(true));
  server_.Stop();
  absl::Status status =
      AddMissingLookups<Record>(*redis_, keys_, store, IndexingWith(true).lookup, "v1");
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
}

}  // namespace
}  // namespace wahana::testing
