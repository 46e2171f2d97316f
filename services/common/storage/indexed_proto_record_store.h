#pragma once
// IndexedRecordStore on Redis, for any kind of record. Records are kept as ProtoRecordStore keeps
// them (a hash {pb, etag} at keys.Record(id), requestIds, the service's stream); their lists live
// in chunked indexes (lex_index.h), their values in exact indexes (exact_index.h), under
// keys.Index(...):
//
//   live, archived                 the list by region: "<region code>.|<id>" for each record
//   live:<view>, archived:<view>   the same for the records in a view
//   unique-ids:<index>             hash value -> the id holding a unique value
//   lookup-ids:<index>             hash value -> the ids having a looked-up value
//   count:<name>                   how many records count in `name` (RecordIndexing::counted)
//
// and a record's guard fields (RecordIndexing::guard_fields) in its own hash beside pb and etag.
//
// (Before 2026-11-27 the values were chunked indexes "unique:<index>" / "lookup:<index>":
// MigrateValueIndexes in value_index_migration.h converts a store written then.)
//
// Writes are one RecordWrite each (record_write.h): guards (requestId unused, record absent or at
// the expected etag, unique values unclaimed), then the record, its index entries and its message.
// An update reads the current record first (to know the entries to move) and guards the write on
// its etag, so the entries removed are exactly those written with it.
//
// Memory, measured on Redis 7.0 (tests/storage, MemoryPerRecordIsLogged): a list entry costs
// ~50 bytes with the default zset-max-listpack-* settings, an exact-index entry ~90. A record's
// hash is a listpack only while its protobuf bytes fit hash-max-listpack-value: with the default
// (64) a 293-byte record's key costs 584 bytes, with 1024 it costs 424. So a ~300-byte record with
// a region entry, a unique value and a lookup value costs ~590 bytes in all once
// hash-max-listpack-value is raised.
//
// Lists read index members and their records in one script (one round trip) per batch; with a
// filter, batches repeat until the page is full or kMaxListScan members were read.
//
// Thread-safe (RedisClient is).

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/redis/redis_client.h"
#include "common/status/status_macros.h"
#include "common/storage/indexed_record_store.h"
#include "common/storage/lex_index.h"
#include "common/storage/proto_record_store.h"
#include "common/storage/record_indexing.h"
#include "common/storage/record_keys.h"
#include "common/storage/record_write.h"
#include "google/protobuf/message.h"
#include "wahana/common/v1/message.pb.h"

namespace wahana {

// ListQuery over google::protobuf::Message, for the untyped store.
using UntypedListQuery = ListQuery<google::protobuf::Message>;

// Write commands a create or update runs in its own atomic write, after the record's commands and
// before its message: a service's data that must change with the record (the case service appends
// to a case's history). Each an argument vector whose second element is its key, sharing the
// record's hash tag. They run only when every guard passed.
using ExtraCommands = std::vector<std::vector<std::string>>;

// A hash field a create requires, checked with the store's own guards in its atomic write
// (RecordWrite::RequireHashFieldMatches): e.g. a service's projection of another service's records
// must know a record the new one names. `key` shares the record's hash tag.
struct FieldCondition {
  std::string key;
  std::string field;
  // A Lua pattern (string.find) the value must match; "" accepts any value (the field exists).
  std::string pattern;
};

// A number drawn for a new record in its own atomic write (RecordWrite::DrawNumber): the counter
// `counter` is INCRed once every guard passed, and the value written as `width` (1-9)
// zero-padded digits (more digits once the counter passes them: then the store writes a second
// time, the value still drawn once).
struct Numbering {
  std::string counter;
  int width = 6;
};

// The outcome of CreateChecked: the create's, unless a condition failed (nothing written).
struct CheckedCreate {
  // The index of the first condition that failed, or -1.
  int failed_condition = -1;
  // What that condition's field held (nullopt: the field was absent).
  std::optional<std::string> found;
  // When no condition failed: false when an earlier create with the requestId made the record.
  bool created = false;
};

// What a numbered create is made of, for the number whose digits it is given.
template <typename Record>
struct NewRecord {
  Record record;
  wahana::common::v1::Envelope created;
  ExtraCommands extra;
};

// The untyped half of IndexedProtoRecordStore: the Redis code compiled once for all kinds.
// Records are read and written through reflection on their `id` and `etag` string fields. Use
// IndexedProtoRecordStore.
class UntypedIndexedProtoRecordStore {
 public:
  // `redis` must outlive the store. `indexing.region_code` and `indexing.archived` are required.
  UntypedIndexedProtoRecordStore(RedisClient& redis, RecordKeys keys,
                                 UntypedRecordIndexing indexing);

