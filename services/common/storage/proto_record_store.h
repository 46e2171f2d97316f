#pragma once
// RecordStore on Redis, for any kind of record (keys in record_keys.h).
//
// A record is a hash {pb: the protobuf bytes, etag: its version}. The protobuf bytes are the
// record: one HGET returns it whole, it is the same message the API answers and the stream
// carries, and fields added to the .proto need no storage code. The etag is repeated as a plain
// field so that an update can guard on it inside its atomic write
// (AtomicWrite::RequireHashField(keys.Record(id), kRecordEtagField, <the etag the client read>))
// without decoding protobuf in Lua.
//
// A create writes the record, its requestId key (when given) and its message in one AtomicWrite,
// guarded by the requestId key's absence: of two creates with one requestId, however they race,
// exactly one writes and both answer its record.
//
// Error messages name the kind: "case 01J... not found".
//
// Thread-safe (RedisClient is).

#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/redis/redis_client.h"
#include "common/status/status_macros.h"
#include "common/storage/record_keys.h"
#include "common/storage/record_store.h"
#include "google/protobuf/message.h"
#include "wahana/common/v1/message.pb.h"

namespace wahana {

// The fields of a record's hash.
inline constexpr char kRecordPbField[] = "pb";
inline constexpr char kRecordEtagField[] = "etag";

// How long a requestId is remembered; a retry later than this creates a second record.
inline constexpr int kRequestIdTtlSeconds = 7 * 24 * 3600;

// The untyped half of ProtoRecordStore: the same operations on google::protobuf::Message, so the
// Redis code is compiled once for all kinds. Use ProtoRecordStore.
class UntypedProtoRecordStore {
 public:
  // `redis` must outlive the store.
  UntypedProtoRecordStore(RedisClient& redis, RecordKeys keys);

  // RecordStore::Create. `id` and `etag` are those of `record`. Sets `*stored` to the stored
  // record; returns false when an earlier create with `request_id` made it.
  absl::StatusOr<bool> Create(const google::protobuf::Message& record, const std::string& id,
                              const std::string& etag, const wahana::common::v1::Envelope& created,
                              const std::string& request_id, google::protobuf::Message* stored);
  // RecordStore::Get, into `*record`.
  absl::Status Get(const std::string& id, google::protobuf::Message* record);
  // RecordStore::FindByRequestId, into `*record`; false for nullopt.
  absl::StatusOr<bool> FindByRequestId(const std::string& request_id,
                                       google::protobuf::Message* record);

  RedisClient& redis() const { return redis_; }
  const RecordKeys& keys() const { return keys_; }

 private:
  // Get of the record a requestId key points at: INTERNAL when it is missing.
  absl::Status GetRequested(const std::string& request_id, const std::string& id,
                            google::protobuf::Message* record);

  RedisClient& redis_;
  const RecordKeys keys_;
};

// `Record` as in record_store.h. `Base` is RecordStore<Record> or an interface derived from it
// that adds a service's own operations (the case service's sequences): derive from
// ProtoRecordStore<Record, Base> and implement those with redis() and keys().
template <typename Record, typename Base = RecordStore<Record>>
class ProtoRecordStore : public Base {
  static_assert(std::is_base_of_v<RecordStore<Record>, Base>,
                "Base must be RecordStore<Record> or derived from it");

 public:
  // `redis` must outlive the store.
  ProtoRecordStore(RedisClient& redis, RecordKeys keys) : untyped_(redis, std::move(keys)) {}

  absl::StatusOr<CreateResult<Record>> Create(const Record& record,
                                              const wahana::common::v1::Envelope& created,
                                              const std::string& request_id) override {
    CreateResult<Record> result;
    WAHANA_ASSIGN_OR_RETURN(result.created, untyped_.Create(record, record.id(), record.etag(),
                                                            created, request_id, &result.stored));
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

 protected:
  RedisClient& redis() const { return untyped_.redis(); }
  const RecordKeys& keys() const { return untyped_.keys(); }

 private:
  UntypedProtoRecordStore untyped_;
};

}  // namespace wahana
