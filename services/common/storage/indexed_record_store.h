#pragma once
// Where records that are listed, changed and archived are kept (the registry's institutions,
// networks, workers, beneficiaries, households): RecordStore plus update, archive, lists by region
// and look-ups by value. The interface a service's logic depends on (IndexedProtoRecordStore on
// Redis in production, an in-memory fake in the logic's tests). How a kind is indexed is its
// RecordIndexing (record_indexing.h).
//
// Every change writes the record, its index entries, its unique claims and its message in one
// atomic step: all or nothing, and a change based on a stale etag writes nothing. Versions: a
// record is created at kFirstVersion; each change is based on the current version (its etag, the
// "expected etag") and makes the next one: the changed record carries EtagOf(next) and its message
// the aggregate_version next (see NextEtag, ChangedFacts in record_requests.h).
//
// Lists are by region code prefix, in region-code order then by id. Filtering beyond the region
// comes two ways, chosen per filter by the kind's logic:
//  - a view (RecordIndexing::views): a list of its own, maintained with the record. Pages are
//    always full and cost what an unfiltered page costs, whatever the share of matches; each
//    record costs ~50 bytes of Redis memory per view it is in. For the filters clients use on
//    their own (an institution's kind, a network's stage).
//  - a filter (ListQuery::filter): any predicate, applied to the records as they are read, at no
//    memory cost. The store reads ahead to fill the page but stops after kMaxListScan records, so
//    a rare match answers short pages (with a token) instead of scanning a whole district. For
//    filters that combine with a view or that match a good share of the records.
//
// A unique value claimed by another record is ALREADY_EXISTS "<index>: already used by <kind>
// <id>"; UniqueConflictOf gives the index and the holder's id. A repeated requestId is answered
// before any unique value is checked (a retry returns the first record).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/storage/page_token.h"
#include "common/storage/record_store.h"
#include "wahana/common/v1/message.pb.h"

namespace wahana {

// Index members a List with a filter reads at most before it answers (then with a short page and
// a token that continues after the last member read).
inline constexpr int kMaxListScan = 5000;

template <typename Record>
struct ListQuery {
  // A region code: the records in it and in the regions under it ("16.06.01" lists the
  // kecamatan, never "16.06.010..."); "" lists all. Checked by the caller (a known code).
  std::string region_prefix;
  // "" for the main list, or one of the kind's views (RecordIndexing::views).
  std::string view;
  bool include_archived = false;
  // As the client asked: 0 means kDefaultPageSize; more than kMaxPageSize is INVALID_ARGUMENT.
  int page_size = 0;
  // The previous page's next_page_token, or "" for the first page.
  std::string page_token;
  // Optional: only records it accepts are answered. Applied as records are read (see
  // kMaxListScan); a filter that must stay fast for rare matches deserves a view instead.
  std::function<bool(const Record&)> filter;
  // Names `filter` with its parameters ("status=ACTIVE"): a page token is accepted only by the
  // same region, view, include_archived and filter_key.
  std::string filter_key;
};

template <typename Record>
struct ListPage {
  // In region-code order, then by id (creation order within a region).
  std::vector<Record> records;
  // "" when the list is complete. May come with fewer records than asked (even none) when a
  // filter read kMaxListScan members: the client asks again with the token.
  std::string next_page_token;
};

// Records present throughout a walk over all pages appear exactly once; records added or changed
// during the walk appear at most once (where their region code puts them at the time).

// What a page token of a list of `kind` is bound to (page_token.h): every field of the query that
// selects records, not the page size.
std::string ListQueryKey(absl::string_view kind, const std::string& region_prefix,
                         const std::string& view, bool include_archived,
                         const std::string& filter_key);

// A unique value already claimed: which index, and the record that holds it.
struct UniqueConflict {
  std::string index;
  std::string holder_id;
};
// ALREADY_EXISTS "<index>: already used by <kind> <holder>", carrying `conflict` for
// UniqueConflictOf. The value itself is not repeated (it may be personal: a NIK).
absl::Status UniqueConflictError(absl::string_view kind, const UniqueConflict& conflict);
// The conflict an ALREADY_EXISTS from UniqueConflictError carries; nullopt for any other status.
std::optional<UniqueConflict> UniqueConflictOf(const absl::Status& status);

// A condition a write must meet inside its own atomic step, on keys beside the record's (they
// share its hash tag): another record's guard field (RecordIndexing::guard_fields), or a counter
// (RecordIndexing::counted) against a limit. When one fails nothing is written and the write
// answers its `refusal`. Built with FieldMatches / CountWithin.
struct WriteCondition {
  enum class Kind { kFieldMatches, kCountWithin };
  Kind kind = Kind::kFieldMatches;
  // kFieldMatches: the hash `key`'s `field` matches `pattern`, a Lua pattern (anchor it: ^...$).
  // kCountWithin: the counter `key` plus `adding` (what this write adds to it) stays at most the
  // limit: `limit`, or with `limit_key` set, the integer in that hash's `limit_field`. A limit of
  // 0 or less, or an absent limit field, is no limit.
  std::string key;
  std::string field;
  std::string pattern;
  int64_t adding = 0;
  int64_t limit = 0;
  std::string limit_key;
  std::string limit_field;
  absl::Status refusal;

