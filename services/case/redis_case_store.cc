#include "case/redis_case_store.h"

#include "absl/strings/str_cat.h"
#include "case/case_indexing.h"
#include "case/case_keys.h"
#include "case/case_number.h"
#include "case/redis_known_subjects.h"
#include "common/status/status_macros.h"

namespace wahana {

using wahana::cases::v1::Case;
using wahana::cases::v1::CaseAction;

RedisCaseStore::RedisCaseStore(RedisClient& redis, std::string region)
    : redis_(redis), region_(std::move(region)), cases_(redis, CaseKeys(region_), CaseIndexing()) {}

absl::StatusOr<CaseCreated> RedisCaseStore::Create(const std::string& regency, int year,
                                                   const std::vector<SubjectRef>& live,
                                                   const std::string& request_id,
                                                   const NewCaseBuilder& build) {
  std::vector<FieldCondition> conditions;
  conditions.reserve(live.size());
  for (const SubjectRef& ref : live) conditions.push_back(KnownLiveCondition(region_, ref));
  const Numbering numbering{CaseSequenceKey(region_, regency, year), kCaseNumberDigits};
  WAHANA_ASSIGN_OR_RETURN(
      auto checked,
      cases_.CreateChecked(request_id, conditions, &numbering,
                           [&](const std::string& digits) -> absl::StatusOr<NewRecord<Case>> {
                             WAHANA_ASSIGN_OR_RETURN(NewCase made,
                                                     build(CaseNumberOf(regency, year, digits)));
                             NewRecord<Case> out;
                             out.extra = {{"RPUSH", CaseHistoryKey(region_, made.c.id()),
                                           made.opened.SerializeAsString()}};
                             out.record.Swap(&made.c);
                             out.created.Swap(&made.created);
                             return out;
                           }));
  CaseCreated created;
  if (checked.first.failed_condition >= 0) {
    const int refused = checked.first.failed_condition;
    if (refused >= static_cast<int>(live.size())) {
      return absl::InternalError("case create: an unknown condition failed");
    }
    created.refused_subject = refused;
    WAHANA_ASSIGN_OR_RETURN(created.refused_state,
                            KnownSubjectStateOf(checked.first.found, live[refused]));
    return created;
  }
  created.result.created = checked.first.created;
  created.result.stored = std::move(checked.second);
  return created;
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

absl::Status RedisCaseStore::GetWithHistory(const std::string& id, int64_t offset, int limit,
                                            Case* c, wahana::cases::v1::CaseHistory* page) {
  // The case and the page of its history in one round trip (a pipeline: a script answering the
  // page as one string costs Redis more than it saves here). The case decides who may read the
  // page, and every case has its create action, so the page is read along without waiting.
  std::vector<std::vector<std::string>> commands = {
      {"HGET", CaseKeys(region_).Record(id), kRecordPbField}};
  if (limit > 0) {
    commands.push_back({"LRANGE", CaseHistoryKey(region_, id), std::to_string(offset),
                        std::to_string(offset + limit - 1)});
  }
  WAHANA_ASSIGN_OR_RETURN(std::vector<RedisReply> replies, redis_.Pipeline(commands));
  if (replies.size() != commands.size()) {
    return absl::InternalError("case history: the read did not answer each command");
  }
  for (const RedisReply& reply : replies) {
    if (reply.is_error()) return RedisErrorToStatus(reply.str);
  }
  if (replies[0].type == RedisReply::Type::kNil) {
    return absl::NotFoundError(absl::StrCat("case ", id, " not found"));
  }
  if (replies[0].type != RedisReply::Type::kString || !c->ParseFromString(replies[0].str)) {
    return absl::InternalError(absl::StrCat("stored case ", id, " is not a valid Case"));
  }
  if (limit <= 0) return absl::OkStatus();
  const RedisReply& entries = replies[1];
  if (entries.type != RedisReply::Type::kArray) {
    return absl::InternalError("LRANGE of a case history did not answer an array");
  }
  // Parsed straight into the page's own messages (on its arena when it has one).
  auto* actions = page->mutable_actions();
  actions->Reserve(actions->size() + static_cast<int>(entries.elements.size()));
  for (size_t i = 0; i < entries.elements.size(); ++i) {
    if (!actions->Add()->ParseFromString(entries.elements[i].str)) {
      return absl::InternalError(absl::StrCat("case ", id, ": history entry ",
                                              offset + static_cast<int64_t>(i),
                                              " is not a CaseAction"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<ListPage<Case>> RedisCaseStore::List(const ListQuery<Case>& query) {
  return cases_.List(query);
}

absl::StatusOr<std::vector<Case>> RedisCaseStore::FindIndexed(const std::string& index,
                                                              const std::string& value, int limit) {
  return cases_.FindIndexed(index, value, limit);
}

}  // namespace wahana
