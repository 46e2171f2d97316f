#include "common/storage/proto_record_store.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/bus/atomic_write.h"

namespace wahana {

UntypedProtoRecordStore::UntypedProtoRecordStore(RedisClient& redis, RecordKeys keys)
    : redis_(redis), keys_(std::move(keys)) {}

absl::StatusOr<bool> UntypedProtoRecordStore::Create(const google::protobuf::Message& record,
                                                     const std::string& id, const std::string& etag,
                                                     const wahana::common::v1::Envelope& created,
                                                     const std::string& request_id,
                                                     google::protobuf::Message* stored) {
  AtomicWrite write;
  if (!request_id.empty()) write.RequireAbsent(keys_.Request(request_id));
  write.Command({"HSET", keys_.Record(id), kRecordPbField, record.SerializeAsString(),
                 kRecordEtagField, etag});
  if (!request_id.empty()) {
    write.Command(
        {"SET", keys_.Request(request_id), id, "EX", std::to_string(kRequestIdTtlSeconds)});
  }
  write.Publish(keys_.Stream(), created);
  WAHANA_ASSIGN_OR_RETURN(AtomicWriteResult result, write.Execute(redis_));

  if (result.applied) {
    stored->CopyFrom(record);
    return true;
  }
  // Only the requestId guard exists: a concurrent or earlier create with the same requestId won.
  if (result.found_nil) {
    return absl::InternalError(absl::StrCat(keys_.kind(), " create: guard failed without a value"));
  }
  WAHANA_RETURN_IF_ERROR(GetRequested(request_id, result.found, stored));
  return false;
}

absl::Status UntypedProtoRecordStore::Get(const std::string& id,
                                          google::protobuf::Message* record) {
  WAHANA_ASSIGN_OR_RETURN(RedisReply reply,
                          redis_.Command({"HGET", keys_.Record(id), kRecordPbField}));
  if (reply.is_nil()) return absl::NotFoundError(absl::StrCat(keys_.kind(), " ", id, " not found"));
  if (reply.type != RedisReply::Type::kString || !record->ParseFromString(reply.str)) {
    return absl::InternalError(absl::StrCat("stored ", keys_.kind(), " ", id, " is not a valid ",
                                            record->GetDescriptor()->name()));
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> UntypedProtoRecordStore::FindByRequestId(const std::string& request_id,
                                                              google::protobuf::Message* record) {
  WAHANA_ASSIGN_OR_RETURN(RedisReply reply, redis_.Command({"GET", keys_.Request(request_id)}));
  if (reply.is_nil()) return false;
  WAHANA_RETURN_IF_ERROR(GetRequested(request_id, reply.str, record));
  return true;
}

absl::Status UntypedProtoRecordStore::GetRequested(const std::string& request_id,
                                                   const std::string& id,
                                                   google::protobuf::Message* record) {
  absl::Status status = Get(id, record);
  if (absl::IsNotFound(status)) {
    return absl::InternalError(absl::StrCat("requestId ", request_id, " points at ", keys_.kind(),
                                            " ", id, ", which does not exist"));
  }
  return status;
}

}  // namespace wahana