  // IndexedRecordStore::Create into `*stored`; false when an earlier create with `request_id` made
  // it.
  absl::StatusOr<bool> Create(const google::protobuf::Message& record,
                              const wahana::common::v1::Envelope& created,
                              const std::string& request_id, google::protobuf::Message* stored,
                              const ExtraCommands& extra = {},
                              const std::vector<WriteCondition>& conditions = {});
  // Builds the create of a record for a number's `digits` ("" when the create draws none).
  using CreateBuild =
      std::function<absl::Status(const std::string& digits, google::protobuf::Message* record,
                                 wahana::common::v1::Envelope* created, ExtraCommands* extra)>;
  // IndexedProtoRecordStore::CreateChecked into `*stored` (`stored` must be a new instance of the
  // record's type).
  absl::StatusOr<CheckedCreate> CreateChecked(const std::string& request_id,
                                              const std::vector<FieldCondition>& conditions,
                                              const Numbering* numbering, const CreateBuild& build,
                                              google::protobuf::Message* stored);
  absl::Status Get(const std::string& id, google::protobuf::Message* record);
  absl::StatusOr<bool> FindByRequestId(const std::string& request_id,
                                       google::protobuf::Message* record);
  // IndexedRecordStore::Update, or Archive when `archive`; `as_read` as UpdateIf's.
  absl::Status Update(const google::protobuf::Message& updated, const std::string& expected_etag,
                      const wahana::common::v1::Envelope& changed, bool archive,
                      const ExtraCommands& extra = {},
                      const std::vector<WriteCondition>& conditions = {},
                      const google::protobuf::Message* as_read = nullptr);
  // IndexedRecordStore::Counts.
  absl::StatusOr<std::vector<int64_t>> Counts(const std::vector<std::string>& names);
  // IndexedRecordStore::List; records are new instances of `prototype`'s type.
  absl::Status List(const UntypedListQuery& query, const google::protobuf::Message& prototype,
                    std::vector<std::unique_ptr<google::protobuf::Message>>* records,
                    std::string* next_page_token);
  // IndexedRecordStore::FindUnique into `*record`; false for nullopt.
  absl::StatusOr<bool> FindUnique(const std::string& index, const std::string& value,
                                  google::protobuf::Message* record);
  // IndexedRecordStore::FindIndexed.
  absl::Status FindIndexed(const std::string& index, const std::string& value, int limit,
                           const google::protobuf::Message& prototype,
                           std::vector<std::unique_ptr<google::protobuf::Message>>* records);

  RedisClient& redis() const { return base_.redis(); }
  const RecordKeys& keys() const { return base_.keys(); }

 private:
  struct Entry;
  struct Row;
  struct CreatePlan;
  // The atomic write of a create (its guards: the requestId, the record, unique claims, then
  // `conditions`) into `*plan`.
  absl::Status PlanCreate(const google::protobuf::Message& record,
                          const wahana::common::v1::Envelope& created,
                          const std::string& request_id, const ExtraCommands& extra,
                          const std::vector<WriteCondition>& conditions, CreatePlan* plan) const;
  // The outcome of `plan`'s write: `stored` is the record stored, or the earlier one.
  absl::StatusOr<CheckedCreate> FinishCreate(const CreatePlan& plan,
                                             const AtomicWriteResult& result,
                                             const std::string& request_id,
                                             google::protobuf::Message* stored);
  absl::StatusOr<std::vector<Entry>> EntriesOf(const google::protobuf::Message& record,
                                               const std::string& id) const;
  // Up to `limit` members of `dirs` (merged in order) within `range`, each with its record.
  absl::StatusOr<std::vector<Row>> Read(const std::vector<std::string>& dirs, const LexRange& range,
                                        int limit);
  // Up to `limit` holders of `value` in the exact index `index_key`, each with its record.
  absl::StatusOr<std::vector<Row>> ReadExact(const std::string& index_key, const std::string& value,
                                             int limit);
  absl::Status ParseRow(const Row& row, google::protobuf::Message* record) const;
  static void AddEntry(const Entry& entry, const std::string& id, RecordWrite& write);
  static void RemoveEntry(const Entry& entry, const std::string& id, RecordWrite& write);

