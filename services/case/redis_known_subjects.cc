#include "case/redis_known_subjects.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"

namespace wahana {
namespace {

// KEYS[1] the hash; ARGV: id, version, "L" | "A", "1" when only a known record may change, the
// region ("" when not known). Answers 1 when the entry changed. The same version may add the
// region to an entry written without one.
const LuaScript& RememberScript() {
  static const LuaScript* const kScript = new LuaScript(R"lua(
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current then
  local version = tonumber(string.match(current, '^(%d+):'))
  local next = tonumber(ARGV[2])
  if version and version > next then return 0 end
  if version and version == next and (ARGV[5] == '' or string.find(current, '^%d+:%a:.')) then
    return 0
  end
elseif ARGV[4] == '1' then
  return 0
end
local value = ARGV[2] .. ':' .. ARGV[3]
if ARGV[5] ~= '' then value = value .. ':' .. ARGV[5] end
redis.call('HSET', KEYS[1], ARGV[1], value)
return 1
)lua");
  return *kScript;
}

absl::Status Unreadable(const SubjectRef& ref) {
  return absl::InternalError(
      absl::StrCat("known ", SubjectKindName(ref.kind), " ", ref.id, ": unreadable entry"));
}

// "<version>:<L|A>[:<region>]": the state, and the region after it ("" when none).
absl::StatusOr<SubjectState> StateOfValue(const std::string& value, const SubjectRef& ref,
                                          std::string* region = nullptr) {
  size_t colon = value.find(':');
  int64_t version = 0;
  if (colon != std::string::npos && colon + 2 <= value.size() &&
      (colon + 2 == value.size() || value[colon + 2] == ':') &&
      absl::SimpleAtoi(absl::string_view(value).substr(0, colon), &version)) {
    if (region != nullptr) {
      *region = colon + 2 < value.size() ? value.substr(colon + 3) : std::string();
    }
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
  // The value RememberScript writes for a live record: "<version>:L", with or without a region.
  // (Lua patterns have no alternation: "L" is the whole state or followed by ":<region>".)
  return {KnownSubjectsKey(region, ref.kind), ref.id, "^%d+:L"};
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

absl::StatusOr<std::vector<RedisReply>> RedisKnownSubjects::Fetch(
    const std::vector<SubjectRef>& refs) {
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
  for (const RedisReply& reply : replies) {
    if (reply.is_error()) return RedisErrorToStatus(reply.str);
  }
  return replies;
}

absl::StatusOr<std::vector<SubjectState>> RedisKnownSubjects::Lookup(
    const std::vector<SubjectRef>& refs) {
  std::vector<SubjectState> states;
  if (refs.empty()) return states;
  WAHANA_ASSIGN_OR_RETURN(std::vector<RedisReply> replies, Fetch(refs));
  states.reserve(refs.size());
  for (size_t i = 0; i < refs.size(); ++i) {
    WAHANA_ASSIGN_OR_RETURN(SubjectState state, StateOf(replies[i], refs[i]));
    states.push_back(state);
  }
  return states;
}

absl::StatusOr<std::vector<std::string>> RedisKnownSubjects::RegionsOf(
    const std::vector<SubjectRef>& refs) {
  std::vector<std::string> regions;
  if (refs.empty()) return regions;
  WAHANA_ASSIGN_OR_RETURN(std::vector<RedisReply> replies, Fetch(refs));
  regions.reserve(refs.size());
  for (size_t i = 0; i < refs.size(); ++i) {
    std::string& region = regions.emplace_back();
    if (replies[i].type == RedisReply::Type::kNil) continue;
    if (replies[i].type != RedisReply::Type::kString) return Unreadable(refs[i]);
    WAHANA_RETURN_IF_ERROR(StateOfValue(replies[i].str, refs[i], &region).status());
  }
  return regions;
}

absl::Status RedisKnownSubjects::Remember(const SubjectRef& ref, int64_t version, bool archived,
                                          const std::string& region, bool only_if_known) {
  if (version < 1) {
    return absl::InternalError(absl::StrCat("known ", SubjectKindName(ref.kind), " ", ref.id,
                                            ": version ", version, " is not a record's"));
  }
  return redis_
      .Eval(RememberScript(), {KnownSubjectsKey(region_, ref.kind)},
            {ref.id, std::to_string(version), archived ? "A" : "L", only_if_known ? "1" : "0",
             region})
      .status();
}

}  // namespace wahana
