#include "common/storage/record_write.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/bus/envelope.h"
#include "common/status/status_macros.h"
#include "common/storage/exact_index.h"

namespace wahana {
namespace {

// ARGV: n_guards, then per guard: kind, a, b, c, d, e;
//       n_commands, then per command: argc, args... ("ix_add"/"ix_rem" dir member,
//       "xi_add"/"xi_rem" hash value id, or a command).
// Returns {1, reply1, reply2, ...} when applied, {0, guard_index, found_or_false} when a guard
// failed. Input shape is checked before the first write so a malformed call writes nothing.
const LuaScript& Script() {
  static const LuaScript kScript(LexIndexLua() + ExactIndexLua() + R"lua(
local i = 1
local n_guards = tonumber(ARGV[i]); i = i + 1
for g = 1, n_guards do
  local kind, a, b, c, d, e = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4],
                              ARGV[i + 5]
  i = i + 6
  if kind == 'absent' then
    if redis.call('EXISTS', a) == 1 then
      local found = ''
      if redis.call('TYPE', a).ok == 'string' then found = redis.call('GET', a) end
      return {0, g - 1, found}
    end
  elseif kind == 'hfield' then
    local found = redis.call('HGET', a, b)
    if found ~= c then return {0, g - 1, found} end
  elseif kind == 'unclaimed' then
    -- a: the exact index, b: the value, c: the claimant's id.
    local holder = xi_other(a, b, c)
    if holder then return {0, g - 1, holder} end
  else
    return redis.error_reply('INVALID_ARGUMENT record write: unknown guard ' .. tostring(kind))
  end
end
local n_commands = tonumber(ARGV[i]); i = i + 1
local commands = {}
for c = 1, n_commands do
  local argc = tonumber(ARGV[i]); i = i + 1
  if not argc or argc < 1 or i + argc - 1 > #ARGV then
    return redis.error_reply('INVALID_ARGUMENT record write: malformed command ' .. c)
  end
  commands[c] = {unpack(ARGV, i, i + argc - 1)}
  i = i + argc
end
local out = {1}
for c = 1, n_commands do
  local command = commands[c]
  if command[1] == 'ix_add' then
    out[c + 1] = ix_add(command[2], command[3])
  elseif command[1] == 'ix_rem' then
    out[c + 1] = ix_rem(command[2], command[3])
  elseif command[1] == 'xi_add' then
    out[c + 1] = xi_add(command[2], command[3], command[4])
  elseif command[1] == 'xi_rem' then
    out[c + 1] = xi_rem(command[2], command[3], command[4])
  else
    out[c + 1] = redis.call(unpack(command))
  end
end
return out
)lua");
  return kScript;
}

}  // namespace

RecordWrite& RecordWrite::RequireAbsent(const std::string& key) {
  guards_.push_back({"absent", key, "", "", "", ""});
  return *this;
}

RecordWrite& RecordWrite::RequireHashField(const std::string& key, const std::string& field,
                                           const std::string& value) {
  guards_.push_back({"hfield", key, field, value, "", ""});
  return *this;
}

RecordWrite& RecordWrite::RequireUnclaimed(const std::string& index, absl::string_view value,
                                           const std::string& id) {
  guards_.push_back({"unclaimed", index, std::string(value), id, "", ""});
  return *this;
}

RecordWrite& RecordWrite::Command(std::vector<std::string> argv) {
  commands_.push_back(std::move(argv));
  return *this;
}

RecordWrite& RecordWrite::IndexAdd(const std::string& dir, const std::string& member) {
  return Command({"ix_add", dir, member});
}

RecordWrite& RecordWrite::IndexRemove(const std::string& dir, const std::string& member) {
  return Command({"ix_rem", dir, member});
}

RecordWrite& RecordWrite::ExactIndexAdd(const std::string& index, const std::string& value,
                                        const std::string& id) {
  return Command({"xi_add", index, value, id});
}

RecordWrite& RecordWrite::ExactIndexRemove(const std::string& index, const std::string& value,
                                           const std::string& id) {
  return Command({"xi_rem", index, value, id});
}

RecordWrite& RecordWrite::Publish(const std::string& stream,
                                  const wahana::common::v1::Envelope& envelope) {
  return Command(XaddArgv(stream, envelope));
}

absl::StatusOr<AtomicWriteResult> RecordWrite::Execute(RedisClient& redis) const {
  std::vector<std::string> keys;
  std::vector<std::string> args;
  args.push_back(std::to_string(guards_.size()));
  for (const Guard& g : guards_) {
    keys.push_back(g.a);
    args.insert(args.end(), {g.kind, g.a, g.b, g.c, g.d, g.e});
  }
  args.push_back(std::to_string(commands_.size()));
  for (const auto& argv : commands_) {
    if (argv.size() >= 2) keys.push_back(argv[1]);
    args.push_back(std::to_string(argv.size()));
    args.insert(args.end(), argv.begin(), argv.end());
  }
  WAHANA_ASSIGN_OR_RETURN(RedisReply reply, redis.Eval(Script(), keys, args));
  AtomicWriteResult result;
  if (reply.type != RedisReply::Type::kArray || reply.elements.empty()) {
    return absl::InternalError("record write: unexpected script reply");
  }
  if (reply.elements[0].integer == 1) {
    result.applied = true;
    result.replies.assign(reply.elements.begin() + 1, reply.elements.end());
    return result;
  }
  result.failed_guard = static_cast<int>(reply.elements.at(1).integer);
  if (reply.elements.size() > 2 && reply.elements[2].type == RedisReply::Type::kString) {
    result.found = reply.elements[2].str;
    result.found_nil = false;
  }
  return result;
}

}  // namespace wahana