  UntypedProtoRecordStore base_;
  const UntypedRecordIndexing indexing_;
};

// The keys of a store's exact indexes (the unique values / looked-up values named `index`).
std::string UniqueIndexKey(const RecordKeys& keys, absl::string_view index);
std::string LookupIndexKey(const RecordKeys& keys, absl::string_view index);
// The key of a store's counter `name` (RecordIndexing::counted): a string holding an integer.
std::string CounterKey(const RecordKeys& keys, absl::string_view name);

// `Record` as in record_store.h (string `id` and `etag`). `Base` is IndexedRecordStore<Record> or
// an interface derived from it that adds a service's own operations.
template <typename Record, typename Base = IndexedRecordStore<Record>>
class IndexedProtoRecordStore : public Base {
  static_assert(std::is_base_of_v<IndexedRecordStore<Record>, Base>,
                "Base must be IndexedRecordStore<Record> or derived from it");

 public:
  // `redis` must outlive the store.
  IndexedProtoRecordStore(RedisClient& redis, RecordKeys keys, RecordIndexing<Record> indexing)
      : untyped_(redis, std::move(keys), ToUntyped(std::move(indexing))) {}

  absl::StatusOr<CreateResult<Record>> Create(const Record& record,
                                              const wahana::common::v1::Envelope& created,
                                              const std::string& request_id) override {
    CreateResult<Record> result;
    WAHANA_ASSIGN_OR_RETURN(result.created,
                            untyped_.Create(record, created, request_id, &result.stored));
    return result;
  }

  absl::StatusOr<Record> Get(const std::string& id) override {
    Record record;
    WAHANA_RETURN_IF_ERROR(untyped_.Get(id, &record));
    return record;
  }

  absl::StatusOr<std::optional<Record>> FindByRequestId(const std::string& request_id) override {
    Record record;
    WAHANA_ASSIGN_OR_RETURN(bool found, untyped_.FindByRequestId(request_id, &record));
    if (!found) return std::optional<Record>();
    return std::optional<Record>(std::move(record));
  }

  absl::StatusOr<Record> Update(const Record& updated, const std::string& expected_etag,
                                const wahana::common::v1::Envelope& changed) override {
    WAHANA_RETURN_IF_ERROR(untyped_.Update(updated, expected_etag, changed, false));
    return updated;
  }

  absl::StatusOr<Record> Archive(const Record& archived, const std::string& expected_etag,
                                 const wahana::common::v1::Envelope& changed) override {
    WAHANA_RETURN_IF_ERROR(untyped_.Update(archived, expected_etag, changed, true));
    return archived;
  }

  // Create and Update that also run `extra` in their atomic write (ExtraCommands).
  absl::StatusOr<CreateResult<Record>> CreateWith(const Record& record,
                                                  const wahana::common::v1::Envelope& created,
                                                  const std::string& request_id,
                                                  const ExtraCommands& extra) {
    CreateResult<Record> result;
    WAHANA_ASSIGN_OR_RETURN(result.created,
                            untyped_.Create(record, created, request_id, &result.stored, extra));
    return result;
  }
  // A create that also requires `conditions` (FieldCondition, checked after the store's own
  // guards: a retried requestId answers the earlier record whatever they say) and, with
  // `numbering`, draws a number in the same atomic write: one round trip. `build(digits)` makes
  // the record, its message and extra commands with the number's `digits` wherever the number
  // goes (build(""), once, without `numbering`). With numbering it is called with two
  // placeholders (and once more with the digits drawn when they outgrow the width), and must be
  // deterministic: the same create each time but for those digits (INTERNAL otherwise). The
  // stored record answered is the one written, with the digits drawn. A failed condition writes
  // nothing and draws no number: failed_condition and found say which and why, and `stored` is left
  // empty.
  absl::StatusOr<std::pair<CheckedCreate, Record>> CreateChecked(
      const std::string& request_id, const std::vector<FieldCondition>& conditions,
      const Numbering* numbering,
      const std::function<absl::StatusOr<NewRecord<Record>>(const std::string& digits)>& build) {
    std::pair<CheckedCreate, Record> out;
    WAHANA_ASSIGN_OR_RETURN(
        out.first,
        untyped_.CreateChecked(
            request_id, conditions, numbering,
            [&build](const std::string& digits, google::protobuf::Message* record,
                     wahana::common::v1::Envelope* created, ExtraCommands* extra) -> absl::Status {
              WAHANA_ASSIGN_OR_RETURN(NewRecord<Record> made, build(digits));
              static_cast<Record*>(record)->Swap(&made.record);
              created->Swap(&made.created);
              *extra = std::move(made.extra);
              return absl::OkStatus();
            },
            &out.second));
    return out;
  }
  absl::StatusOr<Record> UpdateWith(const Record& updated, const std::string& expected_etag,
                                    const wahana::common::v1::Envelope& changed,
                                    const ExtraCommands& extra) {
    WAHANA_RETURN_IF_ERROR(untyped_.Update(updated, expected_etag, changed, false, extra));
    return updated;
  }

