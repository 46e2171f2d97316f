// IndexedProtoRecordStore against a real Redis, with StoreTestRecord indexed as the registry's
// beneficiaries would be: listed by village code, unique NIK, a duplicate-candidate lookup, a view
// by kind. Each test checks what Redis holds afterwards: the record, the index members, the
// stream.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/bus/envelope.h"
#include "common/ids/time_ordered_id.h"
#include "common/storage/indexed_proto_record_store.h"
#include "common/storage/lex_index.h"
#include "common/storage/record_requests.h"
#include "support/in_memory_indexed_record_store.h"
#include "support/redis_inspection.h"
#include "support/redis_server.h"
#include "wahana/testing/v1/store_test_record.pb.h"

namespace wahana::testing {
namespace {

using wahana::common::v1::Envelope;
using Record = wahana::testing::v1::StoreTestRecord;

constexpr char kRegion[] = "16.06";

RecordIndexing<Record> Indexing() {
  RecordIndexing<Record> indexing;
  indexing.region_code = [](const Record& r) { return r.village_code(); };
  indexing.archived = [](const Record& r) { return r.has_archive_time(); };
  indexing.unique = [](const Record& r) { return std::vector<IndexValue>{{"nik", r.nik()}}; };
  indexing.lookup = [](const Record& r) {
    if (r.name().empty()) return std::vector<IndexValue>{};
    return std::vector<IndexValue>{
        {"dup",
         DigestIndexValue(absl::StrCat(r.name(), "|", r.birth_date(), "|", r.village_code()))}};
  };
  indexing.views = [](const Record& r) {
    if (r.kind().empty()) return std::vector<std::string>{};
    return std::vector<std::string>{absl::StrCat("kind=", r.kind())};
  };
  return indexing;
}

Record NewRecord(const std::string& village, const std::string& nik, const std::string& kind = "") {
  Record record;
  record.set_id(TimeOrderedIdGenerator::Default().Next());
  record.set_etag(EtagOf(kFirstVersion));
  record.set_village_code(village);
  record.set_nik(nik);
  record.set_kind(kind);
  record.set_name("Siti Aminah");
  record.set_birth_date("1990-01-31");
  record.mutable_create_time()->set_seconds(1700000000);
  return record;
}

Envelope Created(const Record& record) {
  return MakeEnvelope(record, CreatedFacts(kRegion, record.id(), record.village_code()));
}

Envelope Changed(const Record& record) {
  return MakeEnvelope(record, ChangedFacts(kRegion, record.id(), *VersionOfEtag(record.etag()),
                                           record.village_code()));
}

std::string Nik(int i) { return absl::StrFormat("1606%012d", i); }

// Reads the record, changes it, and updates it based on `expected` (the etag read by default).
absl::StatusOr<Record> ChangeIn(IndexedRecordStore<Record>& store, const std::string& id,
                                const std::function<void(Record&)>& change,
                                std::string expected = "") {
  absl::StatusOr<Record> current = store.Get(id);
  if (!current.ok()) return current.status();
  if (expected.empty()) expected = current->etag();
  Record updated = *current;
  change(updated);
  updated.set_etag(*NextEtag(current->etag()));
  return store.Update(updated, expected, Changed(updated));
}

absl::StatusOr<Record> ArchiveIn(IndexedRecordStore<Record>& store, const std::string& id) {
  absl::StatusOr<Record> current = store.Get(id);
  if (!current.ok()) return current.status();
  Record archived = *current;
  archived.mutable_archive_time()->set_seconds(1700000500);
  archived.set_etag(*NextEtag(current->etag()));
  return store.Archive(archived, current->etag(), Changed(archived));
}

class IndexedRecordStoreTest : public ::testing::Test {
 protected:
  IndexedRecordStoreTest() : redis_(server_.Client()), store_(*redis_, keys_, Indexing()) {}

  Record MustCreate(const Record& record) {
    absl::StatusOr<CreateResult<Record>> result = store_.Create(record, Created(record), "");
    EXPECT_TRUE(result.ok()) << result.status();
    EXPECT_TRUE(result.ok() && result->created);
    return record;
  }

  absl::StatusOr<Record> Change(const std::string& id, const std::function<void(Record&)>& change,
                                std::string expected = "") {
    return ChangeIn(store_, id, change, std::move(expected));
  }

  absl::StatusOr<Record> ArchiveRecord(const std::string& id) { return ArchiveIn(store_, id); }

  // All members of an index, across its chunks.
  std::vector<std::string> IndexMembers(const std::string& name) {
    return wahana::testing::StoreIndexMembers(*redis_, keys_, name);
  }

  std::string StoredBytes(const std::string& id) {
    auto pb = redis_->Command({"HGET", keys_.Record(id), kRecordPbField});
    EXPECT_TRUE(pb.ok()) << pb.status();
    return pb.ok() ? pb->str : "";
  }

  std::vector<std::string> Ids(const std::vector<Record>& records) {
    std::vector<std::string> ids;
    for (const Record& r : records) ids.push_back(r.id());
    return ids;
  }

