#pragma once
// Fakes for the logic tests of record services (case, event, ...): a RecordStore in memory and a
// region directory whose registry is down. Header-only: unit test targets only add tests/ to
// their include path.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/region/region_directory.h"
#include "common/storage/record_store.h"
#include "wahana/common/v1/message.pb.h"

namespace wahana::testing {

// Keeps records, requestIds and published messages in memory, with the contract of
// RecordStore. `Base` is RecordStore<Record> or an interface derived from it; a test derives from
// InMemoryRecordStore<Record, Base> to implement what Base adds.
template <typename Record, typename Base = RecordStore<Record>>
class InMemoryRecordStore : public Base {
 public:
  absl::StatusOr<CreateResult<Record>> Create(const Record& record,
                                              const wahana::common::v1::Envelope& created,
                                              const std::string& request_id) override {
    if (!request_id.empty()) {
      auto it = requests.find(request_id);
      if (it != requests.end()) return CreateResult<Record>{records.at(it->second), false};
      requests[request_id] = record.id();
    }
    records[record.id()] = record;
    published.push_back(created);
    return CreateResult<Record>{record, true};
  }

  absl::StatusOr<Record> Get(const std::string& id) override {
    auto it = records.find(id);
    if (it == records.end()) {
      return absl::NotFoundError(absl::StrCat(Record::descriptor()->name(), " ", id, " not found"));
    }
    return it->second;
  }

  absl::StatusOr<std::optional<Record>> FindByRequestId(const std::string& request_id) override {
    auto it = requests.find(request_id);
    if (it == requests.end()) return std::optional<Record>();
    return std::optional<Record>(records.at(it->second));
  }

  std::map<std::string, Record> records;        // by id
  std::map<std::string, std::string> requests;  // requestId -> id
  std::vector<wahana::common::v1::Envelope> published;
};

// Every lookup is UNAVAILABLE, as when the registry is down.
class UnavailableRegionDirectory : public RegionDirectory {
 public:
  absl::StatusOr<RegionInfo> GetRegion(absl::string_view code, absl::string_view field) override {
    return absl::UnavailableError(absl::StrCat(field, ": registry unavailable"));
  }
};

}  // namespace wahana::testing
