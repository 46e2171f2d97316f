#pragma once
// Where the records of one kind are kept: the interface a service's logic depends on
// (ProtoRecordStore on Redis in production, an in-memory fake in the logic's tests).
//
// `Record` is a generated protobuf message with the fields `string id` (a time-ordered id the
// logic sets) and `string etag` (the record's version, see EtagOf).

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "wahana/common/v1/message.pb.h"

namespace wahana {

// A record's version: kFirstVersion when created, one more with each change. Its etag is the
// version in decimal: what a client sends back with an update, what the store guards that update
// on (a stale one is ABORTED), and the aggregate_version of the message announcing the change.
inline constexpr int64_t kFirstVersion = 1;
inline std::string EtagOf(int64_t version) { return std::to_string(version); }
// The version an etag stands for; nullopt when `etag` is not one (a client's garbage).
inline std::optional<int64_t> VersionOfEtag(const std::string& etag) {
  int64_t version = 0;
  if (!absl::SimpleAtoi(etag, &version) || version < kFirstVersion || EtagOf(version) != etag) {
    return std::nullopt;
  }
  return version;
}

template <typename Record>
struct CreateResult {
  // The stored record: the new one, or the one an earlier create with the same requestId made.
  Record stored;
  // False when the requestId had been seen: nothing was written.
  bool created = false;
};

template <typename Record>
class RecordStore {
 public:
  virtual ~RecordStore() = default;

  // Stores `record` and appends `created` (the message announcing it) in one atomic step: both or
  // neither. With a non-empty `request_id` already used by an earlier create, writes nothing and
  // returns that earlier record with created == false.
  virtual absl::StatusOr<CreateResult<Record>> Create(const Record& record,
                                                      const wahana::common::v1::Envelope& created,
                                                      const std::string& request_id) = 0;

  // The record with `id`; NOT_FOUND when there is none.
  virtual absl::StatusOr<Record> Get(const std::string& id) = 0;

  // The record an earlier create with `request_id` made, or nullopt.
  virtual absl::StatusOr<std::optional<Record>> FindByRequestId(const std::string& request_id) = 0;

  // All errors: UNAVAILABLE when storage cannot be reached, INTERNAL for corrupt data.
};

}  // namespace wahana