  // Walks every page of `query` (page by page with `page_size`), calling `between` after each.
  std::vector<Record> WalkAll(ListQuery<Record> query, int page_size,
                              const std::function<void()>& between = nullptr) {
    std::vector<Record> all;
    query.page_size = page_size;
    for (int pages = 0; pages < 100000; ++pages) {
      absl::StatusOr<ListPage<Record>> page = store_.List(query);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      EXPECT_LE(static_cast<int>(page->records.size()), page_size);
      all.insert(all.end(), page->records.begin(), page->records.end());
      if (page->next_page_token.empty()) break;
      query.page_token = page->next_page_token;
      if (between) between();
    }
    return all;
  }

  RedisServer server_;
  std::unique_ptr<RedisClient> redis_;
  const RecordKeys keys_{"registry", "beneficiary", kRegion};
  IndexedProtoRecordStore<Record> store_;
};

TEST_F(IndexedRecordStoreTest, CreateWritesTheRecordItsIndexEntriesAndItsMessageTogether) {
  Record record = NewRecord("16.06.01.2001", Nik(1), "lansia");
  Envelope message = Created(record);
  absl::StatusOr<CreateResult<Record>> result = store_.Create(record, message, "import-1");
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->created);

  EXPECT_EQ(StoredBytes(record.id()), record.SerializeAsString());
  const std::string member = absl::StrCat("16.06.01.2001.|", record.id());
  EXPECT_EQ(IndexMembers("live"), std::vector<std::string>{member});
  EXPECT_EQ(IndexMembers("live:kind=lansia"), std::vector<std::string>{member});
  EXPECT_EQ(IndexMembers("unique:nik"),
            std::vector<std::string>{absl::StrCat(Nik(1), "|", record.id())});
  EXPECT_EQ(IndexMembers("lookup:dup").size(), 1u);
  EXPECT_TRUE(IndexMembers("archived").empty());
  std::vector<Envelope> messages = StreamMessages(*redis_, keys_.Stream());
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].SerializeAsString(), message.SerializeAsString());

  absl::StatusOr<std::optional<Record>> by_nik = store_.FindUnique("nik", Nik(1));
  ASSERT_TRUE(by_nik.ok()) << by_nik.status();
  ASSERT_TRUE(by_nik->has_value());
  EXPECT_EQ((*by_nik)->id(), record.id());
  for (const std::string& key : Keys(*redis_, "*")) {
    EXPECT_EQ(key.rfind("registry:{16.06}:", 0), 0u) << "one hash tag for every key: " << key;
  }

  absl::StatusOr<std::optional<Record>> nobody = store_.FindUnique("nik", Nik(2));
  ASSERT_TRUE(nobody.ok()) << nobody.status();
  EXPECT_FALSE(nobody->has_value());
}

TEST_F(IndexedRecordStoreTest, AClaimedValueIsAlreadyExistsNamingItsHolderAndWritesNothing) {
  Record first = MustCreate(NewRecord("16.06.01.2001", Nik(1)));
  Record second = NewRecord("16.06.02.2001", Nik(1));
  absl::StatusOr<CreateResult<Record>> result = store_.Create(second, Created(second), "import-2");
  EXPECT_EQ(result.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(result.status().message(),
            absl::StrCat("nik: already used by beneficiary ", first.id()));
  std::optional<UniqueConflict> conflict = UniqueConflictOf(result.status());
  ASSERT_TRUE(conflict.has_value());
  EXPECT_EQ(conflict->index, "nik");
  EXPECT_EQ(conflict->holder_id, first.id());

  EXPECT_EQ(store_.Get(second.id()).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(IndexMembers("live").size(), 1u);
  EXPECT_EQ(IndexMembers("unique:nik").size(), 1u);
  EXPECT_TRUE(Keys(*redis_, keys_.Request("*")).empty());
  EXPECT_EQ(StreamLength(*redis_, keys_.Stream()), 1);
  EXPECT_FALSE(UniqueConflictOf(absl::AlreadyExistsError("other")).has_value());
}

TEST_F(IndexedRecordStoreTest, ARepeatedRequestIdAnswersTheFirstRecordBeforeAnyClaim) {
  Record first = NewRecord("16.06.01.2001", Nik(1));
  ASSERT_TRUE(store_.Create(first, Created(first), "row-17").ok());
  Record retry = NewRecord("16.06.01.2001", Nik(1));  // a retry mints a new id
  absl::StatusOr<CreateResult<Record>> again = store_.Create(retry, Created(retry), "row-17");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->stored.id(), first.id());
  EXPECT_EQ(StreamLength(*redis_, keys_.Stream()), 1);
}

TEST_F(IndexedRecordStoreTest, CreatingAnExistingIdIsAlreadyExists) {
  Record record = MustCreate(NewRecord("16.06.01.2001", Nik(1)));
  Record copy = record;
  copy.set_nik(Nik(2));
  absl::StatusOr<CreateResult<Record>> result = store_.Create(copy, Created(copy), "");
  EXPECT_EQ(result.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(result.status().message(),
            absl::StrCat("beneficiary ", record.id(), " already exists"));
  EXPECT_EQ(StoredBytes(record.id()), record.SerializeAsString());
  EXPECT_EQ(IndexMembers("unique:nik").size(), 1u);
}

TEST_F(IndexedRecordStoreTest, UpdateMovesTheIndexEntriesAndReleasesTheOldClaim) {
  Record record = MustCreate(NewRecord("16.06.01.2001", Nik(1), "lansia"));
  absl::StatusOr<Record> updated = Change(record.id(), [](Record& r) {
    r.set_village_code("16.06.02.2003");
    r.set_nik(Nik(2));
    r.set_kind("yatim");
  });
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->etag(), "2");
  EXPECT_EQ(StoredBytes(record.id()), updated->SerializeAsString());
  auto etag = redis_->Command({"HGET", keys_.Record(record.id()), kRecordEtagField});
  ASSERT_TRUE(etag.ok());
  EXPECT_EQ(etag->str, "2");

  const std::string member = absl::StrCat("16.06.02.2003.|", record.id());
  EXPECT_EQ(IndexMembers("live"), std::vector<std::string>{member});
  EXPECT_TRUE(IndexMembers("live:kind=lansia").empty());
  EXPECT_EQ(IndexMembers("live:kind=yatim"), std::vector<std::string>{member});
  EXPECT_EQ(IndexMembers("unique:nik"),
            std::vector<std::string>{absl::StrCat(Nik(2), "|", record.id())});
  std::vector<Envelope> messages = StreamMessages(*redis_, keys_.Stream());
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[1].aggregate_id(), record.id());
  EXPECT_EQ(messages[1].aggregate_version(), 2);

  // The released NIK is free for another record.
  MustCreate(NewRecord("16.06.01.2001", Nik(1)));
  EXPECT_EQ(IndexMembers("unique:nik").size(), 2u);
}

