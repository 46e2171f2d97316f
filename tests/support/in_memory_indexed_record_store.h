#pragma once
// An IndexedRecordStore in memory, for the logic tests of services whose records are listed,
// updated and archived (the registry's). It keeps the contract of IndexedProtoRecordStore, driven
// by the same RecordIndexing: etag checks and version rules, unique claims kept through archive,
// region-prefix lists in the same order, page tokens of the same form (a token of one is
// accepted by the other), filters with the same scan budget. Header-only.
//
// Not thread-safe. Seed records through Create (unique claims are kept beside `records`). Set
// `unavailable` to make every call fail with it (storage down).

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/storage/indexed_record_store.h"
#include "common/storage/lex_index.h"
#include "common/storage/page_token.h"
#include "common/storage/record_indexing.h"
#include "common/storage/record_requests.h"
#include "wahana/common/v1/message.pb.h"

namespace wahana::testing {

template <typename Record, typename Base = IndexedRecordStore<Record>>
class InMemoryIndexedRecordStore : public Base {
 public:
  // `kind` names the records in error messages, as RecordKeys::kind() does.
  InMemoryIndexedRecordStore(std::string kind, RecordIndexing<Record> indexing)
      : kind_(std::move(kind)), indexing_(std::move(indexing)) {}

  absl::StatusOr<CreateResult<Record>> Create(const Record& record,
                                              const wahana::common::v1::Envelope& created,
                                              const std::string& request_id) override {
    if (!unavailable.ok()) return unavailable;
    if (!request_id.empty()) {
      auto it = requests.find(request_id);
      if (it != requests.end()) return CreateResult<Record>{records.at(it->second), false};
    }
    if (auto status = CheckVersion(record, created); !status.ok()) return status;
    if (records.count(record.id())) {
      return absl::AlreadyExistsError(absl::StrCat(kind_, " ", record.id(), " already exists"));
    }
    if (auto status = CheckClaims(record); !status.ok()) return status;
    records[record.id()] = record;
    for (const IndexValue& v : Values(indexing_.unique, record)) {
      claims_[{v.index, v.value}] = record.id();
    }
    if (!request_id.empty()) requests[request_id] = record.id();
    published.push_back(created);
    return CreateResult<Record>{record, true};
  }

  absl::StatusOr<Record> Get(const std::string& id) override {
    if (!unavailable.ok()) return unavailable;
    auto it = records.find(id);
    if (it == records.end()) return absl::NotFoundError(absl::StrCat(kind_, " ", id, " not found"));
    return it->second;
  }

  absl::StatusOr<std::optional<Record>> FindByRequestId(const std::string& request_id) override {
    if (!unavailable.ok()) return unavailable;
    auto it = requests.find(request_id);
    if (it == requests.end()) return std::optional<Record>();
    return std::optional<Record>(records.at(it->second));
  }

  absl::StatusOr<Record> Update(const Record& updated, const std::string& expected_etag,
                                const wahana::common::v1::Envelope& changed) override {
    return Change(updated, expected_etag, changed, false);
  }

  absl::StatusOr<Record> Archive(const Record& archived, const std::string& expected_etag,
                                 const wahana::common::v1::Envelope& changed) override {
    return Change(archived, expected_etag, changed, true);
  }

  absl::StatusOr<ListPage<Record>> List(const ListQuery<Record>& query) override {
    if (!unavailable.ok()) return unavailable;
    absl::StatusOr<int> page_size = ResolvePageSize(query.page_size);
    if (!page_size.ok()) return page_size.status();
    const std::string query_key = ListQueryKey(kind_, query.region_prefix, query.view,
                                               query.include_archived, query.filter_key);
    const LexRange range = RegionPrefixRange(query.region_prefix);
    LexRange from = range;
    if (!query.page_token.empty()) {
      absl::StatusOr<std::string> position = DecodePageToken(query.page_token, query_key);
      if (!position.ok()) return position.status();
      if (!InLexRange(range, *position)) {
        return absl::InvalidArgumentError("pageToken: not a page token of this list");
      }
      from = ResumeAfter(range, *position);
    }
    std::vector<std::pair<std::string, const Record*>> listed;
    for (const auto& [id, record] : records) {
      if (indexing_.archived(record) && !query.include_archived) continue;
      if (!query.view.empty()) {
        std::vector<std::string> views =
            indexing_.views ? indexing_.views(record) : std::vector<std::string>();
        if (std::find(views.begin(), views.end(), query.view) == views.end()) continue;
      }
      std::string member = IndexMember(RegionIndexValue(indexing_.region_code(record)), id);
      if (InLexRange(from, member)) listed.emplace_back(std::move(member), &record);
    }
    std::sort(listed.begin(), listed.end());

    ListPage<Record> page;
    std::vector<std::string> members;
    int read = 0;
    for (const auto& [member, record] : listed) {
      if (query.filter && read == kMaxListScan) {
        page.next_page_token = EncodePageToken(query_key, listed[read - 1].first);
        return page;
      }
      ++read;
      if (query.filter && !query.filter(*record)) continue;
      if (static_cast<int>(page.records.size()) == *page_size) {
        page.next_page_token = EncodePageToken(query_key, members.back());
        return page;
      }
      page.records.push_back(*record);
      members.push_back(member);
    }
    return page;
  }

