#include "case/redis_case_store.h"

#include "absl/strings/str_cat.h"
#include "case/case_indexing.h"
#include "case/case_keys.h"
#include "common/status/status_macros.h"

namespace wahana {

using wahana::cases::v1::Case;
using wahana::cases::v1::CaseAction;

RedisCaseStore::RedisCaseStore(RedisClient& redis, std::string region)
    : redis_(redis), region_(std::move(region)), cases_(redis, CaseKeys(region_), CaseIndexing()) {}

absl::StatusOr<CreateResult<Case>> RedisCaseStore::Create(
    const Case& c, const CaseAction& opened, const wahana::common::v1::Envelope& created,
    const std::string& request_id) {
  return cases_.CreateWith(c, created, request_id,
                           {{"RPUSH", CaseHistoryKey(region_, c.id()), opened.SerializeAsString()}});
}

absl::StatusOr<Case> RedisCaseStore::Get(const std::string& id) { return cases_.Get(id); }

absl::StatusOr<std::optional<Case>> RedisCaseStore::FindByRequestId(const std::string& request_id) {
  return cases_.FindByRequestId(request_id);
}

absl::StatusOr<Case> RedisCaseStore::Append(const Case& updated, const CaseAction& action,
                                            const std::string& expected_etag,
                                            const wahana::common::v1::Envelope& changed) {
  return cases_.UpdateWith(
      updated, expected_etag, changed,
      {{"RPUSH", CaseHistoryKey(region_, updated.id()), action.SerializeAsString()}});
}

absl::StatusOr<std::vector<CaseAction>> RedisCaseStore::History(const std::string& id,
                                                                int64_t offset, int limit) {
  std::vector<CaseAction> actions;
  if (limit <= 0) return actions;
  WAHANA_ASSIGN_OR_RETURN(
      RedisReply reply,
      redis_.Command({"LRANGE", CaseHistoryKey(region_, id), std::to_string(offset),
                      std::to_string(offset + limit - 1)}));
  if (reply.type != RedisReply::Type::kArray) {
    return absl::InternalError("LRANGE of a case history did not answer an array");
  }
  actions.resize(reply.elements.size());
  for (size_t i = 0; i < actions.size(); ++i) {
    if (!actions[i].ParseFromString(reply.elements[i].str)) {
      return absl::InternalError(
          absl::StrCat("case ", id, ": history entry ", offset + static_cast<int64_t>(i),
                       " is not a CaseAction"));
    }
  }
  return actions;
}

absl::StatusOr<ListPage<Case>> RedisCaseStore::List(const ListQuery<Case>& query) {
  return cases_.List(query);
}

absl::StatusOr<std::vector<Case>> RedisCaseStore::FindIndexed(const std::string& index,
                                                              const std::string& value, int limit) {
  return cases_.FindIndexed(index, value, limit);
}

absl::StatusOr<int64_t> RedisCaseStore::NextSequence(const std::string& regency, int year) {
  WAHANA_ASSIGN_OR_RETURN(RedisReply reply,
                          redis_.Command({"INCR", CaseSequenceKey(region_, regency, year)}));
  if (reply.type != RedisReply::Type::kInteger) {
    return absl::InternalError("INCR of the case sequence did not answer an integer");
  }
  return reply.integer;
}

}  // namespace wahana