TEST_F(IndexedRecordStoreTest, AnUpdateBasedOnTheCallersReadMovesTheSameEntries) {
  Record record = MustCreate(NewRecord("16.06.01.2001", Nik(1), "lansia"));
  Record updated = record;
  updated.set_nik(Nik(2));
  updated.set_kind("yatim");
  updated.set_etag("2");
  ASSERT_TRUE(store_.UpdateIf(updated, "1", Changed(updated), {}, &record).ok());
  EXPECT_EQ(StoredBytes(record.id()), updated.SerializeAsString());
  EXPECT_EQ(IndexMembers("unique:nik"),
            std::vector<std::string>{absl::StrCat(Nik(2), "|", record.id())});
  EXPECT_TRUE(IndexMembers("live:kind=lansia").empty());
  EXPECT_EQ(StreamLength(*redis_, keys_.Stream()), 2);
}

TEST_F(IndexedRecordStoreTest, ACallersReadThatIsNotTheStoredRecordIsNeverTrusted) {
  Record record = MustCreate(NewRecord("16.06.01.2001", Nik(1), "lansia"));
  // A copy at the right etag but not as stored (a masked NIK, another kind): its index entries
  // are not Redis's, so the store must read the record itself and move the real ones.
  Record masked = record;
  masked.set_nik(Nik(9));
  masked.set_kind("yatim");
  Record updated = record;
  updated.set_nik(Nik(2));
  updated.set_etag("2");
  ASSERT_TRUE(store_.UpdateIf(updated, "1", Changed(updated), {}, &masked).ok());
  EXPECT_EQ(IndexMembers("unique:nik"),
            std::vector<std::string>{absl::StrCat(Nik(2), "|", record.id())});
  EXPECT_EQ(IndexMembers("live:kind=lansia"),
            std::vector<std::string>{absl::StrCat("16.06.01.2001.|", record.id())});
  MustCreate(NewRecord("16.06.01.2001", Nik(1)));  // the old NIK was released

  // A read of a version since replaced: stale, nothing written.
  const std::string bytes = StoredBytes(record.id());
  Record late = record;  // version 1, while 2 is stored
  late.set_name("Siti A.");
  late.set_etag("2");
  auto refused = store_.UpdateIf(late, "1", Changed(late), {}, &record);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kAborted) << refused.status();
  EXPECT_EQ(StoredBytes(record.id()), bytes);
  EXPECT_EQ(StreamLength(*redis_, keys_.Stream()), 3);
}

