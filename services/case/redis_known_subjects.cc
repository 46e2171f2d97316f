#include "case/redis_known_subjects.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"

namespace wahana {
namespace {

// KEYS[1] the hash; ARGV: id, version, "L" | "A", "1" when only a known record may change.
// Answers 1 when the entry changed.
const LuaScript& RememberScript() {
  static const LuaScript* const kScript = new LuaScript(R"lua(
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current then
  local version = tonumber(string.match(current, '^(%d+):'))
  if version and version >= tonumber(ARGV[2]) then return 0 end
elseif ARGV[4] == '1' then
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ':' .. ARGV[3])
return 1
)lua");
  return *kScript;
}

absl::Status Unreadable(const SubjectRef& ref) {
  return absl::InternalError(
      absl::StrCat("known ", SubjectKindName(ref.kind), " ", ref.id, ": unreadable entry"));
}

absl::StatusOr<SubjectState> StateOfValue(const std::string& value, const SubjectRef& ref) {
  size_t colon = value.find(':');
  int64_t version = 0;
  if (colon != std::string::npos && colon + 2 == value.size() &&
      absl::SimpleAtoi(absl::string_view(value).substr(0, colon), &version)) {
    if (value[colon + 1] == 'L') return SubjectState::kLive;
    if (value[colon + 1] == 'A') return SubjectState::kArchived;
  }
  return Unreadable(ref);
}

absl::StatusOr<SubjectState> StateOf(const RedisReply& reply, const SubjectRef& ref) {
  if (reply.type == RedisReply::Type::kNil) return SubjectState::kUnknown;
  if (reply.type == RedisReply::Type::kString) return StateOfValue(reply.str, ref);
  return Unreadable(ref);
}

}  // namespace

FieldCondition KnownLiveCondition(const std::string& region, const SubjectRef& ref) {
  // The value RememberScript writes for a live record: "<version>:L".
  return {KnownSubjectsKey(region, ref.kind), ref.id, "^%d+:L$"};
}

absl::StatusOr<SubjectState> KnownSubjectStateOf(const std::optional<std::string>& value,
                                                 const SubjectRef& ref) {
  if (!value.has_value()) return SubjectState::kUnknown;
  return StateOfValue(*value, ref);
}

const char* SubjectKindName(SubjectKind kind) {
  switch (kind) {
    case SubjectKind::kBeneficiary:
      return "beneficiary";
    case SubjectKind::kHousehold:
      return "household";
    case SubjectKind::kInstitution:
      return "institution";
    case SubjectKind::kWorker:
      return "worker";
  }
  return "record";
}

std::string KnownSubjectsKey(const std::string& region, SubjectKind kind) {
  return absl::StrCat("case:{", region, "}:known:", SubjectKindName(kind));
}

RedisKnownSubjects::RedisKnownSubjects(RedisClient& redis, std::string region)
    : redis_(redis), region_(std::move(region)) {}

absl::StatusOr<std::vector<SubjectState>> RedisKnownSubjects::Lookup(
    const std::vector<SubjectRef>& refs) {
  std::vector<SubjectState> states;
  if (refs.empty()) return states;
  // Plain HGETs in one round trip: a Lua script would cost Redis ~20 µs more per call.
  std::vector<std::vector<std::string>> commands;
  commands.reserve(refs.size());
  for (const SubjectRef& ref : refs) {
    commands.push_back({"HGET", KnownSubjectsKey(region_, ref.kind), ref.id});
  }
  WAHANA_ASSIGN_OR_RETURN(std::vector<RedisReply> replies, redis_.Pipeline(commands));
  if (replies.size() != refs.size()) {
    return absl::InternalError("the known-subjects lookup did not answer one value per record");
  }
  states.reserve(refs.size());
  for (size_t i = 0; i < refs.size(); ++i) {
    if (replies[i].is_error()) return RedisErrorToStatus(replies[i].str);
    WAHANA_ASSIGN_OR_RETURN(SubjectState state, StateOf(replies[i], refs[i]));
    states.push_back(state);
  }
  return states;
}

absl::Status RedisKnownSubjects::Remember(const SubjectRef& ref, int64_t version, bool archived,
                                          bool only_if_known) {
  if (version < 1) {
    return absl::InternalError(absl::StrCat("known ", SubjectKindName(ref.kind), " ", ref.id,
                                            ": version ", version, " is not a record's"));
  }
  return redis_
      .Eval(RememberScript(), {KnownSubjectsKey(region_, ref.kind)},
            {ref.id, std::to_string(version), archived ? "A" : "L", only_if_known ? "1" : "0"})
      .status();
}

}  // namespace wahana
