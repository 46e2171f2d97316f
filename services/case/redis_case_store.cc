#include "case/redis_case_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "case/case_keys.h"
#include "common/bus/atomic_write.h"
#include "common/status/status_macros.h"

namespace wahana {

using wahana::cases::v1::Case;

RedisCaseStore::RedisCaseStore(RedisClient& redis, std::string region)
    : redis_(redis), region_(std::move(region)) {}

absl::StatusOr<int64_t> RedisCaseStore::NextSequence(const std::string& regency, int year) {
  WAHANA_ASSIGN_OR_RETURN(RedisReply reply,
                          redis_.Command({"INCR", CaseSequenceKey(region_, regency, year)}));
  if (reply.type != RedisReply::Type::kInteger) {
    return absl::InternalError("INCR of the case sequence did not answer an integer");
  }
  return reply.integer;
}

absl::StatusOr<CreateCaseResult> RedisCaseStore::Create(const Case& c,
                                                        const wahana::common::v1::Envelope& created,
                                                        const std::string& request_id) {
  AtomicWrite write;
  if (!request_id.empty()) write.RequireAbsent(CaseRequestKey(region_, request_id));
  write.Command({"HSET", CaseKey(region_, c.id()), "pb", c.SerializeAsString(), "etag", c.etag()});
  if (!request_id.empty()) {
    write.Command({"SET", CaseRequestKey(region_, request_id), c.id(), "EX",
                   std::to_string(kRequestIdTtlSeconds)});
  }
  write.Publish(CaseStreamKey(region_), created);
  WAHANA_ASSIGN_OR_RETURN(AtomicWriteResult result, write.Execute(redis_));

  CreateCaseResult out;
  if (result.applied) {
    out.stored = c;
    out.created = true;
    return out;
  }
  // Only the requestId guard exists: a concurrent or earlier create with the same requestId won.
  if (result.found_nil) return absl::InternalError("case create: guard failed without a value");
  absl::StatusOr<Case> earlier = Get(result.found);
  if (absl::IsNotFound(earlier.status())) {
    return absl::InternalError(absl::StrCat("requestId ", request_id, " points at case ",
                                            result.found, ", which does not exist"));
  }
  WAHANA_RETURN_IF_ERROR(earlier.status());
  out.stored = *std::move(earlier);
  out.created = false;
  return out;
}

absl::StatusOr<Case> RedisCaseStore::Get(const std::string& id) {
  WAHANA_ASSIGN_OR_RETURN(RedisReply reply, redis_.Command({"HGET", CaseKey(region_, id), "pb"}));
  if (reply.is_nil()) return absl::NotFoundError(absl::StrCat("case ", id, " not found"));
  Case c;
  if (reply.type != RedisReply::Type::kString || !c.ParseFromString(reply.str)) {
    return absl::InternalError(absl::StrCat("stored case ", id, " is not a valid Case"));
  }
  return c;
}

absl::StatusOr<std::optional<Case>> RedisCaseStore::FindByRequestId(const std::string& request_id) {
  WAHANA_ASSIGN_OR_RETURN(RedisReply reply,
                          redis_.Command({"GET", CaseRequestKey(region_, request_id)}));
  if (reply.is_nil()) return std::optional<Case>();
  absl::StatusOr<Case> c = Get(reply.str);
  if (absl::IsNotFound(c.status())) {
    return absl::InternalError(absl::StrCat("requestId ", request_id, " points at case ", reply.str,
                                            ", which does not exist"));
  }
  WAHANA_RETURN_IF_ERROR(c.status());
  return std::optional<Case>(*std::move(c));
}

}  // namespace wahana