TEST_F(IndexedRecordStoreTest, AStaleEtagIsAbortedAndLeavesRecordIndexesAndStreamUnchanged) {
  Record record = MustCreate(NewRecord("16.06.01.2001", Nik(1)));
  ASSERT_TRUE(Change(record.id(), [](Record& r) { r.set_name("Siti A."); }).ok());
  const std::string bytes = StoredBytes(record.id());

  Record stale = record;  // built on version 1 while version 2 is stored
  stale.set_village_code("16.06.03.2001");
  stale.set_etag("2");
  absl::StatusOr<Record> result = store_.Update(stale, "1", Changed(stale));
  EXPECT_EQ(result.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(result.status().message(),
            absl::StrCat("etag: stale (\"1\"), beneficiary ", record.id(), " is at \"2\""));
  EXPECT_EQ(StoredBytes(record.id()), bytes);
  EXPECT_EQ(IndexMembers("live"),
            std::vector<std::string>{absl::StrCat("16.06.01.2001.|", record.id())});
  EXPECT_EQ(StreamLength(*redis_, keys_.Stream()), 2);

  // A client's garbage etag is stale as well.
  EXPECT_EQ(Change(
                record.id(), [](Record&) {}, "W/\"x\"")
                .status()
                .code(),
            absl::StatusCode::kAborted);
}

TEST_F(IndexedRecordStoreTest, UpdateOfAnUnknownRecordIsNotFound) {
  Record ghost = NewRecord("16.06.01.2001", Nik(1));
  ghost.set_etag("2");
  absl::StatusOr<Record> result = store_.Update(ghost, "1", Changed(ghost));
  EXPECT_EQ(result.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(result.status().message(), absl::StrCat("beneficiary ", ghost.id(), " not found"));
  EXPECT_EQ(StreamLength(*redis_, keys_.Stream()), 0);
}

TEST_F(IndexedRecordStoreTest, AChangeMustCarryTheNextVersion) {
  Record record = MustCreate(NewRecord("16.06.01.2001", Nik(1)));
  Record same = record;  // etag not moved on
  EXPECT_EQ(store_.Update(same, "1", Changed(same)).status().code(), absl::StatusCode::kInternal);
  Record next = record;
  next.set_etag("2");
  Envelope wrong = Changed(record);  // announces version 1
  EXPECT_EQ(store_.Update(next, "1", wrong).status().code(), absl::StatusCode::kInternal);
  EXPECT_EQ(StreamLength(*redis_, keys_.Stream()), 1);
}

TEST_F(IndexedRecordStoreTest, UpdatingToAClaimedValueIsAlreadyExistsAndWritesNothing) {
  Record holder = MustCreate(NewRecord("16.06.01.2001", Nik(1)));
  Record other = MustCreate(NewRecord("16.06.01.2002", Nik(2)));
  absl::StatusOr<Record> result = Change(other.id(), [](Record& r) {
    r.set_nik(Nik(1));
    r.set_village_code("16.06.05.2001");
  });
  EXPECT_EQ(result.status().code(), absl::StatusCode::kAlreadyExists);
  ASSERT_TRUE(UniqueConflictOf(result.status()).has_value());
  EXPECT_EQ(UniqueConflictOf(result.status())->holder_id, holder.id());
  EXPECT_EQ(StoredBytes(other.id()), other.SerializeAsString());
  EXPECT_EQ(IndexMembers("unique:nik"),
            (std::vector<std::string>{absl::StrCat(Nik(1), "|", holder.id()),
                                      absl::StrCat(Nik(2), "|", other.id())}));
  EXPECT_EQ(StreamLength(*redis_, keys_.Stream()), 2);
}

// Updates that all read version 1: the write's guard lets exactly one through.
TEST_F(IndexedRecordStoreTest, RacingUpdatesOfOneVersionWriteOnce) {
  Record record = MustCreate(NewRecord("16.06.01.2001", Nik(1)));
  constexpr int kCallers = 8;
  std::vector<absl::Status> results(kCallers);
  std::atomic<bool> go{false};
  std::vector<std::thread> callers;
  for (int i = 0; i < kCallers; ++i) {
    callers.emplace_back([&, i] {
      Record updated = record;
      updated.set_village_code(absl::StrFormat("16.06.%02d.2001", i + 1));
      updated.set_etag("2");
      Envelope message = Changed(updated);
      while (!go.load()) std::this_thread::yield();
      results[i] = store_.Update(updated, "1", message).status();
    });
  }
  go = true;
  for (std::thread& t : callers) t.join();
  int applied = 0;
  for (const absl::Status& status : results) {
    if (status.ok()) {
      ++applied;
    } else {
      EXPECT_EQ(status.code(), absl::StatusCode::kAborted) << status;
    }
  }
  EXPECT_EQ(applied, 1);
  EXPECT_EQ(IndexMembers("live").size(), 1u) << "one region entry, the winner's";
  EXPECT_EQ(StreamLength(*redis_, keys_.Stream()), 2);
}

TEST_F(IndexedRecordStoreTest, ArchiveHidesFromListsKeepsTheRecordAndItsClaims) {
  Record kept = MustCreate(NewRecord("16.06.01.2001", Nik(1), "lansia"));
  Record gone = MustCreate(NewRecord("16.06.01.2001", Nik(2), "lansia"));
  absl::StatusOr<Record> archived = ArchiveRecord(gone.id());
  ASSERT_TRUE(archived.ok()) << archived.status();
  EXPECT_EQ(archived->etag(), "2");

  absl::StatusOr<Record> read = store_.Get(gone.id());
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_TRUE(read->has_archive_time());
  const std::string member = absl::StrCat("16.06.01.2001.|", gone.id());
  EXPECT_EQ(IndexMembers("archived"), std::vector<std::string>{member});
  EXPECT_EQ(IndexMembers("archived:kind=lansia"), std::vector<std::string>{member});
  EXPECT_EQ(IndexMembers("live").size(), 1u);

  ListQuery<Record> query;
  absl::StatusOr<ListPage<Record>> live = store_.List(query);
  ASSERT_TRUE(live.ok()) << live.status();
  EXPECT_EQ(Ids(live->records), std::vector<std::string>{kept.id()});
  query.include_archived = true;
  absl::StatusOr<ListPage<Record>> all = store_.List(query);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->records.size(), 2u);
  query.view = "kind=lansia";
  absl::StatusOr<ListPage<Record>> view = store_.List(query);
  ASSERT_TRUE(view.ok()) << view.status();
  EXPECT_EQ(view->records.size(), 2u);

  // Its NIK stays claimed: never reused.
  absl::StatusOr<std::optional<Record>> by_nik = store_.FindUnique("nik", Nik(2));
  ASSERT_TRUE(by_nik.ok() && by_nik->has_value());
  EXPECT_EQ((*by_nik)->id(), gone.id());
  Record reuse = NewRecord("16.06.01.2001", Nik(2));
  absl::StatusOr<CreateResult<Record>> refused = store_.Create(reuse, Created(reuse), "");
  ASSERT_TRUE(UniqueConflictOf(refused.status()).has_value());
  EXPECT_EQ(UniqueConflictOf(refused.status())->holder_id, gone.id());

  absl::StatusOr<Record> twice = ArchiveRecord(gone.id());
  EXPECT_EQ(twice.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(twice.status().message(),
            absl::StrCat("beneficiary ", gone.id(), " is already archived"));
  EXPECT_EQ(StreamLength(*redis_, keys_.Stream()), 3);

  // An archive must mark the record archived.
  Record unmarked = *store_.Get(kept.id());
  unmarked.set_etag("2");
  EXPECT_EQ(store_.Archive(unmarked, "1", Changed(unmarked)).status().code(),
            absl::StatusCode::kInternal);
}

TEST_F(IndexedRecordStoreTest, AnUpdateThatClearsTheArchiveMarkRestoresTheRecord) {
  Record record = MustCreate(NewRecord("16.06.01.2001", Nik(1)));
  ASSERT_TRUE(ArchiveRecord(record.id()).ok());
  absl::StatusOr<Record> edited =
      Change(record.id(), [](Record& r) { r.set_name("still archived"); });
  ASSERT_TRUE(edited.ok()) << edited.status();
  const std::string member = absl::StrCat("16.06.01.2001.|", record.id());
  EXPECT_EQ(IndexMembers("archived"), std::vector<std::string>{member});
  EXPECT_TRUE(IndexMembers("live").empty());
  absl::StatusOr<Record> restored = Change(record.id(), [](Record& r) { r.clear_archive_time(); });
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_EQ(restored->etag(), "4");
  EXPECT_EQ(IndexMembers("live"), std::vector<std::string>{member});
  EXPECT_TRUE(IndexMembers("archived").empty());
  EXPECT_TRUE(Keys(*redis_, keys_.Index("archived") + "*").empty());
}

TEST_F(IndexedRecordStoreTest, ARegionPrefixListsExactlyTheRecordsUnderIt) {
  std::map<std::string, std::string> village_of;  // id -> village
  int n = 0;
  for (const char* village :
       {"16.06", "16.06.01", "16.06.01.2001", "16.06.01.2002", "16.06.010.2001", "16.06.02.2001",
        "16.061.01.2001", "16.07.01.2001"}) {
    for (int i = 0; i < 3; ++i) {
      Record record = MustCreate(NewRecord(village, Nik(++n)));
      village_of[record.id()] = village;
    }
  }
  auto listed = [&](const std::string& prefix) {
    ListQuery<Record> query;
    query.region_prefix = prefix;
    std::set<std::string> villages;
    std::vector<Record> records = WalkAll(query, 500);
    for (const Record& r : records) villages.insert(r.village_code());
    EXPECT_EQ(records.size(), 3 * villages.size()) << prefix;
    return villages;
  };
  EXPECT_EQ(listed("16.06.01"),
            (std::set<std::string>{"16.06.01", "16.06.01.2001", "16.06.01.2002"}));
  EXPECT_EQ(listed("16.06"),
            (std::set<std::string>{"16.06", "16.06.01", "16.06.01.2001", "16.06.01.2002",
                                   "16.06.010.2001", "16.06.02.2001"}));
  EXPECT_EQ(listed("16.06.01.2002"), (std::set<std::string>{"16.06.01.2002"}));
  EXPECT_EQ(listed("16.061"), (std::set<std::string>{"16.061.01.2001"}));
  EXPECT_EQ(listed("16.06.03"), (std::set<std::string>{}));
  EXPECT_EQ(listed("").size(), 8u);
}

TEST_F(IndexedRecordStoreTest, PagesWalkEveryRecordOnceInOrder) {
  std::set<std::string> ids;
  for (int i = 0; i < 700; ++i) {
    ids.insert(
        MustCreate(NewRecord(absl::StrFormat("16.06.%02d.%04d", 1 + i % 4, 2001 + i % 9), Nik(i)))
            .id());
  }
  ListQuery<Record> query;
  query.region_prefix = "16.06";
  for (int page_size : {1, 7, 128, 500, 0}) {
    std::vector<Record> all = WalkAll(query, page_size == 0 ? kDefaultPageSize : page_size);
    std::vector<std::string> walked = Ids(all);
    EXPECT_EQ(walked.size(), ids.size()) << page_size;
    EXPECT_EQ(std::set<std::string>(walked.begin(), walked.end()), ids) << page_size;
    std::vector<std::string> members;
    for (const Record& r : all)
      members.push_back(IndexMember(RegionIndexValue(r.village_code()), r.id()));
    EXPECT_TRUE(std::is_sorted(members.begin(), members.end())) << page_size;
  }
  // A full first page of the default size with a token; the last page has none.
  absl::StatusOr<ListPage<Record>> first = store_.List(query);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->records.size(), static_cast<size_t>(kDefaultPageSize));
  EXPECT_FALSE(first->next_page_token.empty());
  query.page_size = 500;
  query.page_token = first->next_page_token;
  absl::StatusOr<ListPage<Record>> most = store_.List(query);
  ASSERT_TRUE(most.ok()) << most.status();
  EXPECT_EQ(most->records.size(), 500u);
  query.page_token = most->next_page_token;
  absl::StatusOr<ListPage<Record>> last = store_.List(query);
  ASSERT_TRUE(last.ok()) << last.status();
  EXPECT_EQ(last->records.size(), 700u - kDefaultPageSize - 500u);
  EXPECT_TRUE(last->next_page_token.empty());
}

TEST_F(IndexedRecordStoreTest, AWalkWhileRecordsAreAddedSeesEveryEarlierRecordOnce) {
  std::set<std::string> before;
  for (int i = 0; i < 300; ++i) {
    before.insert(
        MustCreate(NewRecord(absl::StrFormat("16.06.%02d.2001", 1 + i % 5), Nik(i))).id());
  }
  int added = 0;
  ListQuery<Record> query;
  query.region_prefix = "16.06";
  std::vector<Record> all = WalkAll(query, 37, [&] {
    // Behind the cursor and ahead of it.
    for (int v = 1; v <= 5; ++v) {
      MustCreate(NewRecord(absl::StrFormat("16.06.%02d.2001", v), Nik(1000 + added++)));
    }
  });
  std::vector<std::string> walked = Ids(all);
  std::set<std::string> seen(walked.begin(), walked.end());
  EXPECT_EQ(seen.size(), walked.size()) << "no record twice";
  for (const std::string& id : before) EXPECT_TRUE(seen.count(id)) << id;
  EXPECT_GT(walked.size(), before.size()) << "records added ahead of the cursor are seen";
  EXPECT_LT(walked.size(), before.size() + added) << "records added behind it are not";
}

TEST_F(IndexedRecordStoreTest, AFilterKeepsPagesFullAndAViewListsTheSameRecords) {
  std::vector<std::string> kube;
  for (int i = 0; i < 1000; ++i) {
    Record record = MustCreate(NewRecord(absl::StrFormat("16.06.%02d.2001", 1 + i % 3), Nik(i),
                                         i % 20 == 0 ? "KUBE" : "LKS"));
    if (record.kind() == "KUBE") kube.push_back(record.id());
  }
  ListQuery<Record> filtered;
  filtered.filter = [](const Record& r) { return r.kind() == "KUBE"; };
  filtered.filter_key = "kind=KUBE";
  filtered.page_size = 10;
  absl::StatusOr<ListPage<Record>> first = store_.List(filtered);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->records.size(), 10u) << "the filter reads ahead to fill the page";
  for (const Record& r : first->records) EXPECT_EQ(r.kind(), "KUBE");

  std::vector<std::string> by_filter = Ids(WalkAll(filtered, 10));
  ListQuery<Record> view;
  view.view = "kind=KUBE";
  std::vector<std::string> by_view = Ids(WalkAll(view, 10));
  std::sort(kube.begin(), kube.end());
  std::vector<std::string> sorted_filter = by_filter;
  std::sort(sorted_filter.begin(), sorted_filter.end());
  EXPECT_EQ(sorted_filter, kube);
  EXPECT_EQ(by_view, by_filter) << "same records, same order";
}