  static WriteCondition FieldMatches(std::string key, std::string field, std::string pattern,
                                     absl::Status refusal);
  static WriteCondition CountWithin(std::string counter_key, int64_t adding, int64_t limit,
                                    absl::Status refusal);
  static WriteCondition CountWithinField(std::string counter_key, int64_t adding,
                                         std::string limit_key, std::string limit_field,
                                         absl::Status refusal);
};

template <typename Record>
class IndexedRecordStore : public RecordStore<Record> {
 public:
  // RecordStore::Create, which also claims the record's unique values (ALREADY_EXISTS when one is
  // another record's, nothing written) and lists it.

  // Replaces the record `updated.id()` by `updated` (etag: the next version) with the message
  // `changed`, if the stored record is still at `expected_etag`. Releases the unique values it no
  // longer has, claims the new ones, moves its index entries. Returns the stored record.
  // NOT_FOUND when there is no such record; ABORTED "etag: stale ..." when it is at another
  // version (nothing written); ALREADY_EXISTS for a claimed value; INTERNAL when `updated` or
  // `changed` does not carry the next version. An archived record may be updated too (whether it
  // may is the logic's call): it stays in the archived lists while `updated` is marked archived,
  // and returns to the live ones when it is not (a restore).
  virtual absl::StatusOr<Record> Update(const Record& updated, const std::string& expected_etag,
                                        const wahana::common::v1::Envelope& changed) = 0;

  // Update for an archive: `archived` is the record marked archived (RecordIndexing::archived:
  // the caller sets its archive time). It stays readable by Get, leaves the live lists for the
  // archived ones and keeps its unique values. FAILED_PRECONDITION "<kind> <id> is already
  // archived" when it was; otherwise as Update.
  virtual absl::StatusOr<Record> Archive(const Record& archived, const std::string& expected_etag,
                                         const wahana::common::v1::Envelope& changed) = 0;

  // One page of the records `query` selects. INVALID_ARGUMENT "pageSize: ..." / "pageToken: ...".
  virtual absl::StatusOr<ListPage<Record>> List(const ListQuery<Record>& query) = 0;

  // The record holding the unique `value` in `index` (archived or not), or nullopt.
  virtual absl::StatusOr<std::optional<Record>> FindUnique(const std::string& index,
                                                           const std::string& value) = 0;

  // Up to `limit` (1..kMaxPageSize) records with the lookup `value` in `index`, by id.
  virtual absl::StatusOr<std::vector<Record>> FindIndexed(const std::string& index,
                                                          const std::string& value, int limit) = 0;

  // Create and Update that also require `conditions` in their atomic step (checked after the
  // requestId, the etag and the unique claims): the first that fails is answered as its refusal,
  // nothing written. Stores that cannot check conditions (the in-memory fake) answer
  // UNIMPLEMENTED when there are any.
  virtual absl::StatusOr<CreateResult<Record>> CreateIf(
      const Record& record, const wahana::common::v1::Envelope& created,
      const std::string& request_id, const std::vector<WriteCondition>& conditions) {
    if (!conditions.empty()) return ConditionsUnsupported();
    return this->Create(record, created, request_id);
  }
  // `as_read`, when given, is the record at `expected_etag` exactly as Get returned it (unmasked,
  // unchanged): a store may take it for the stored version instead of reading that again, as
  // long as its write proves it (the Redis store guards on the stored bytes and, when they
  // differ, reads and decides as without it).
  virtual absl::StatusOr<Record> UpdateIf(const Record& updated, const std::string& expected_etag,
                                          const wahana::common::v1::Envelope& changed,
                                          const std::vector<WriteCondition>& conditions,
                                          const Record* as_read = nullptr) {
    (void)as_read;
    if (!conditions.empty()) return ConditionsUnsupported();
    return Update(updated, expected_etag, changed);
  }

  // The values of the counters `names` (RecordIndexing::counted), 0 for one nobody counts in.
  virtual absl::StatusOr<std::vector<int64_t>> Counts(const std::vector<std::string>& names) {
    (void)names;
    return ConditionsUnsupported();
  }

  // All errors: UNAVAILABLE when storage cannot be reached, INTERNAL for corrupt data.

 private:
  static absl::Status ConditionsUnsupported() {
    return absl::UnimplementedError("this store keeps no counters and checks no write conditions");
  }
};

}  // namespace wahana
