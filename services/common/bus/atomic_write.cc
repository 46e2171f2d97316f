#include "common/bus/atomic_write.h"

#include "common/status/status_macros.h"

namespace wahana {
namespace {

// ARGV: n_guards, then per guard: kind, key, field, value;
//       n_commands, then per command: argc, args...
// Returns {1, reply1, reply2, ...} when applied, {0, guard_index, found_or_false} when a guard
// failed. Input shape is checked before the first write so a malformed call writes nothing.
const LuaScript& Script() {
  static const LuaScript kScript(R"lua(
local i = 1
local n_guards = tonumber(ARGV[i]); i = i + 1
for g = 1, n_guards do
  local kind, key, field, value = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  i = i + 4
  if kind == 'absent' then
    local found = redis.call('GET', key)
    if found then return {0, g - 1, found} end
  elseif kind == 'hfield' then
    local found = redis.call('HGET', key, field)
    if found ~= value then return {0, g - 1, found} end
  elseif kind == 'hmatch' then
    -- value: a Lua pattern the field's value must match.
    local found = redis.call('HGET', key, field)
    if not found or not string.find(found, value) then return {0, g - 1, found} end
  else
    return redis.error_reply('INVALID_ARGUMENT atomic write: unknown guard ' .. tostring(kind))
  end
end
local n_commands = tonumber(ARGV[i]); i = i + 1
local commands = {}
for c = 1, n_commands do
  local argc = tonumber(ARGV[i]); i = i + 1
  if not argc or argc < 1 or i + argc - 1 > #ARGV then
    return redis.error_reply('INVALID_ARGUMENT atomic write: malformed command ' .. c)
  end
  commands[c] = {unpack(ARGV, i, i + argc - 1)}
  i = i + argc
end
local out = {1}
for c = 1, n_commands do
  out[c + 1] = redis.call(unpack(commands[c]))
end
return out
)lua");
  return kScript;
}

}  // namespace

AtomicWrite& AtomicWrite::RequireAbsent(const std::string& key) {
  guards_.push_back({"absent", key, "", ""});
  return *this;
}

AtomicWrite& AtomicWrite::RequireHashField(const std::string& key, const std::string& field,
                                           const std::string& value) {
  guards_.push_back({"hfield", key, field, value});
  return *this;
}

AtomicWrite& AtomicWrite::RequireHashFieldMatches(const std::string& key, const std::string& field,
                                                  const std::string& pattern) {
  guards_.push_back({"hmatch", key, field, pattern});
  return *this;
}

AtomicWrite& AtomicWrite::Command(std::vector<std::string> argv) {
  commands_.push_back(std::move(argv));
  return *this;
}

AtomicWrite& AtomicWrite::Publish(const std::string& stream,
                                  const wahana::common::v1::Envelope& envelope) {
  return Command(XaddArgv(stream, envelope));
}

absl::StatusOr<AtomicWriteResult> AtomicWrite::Execute(RedisClient& redis) const {
  std::vector<std::string> keys;
  std::vector<std::string> args;
  args.push_back(std::to_string(guards_.size()));
  for (const Guard& g : guards_) {
    keys.push_back(g.key);
    args.insert(args.end(), {g.kind, g.key, g.field, g.value});
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
    return absl::InternalError("atomic write: unexpected script reply");
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