TEST_F(IndexedRecordStoreTest, AFilterStopsAfterItsScanBudgetWithAToken) {
  for (int i = 0; i < kMaxListScan + 300; ++i)
    MustCreate(NewRecord("16.06.01.2001", Nik(i), "LKS"));
  ListQuery<Record> query;
  query.filter = [](const Record& r) { return r.kind() == "KUBE"; };
  query.filter_key = "kind=KUBE";
  absl::StatusOr<ListPage<Record>> first = store_.List(query);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(first->records.empty());
  ASSERT_FALSE(first->next_page_token.empty()) << "more may follow";
  query.page_token = first->next_page_token;
  absl::StatusOr<ListPage<Record>> second = store_.List(query);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_TRUE(second->records.empty());
  EXPECT_TRUE(second->next_page_token.empty());
}

TEST_F(IndexedRecordStoreTest, PageTokensAndSizesAreChecked) {
  for (int i = 0; i < 3; ++i) MustCreate(NewRecord("16.06.01.2001", Nik(i)));
  ListQuery<Record> query;
  query.region_prefix = "16.06.01";
  query.page_size = 1;
  absl::StatusOr<ListPage<Record>> first = store_.List(query);
  ASSERT_TRUE(first.ok()) << first.status();

  ListQuery<Record> other = query;
  other.page_token = first->next_page_token;
  other.region_prefix = "16.06";
  EXPECT_EQ(store_.List(other).status().code(), absl::StatusCode::kInvalidArgument);
  other = query;
  other.page_token = first->next_page_token;
  other.include_archived = true;
  EXPECT_EQ(store_.List(other).status().code(), absl::StatusCode::kInvalidArgument);
  other = query;
  other.page_token = "garbage";
  EXPECT_EQ(store_.List(other).status().message(), "pageToken: not a page token of this list");
  other = query;
  other.page_size = 501;
  EXPECT_EQ(store_.List(other).status().message(), "pageSize: at most 500");
  other = query;
  other.page_token = first->next_page_token;
  other.page_size = 5;  // the size may change between pages
  absl::StatusOr<ListPage<Record>> rest = store_.List(other);
  ASSERT_TRUE(rest.ok()) << rest.status();
  EXPECT_EQ(rest->records.size(), 2u);
}