  absl::StatusOr<std::optional<Record>> FindUnique(const std::string& index,
                                                   const std::string& value) override {
    if (!unavailable.ok()) return unavailable;
    auto it = claims_.find({index, value});
    if (value.empty() || it == claims_.end()) return std::optional<Record>();
    return std::optional<Record>(records.at(it->second));
  }

  absl::StatusOr<std::vector<Record>> FindIndexed(const std::string& index,
                                                  const std::string& value, int limit) override {
    if (!unavailable.ok()) return unavailable;
    if (limit < 1 || limit > kMaxPageSize) {
      return absl::InvalidArgumentError(absl::StrCat("limit: 1 to ", kMaxPageSize));
    }
    std::vector<Record> out;
    for (const auto& [id, record] : records) {  // by id, as the index orders them
      if (static_cast<int>(out.size()) == limit || value.empty()) break;
      for (const IndexValue& v : Values(indexing_.lookup, record)) {
        if (v.index == index && v.value == value) {
          out.push_back(record);
          break;
        }
      }
    }
    return out;
  }

  std::map<std::string, Record> records;        // by id
  std::map<std::string, std::string> requests;  // requestId -> id
  std::vector<wahana::common::v1::Envelope> published;
  absl::Status unavailable;

 private:
  using Claim = std::pair<std::string, std::string>;  // index, value

  static std::vector<IndexValue> Values(
      const std::function<std::vector<IndexValue>(const Record&)>& f, const Record& record) {
    std::vector<IndexValue> out;
    if (!f) return out;
    for (IndexValue& v : f(record)) {
      if (!v.value.empty()) out.push_back(std::move(v));
    }
    return out;
  }

  absl::Status CheckVersion(const Record& record, const wahana::common::v1::Envelope& message) {
    std::optional<int64_t> version = VersionOfEtag(record.etag());
    if (record.id().empty() || !version || message.aggregate_id() != record.id() ||
        message.aggregate_version() != *version) {
      return absl::InternalError(absl::StrCat(kind_, " ", record.id(), " etag \"", record.etag(),
                                              "\" and its message disagree"));
    }
    return absl::OkStatus();
  }

  // ALREADY_EXISTS for the first value of `record` another record holds.
  absl::Status CheckClaims(const Record& record) {
    for (const IndexValue& v : Values(indexing_.unique, record)) {
      auto it = claims_.find({v.index, v.value});
      if (it != claims_.end() && it->second != record.id()) {
        return UniqueConflictError(kind_, {v.index, it->second});
      }
    }
    return absl::OkStatus();
  }

  absl::StatusOr<Record> Change(const Record& updated, const std::string& expected_etag,
                                const wahana::common::v1::Envelope& changed, bool archive) {
    if (!unavailable.ok()) return unavailable;
    auto it = records.find(updated.id());
    if (it == records.end()) {
      return absl::NotFoundError(absl::StrCat(kind_, " ", updated.id(), " not found"));
    }
    Record& current = it->second;
    if (current.etag() != expected_etag) {
      return StaleEtagError(kind_, updated.id(), expected_etag, current.etag());
    }
    absl::StatusOr<std::string> next = NextEtag(expected_etag);
    if (!next.ok()) return next.status();
    if (updated.etag() != *next) {
      return absl::InternalError(absl::StrCat(kind_, " ", updated.id(), ": etag is not ", *next));
    }
    if (auto status = CheckVersion(updated, changed); !status.ok()) return status;
    if (archive && indexing_.archived(current)) {
      return absl::FailedPreconditionError(
          absl::StrCat(kind_, " ", updated.id(), " is already archived"));
    }
    if (archive && !indexing_.archived(updated)) {
      return absl::InternalError(absl::StrCat("archive of ", kind_, " ", updated.id(),
                                              ": the record is not marked archived"));
    }
    if (auto status = CheckClaims(updated); !status.ok()) return status;
    for (const IndexValue& v : Values(indexing_.unique, current)) claims_.erase({v.index, v.value});
    current = updated;
    for (const IndexValue& v : Values(indexing_.unique, current)) {
      claims_[{v.index, v.value}] = current.id();
    }
    published.push_back(changed);
    return current;
  }

  const std::string kind_;
  const RecordIndexing<Record> indexing_;
  std::map<Claim, std::string> claims_;  // -> holder id
};

}  // namespace wahana::testing