  absl::StatusOr<CreateResult<Record>> CreateIf(
      const Record& record, const wahana::common::v1::Envelope& created,
      const std::string& request_id, const std::vector<WriteCondition>& conditions) override {
    CreateResult<Record> result;
    WAHANA_ASSIGN_OR_RETURN(result.created, untyped_.Create(record, created, request_id,
                                                            &result.stored, {}, conditions));
    return result;
  }
  absl::StatusOr<Record> UpdateIf(const Record& updated, const std::string& expected_etag,
                                  const wahana::common::v1::Envelope& changed,
                                  const std::vector<WriteCondition>& conditions,
                                  const Record* as_read = nullptr) override {
    WAHANA_RETURN_IF_ERROR(
        untyped_.Update(updated, expected_etag, changed, false, {}, conditions, as_read));
    return updated;
  }
  absl::StatusOr<std::vector<int64_t>> Counts(const std::vector<std::string>& names) override {
    return untyped_.Counts(names);
  }

  absl::StatusOr<ListPage<Record>> List(const ListQuery<Record>& query) override {
    UntypedListQuery untyped;
    untyped.region_prefix = query.region_prefix;
    untyped.view = query.view;
    untyped.include_archived = query.include_archived;
    untyped.page_size = query.page_size;
    untyped.page_token = query.page_token;
    untyped.filter_key = query.filter_key;
    if (query.filter) {
      untyped.filter = [&query](const google::protobuf::Message& m) {
        return query.filter(static_cast<const Record&>(m));
      };
    }
    std::vector<std::unique_ptr<google::protobuf::Message>> records;
    ListPage<Record> page;
    WAHANA_RETURN_IF_ERROR(
        untyped_.List(untyped, Record::default_instance(), &records, &page.next_page_token));
    page.records = Typed(std::move(records));
    return page;
  }

  absl::StatusOr<std::optional<Record>> FindUnique(const std::string& index,
                                                   const std::string& value) override {
    Record record;
    WAHANA_ASSIGN_OR_RETURN(bool found, untyped_.FindUnique(index, value, &record));
    if (!found) return std::optional<Record>();
    return std::optional<Record>(std::move(record));
  }

  absl::StatusOr<std::vector<Record>> FindIndexed(const std::string& index,
                                                  const std::string& value, int limit) override {
    std::vector<std::unique_ptr<google::protobuf::Message>> records;
    WAHANA_RETURN_IF_ERROR(
        untyped_.FindIndexed(index, value, limit, Record::default_instance(), &records));
    return Typed(std::move(records));
  }

 protected:
  RedisClient& redis() const { return untyped_.redis(); }
  const RecordKeys& keys() const { return untyped_.keys(); }

 private:
  static std::vector<Record> Typed(std::vector<std::unique_ptr<google::protobuf::Message>> in) {
    std::vector<Record> out(in.size());
    for (size_t i = 0; i < in.size(); ++i) out[i].Swap(static_cast<Record*>(in[i].get()));
    return out;
  }

  UntypedIndexedProtoRecordStore untyped_;
};

}  // namespace wahana