TEST_F(IndexedRecordStoreTest, LookupsFindEveryRecordWithAValue) {
  Record a = MustCreate(NewRecord("16.06.01.2001", Nik(1)));
  Record b = MustCreate(NewRecord("16.06.01.2001", Nik(2)));  // same name, birth date, village
  Record c = NewRecord("16.06.01.2002", Nik(3));
  MustCreate(c);
  std::string key = DigestIndexValue("Siti Aminah|1990-01-31|16.06.01.2001");
  absl::StatusOr<std::vector<Record>> found = store_.FindIndexed("dup", key, 10);
  ASSERT_TRUE(found.ok()) << found.status();
  std::vector<std::string> expected = {a.id(), b.id()};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(Ids(*found), expected);
  absl::StatusOr<std::vector<Record>> one = store_.FindIndexed("dup", key, 1);
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_EQ(one->size(), 1u);
  EXPECT_EQ(store_.FindIndexed("dup", key, 0).status().code(), absl::StatusCode::kInvalidArgument);

  // Moving to another village moves the lookup entry.
  ASSERT_TRUE(Change(b.id(), [](Record& r) { r.set_village_code("16.06.01.2002"); }).ok());
  found = store_.FindIndexed("dup", key, 10);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(Ids(*found), std::vector<std::string>{a.id()});
}

TEST_F(IndexedRecordStoreTest, AnIndexEntryWithoutItsRecordIsInternal) {
  Record record = MustCreate(NewRecord("16.06.01.2001", Nik(1)));
  ASSERT_TRUE(redis_->Command({"DEL", keys_.Record(record.id())}).ok());
  absl::StatusOr<ListPage<Record>> page = store_.List(ListQuery<Record>());
  EXPECT_EQ(page.status().code(), absl::StatusCode::kInternal);
  EXPECT_EQ(store_.FindUnique("nik", Nik(1)).status().code(), absl::StatusCode::kInternal);
}

TEST_F(IndexedRecordStoreTest, RedisDownIsUnavailable) {
  Record record = MustCreate(NewRecord("16.06.01.2001", Nik(1)));
  server_.Kill();
  EXPECT_EQ(store_.List(ListQuery<Record>()).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(Change(
                record.id(), [](Record&) {}, "1")
                .status()
                .code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(store_.FindUnique("nik", Nik(1)).status().code(), absl::StatusCode::kUnavailable);
}

// The in-memory store the registry's logic tests use answers as the Redis store does: the same
// statuses, pages and page tokens for the same calls.
TEST_F(IndexedRecordStoreTest, TheInMemoryFakeAnswersAsRedisDoes) {
  InMemoryIndexedRecordStore<Record> fake("beneficiary", Indexing());
  std::vector<IndexedRecordStore<Record>*> stores = {&store_, &fake};
  auto same_status = [](const absl::Status& a, const absl::Status& b) {
    EXPECT_EQ(a.code(), b.code()) << a << " / " << b;
    EXPECT_EQ(a.message(), b.message());
  };
  std::vector<Record> created;
  for (int i = 0; i < 90; ++i) {
    Record record = NewRecord(absl::StrFormat("16.06.%02d.%04d", 1 + i % 3, 2001 + i % 4),
                              Nik(i % 85), i % 4 == 0 ? "KUBE" : "LKS");
    std::vector<absl::StatusOr<CreateResult<Record>>> results;
    for (auto* store : stores) results.push_back(store->Create(record, Created(record), ""));
    same_status(results[0].status(), results[1].status());  // the last five are NIK conflicts
    if (results[0].ok()) created.push_back(record);
  }
  ASSERT_EQ(created.size(), 85u);
  for (int step = 0; step < 2; ++step) {  // the second time: stale, already archived
    std::vector<absl::Status> changed, archived, conflicted;
    for (auto* store : stores) {
      changed.push_back(ChangeIn(
                            *store, created[5].id(),
                            [](Record& r) {
                              r.set_village_code("16.06.01.2009");
                              r.set_nik(Nik(500));
                            },
                            "1")
                            .status());
      archived.push_back(ArchiveIn(*store, created[7].id()).status());
      conflicted.push_back(
          ChangeIn(*store, created[9].id(), [](Record& r) { r.set_nik(Nik(500)); }).status());
    }
    same_status(changed[0], changed[1]);
    same_status(archived[0], archived[1]);
    same_status(conflicted[0], conflicted[1]);
  }

  std::vector<ListQuery<Record>> queries(5);
  queries[1].region_prefix = "16.06.02";
  queries[2].include_archived = true;
  queries[3].view = "kind=KUBE";
  queries[3].include_archived = true;
  queries[4].filter = [](const Record& r) { return r.nik() < Nik(40); };
  queries[4].filter_key = "nik<40";
  for (ListQuery<Record> query : queries) {
    query.page_size = 7;
    for (int pages = 0; pages < 100; ++pages) {
      absl::StatusOr<ListPage<Record>> a = store_.List(query);
      absl::StatusOr<ListPage<Record>> b = fake.List(query);
      ASSERT_TRUE(a.ok() && b.ok()) << a.status() << " / " << b.status();
      EXPECT_EQ(Ids(a->records), Ids(b->records));
      EXPECT_EQ(a->next_page_token, b->next_page_token);
      if (a->next_page_token.empty()) break;
      query.page_token = a->next_page_token;
    }
  }
  for (int nik : {0, 7, 500, 999}) {
    auto a = store_.FindUnique("nik", Nik(nik));
    auto b = fake.FindUnique("nik", Nik(nik));
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(a->has_value() ? (*a)->id() : "", b->has_value() ? (*b)->id() : "") << nik;
  }
  std::string key = DigestIndexValue("Siti Aminah|1990-01-31|16.06.01.2001");
  auto a = store_.FindIndexed("dup", key, 500);
  auto b = fake.FindIndexed("dup", key, 500);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(Ids(*a), Ids(*b));
  EXPECT_FALSE(a->empty());
}

// Not an assertion: the figures behind the memory budget (≤ 600 bytes a beneficiary, indexes
// included), for a ~300-byte record with a region entry, a view, a unique NIK and a lookup.
TEST_F(IndexedRecordStoreTest, MemoryPerRecordIsLogged) {
  constexpr int kRecords = 2000;
  auto used_memory = [&] {
    auto info = redis_->Command({"MEMORY", "STATS"});
    EXPECT_TRUE(info.ok()) << info.status();
    for (size_t i = 0; info.ok() && i + 1 < info->elements.size(); i += 2) {
      if (info->elements[i].str == "dataset.bytes") return info->elements[i + 1].integer;
    }
    return int64_t{0};
  };
  auto usage = [&](const std::string& key) {
    auto reply = redis_->Command({"MEMORY", "USAGE", key, "SAMPLES", "0"});
    EXPECT_TRUE(reply.ok()) << reply.status();
    return reply.ok() ? reply->integer : 0;
  };
  auto index_usage = [&](const std::string& name) {
    int64_t total = usage(keys_.Index(name));
    auto bounds = redis_->Command({"ZRANGE", keys_.Index(name), "0", "-1"});
    if (bounds.ok()) {
      for (const RedisReply& b : bounds->elements)
        total += usage(absl::StrCat(keys_.Index(name), "|", b.str));
    }
    return total;
  };
  for (const char* listpack_value : {"64", "1024"}) {
    ASSERT_TRUE(redis_->Command({"FLUSHALL"}).ok());
    ASSERT_TRUE(redis_->Command({"CONFIG", "SET", "hash-max-listpack-value", listpack_value}).ok());
    const int64_t before = used_memory();
    std::string sample;
    for (int i = 0; i < kRecords; ++i) {
      Record record = NewRecord(absl::StrFormat("16.06.%02d.%04d", 1 + i % 14, 2001 + i % 11),
                                Nik(i), i % 3 == 0 ? "lansia" : "disabilitas");
      record.set_name(absl::StrFormat("Siti Aminah binti Abdul %d", i));
      record.set_notes(std::string(150, 'n'));
      record.mutable_contact()->set_phone("081234567890");
      record.add_tags("pkh");
      if (i == 0) {
        sample = record.id();
        EXPECT_GE(record.ByteSizeLong(), 280u);
        EXPECT_LE(record.ByteSizeLong(), 320u);
      }
      MustCreate(record);
    }
    ASSERT_TRUE(redis_->Command({"DEL", keys_.Stream()}).ok());
    const int64_t per_record = (used_memory() - before) / kRecords;
    const int64_t record_key = usage(keys_.Record(sample));
    std::cout << "[memory] hash-max-listpack-value " << listpack_value << ": record key "
              << record_key << " B for " << store_.Get(sample)->ByteSizeLong() << " protobuf bytes"
              << std::endl;
    std::cout << "[memory] per record, index entries: region " << index_usage("live") / kRecords
              << " B, view "
              << (index_usage("live:kind=lansia") + index_usage("live:kind=disabilitas")) / kRecords
              << " B, unique nik " << index_usage("unique:nik") / kRecords << " B, lookup "
              << index_usage("lookup:dup") / kRecords << " B" << std::endl;
    std::cout << "[memory] per record, everything (dataset bytes / " << kRecords
              << "): " << per_record << " B" << std::endl;
  }
}

}  // namespace
}  // namespace wahana::testing
