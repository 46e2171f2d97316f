#include "common/storage/record_write.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/bus/envelope.h"
#include "common/status/status_macros.h"
#include "common/storage/exact_index.h"

namespace wahana {
namespace {

// ARGV: n_guards, then per guard: kind, a, b, c, d, e;
//       n_commands, then per command: argc, args... ("ix_add"/"ix_rem" dir member,
//       "xi_add"/"xi_rem" hash value id, or a command);
//       counter ("" for none), width, n_slots, then per slot: command, arg, offset (0-based).
// Returns {1, number, reply1, reply2, ...} when applied (number 0 when none was drawn),
// {0, guard_index, found_or_false} when a guard failed, {0, -1, false, number} when the number
// drawn is wider than its slots. Input shape is checked before the first write (the INCR) so a
// malformed call writes nothing.
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
  elseif kind == 'hmatch' then
    -- c: a Lua pattern the field's value must match ("" matches any value).
    local found = redis.call('HGET', a, b)
    if not found or not string.find(found, c) then return {0, g - 1, found} end
  elseif kind == 'count' then
    -- a: the counter, b: what the write adds, c: the limit, or d/e: the hash field holding it.
    local count = tonumber(redis.call('GET', a) or '0')
    local limit = tonumber(c)
    if d ~= '' then limit = tonumber(redis.call('HGET', d, e) or '0') end
    if limit and limit > 0 and count + tonumber(b) > limit then
      return {0, g - 1, tostring(count)}
    end
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
local counter, width, n_slots = ARGV[i], tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2])
i = i + 3
if not width or not n_slots then
  return redis.error_reply('INVALID_ARGUMENT record write: malformed number')
end
local slots = {}
for s = 1, n_slots do
  local c, a, offset = tonumber(ARGV[i]), tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2])
  i = i + 3
  local command = c and commands[c + 1]
  local arg = command and a and command[a + 1]
  if not arg or not offset or offset < 0 or offset + width > #arg then
    return redis.error_reply('INVALID_ARGUMENT record write: malformed number slot ' .. s)
  end
  slots[s] = {c + 1, a + 1, offset}
end
local number = 0
if counter ~= '' then
  number = redis.call('INCR', counter)
  local digits = string.format('%0' .. width .. 'd', number)
  if #digits > width then return {0, -1, false, number} end
  for _, slot in ipairs(slots) do
    local command = commands[slot[1]]
    local arg = command[slot[2]]
    command[slot[2]] = string.sub(arg, 1, slot[3]) .. digits .. string.sub(arg, slot[3] + width + 1)
  end
end
local out = {1, number}
for c = 1, n_commands do
  local command = commands[c]
  if command[1] == 'ix_add' then
    out[c + 2] = ix_add(command[2], command[3])
  elseif command[1] == 'ix_rem' then
    out[c + 2] = ix_rem(command[2], command[3])
  elseif command[1] == 'xi_add' then
    out[c + 2] = xi_add(command[2], command[3], command[4])
  elseif command[1] == 'xi_rem' then
    out[c + 2] = xi_rem(command[2], command[3], command[4])
  else
    out[c + 2] = redis.call(unpack(command))
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

RecordWrite& RecordWrite::RequireHashFieldMatches(const std::string& key, const std::string& field,
                                                  const std::string& pattern) {
  guards_.push_back({"hmatch", key, field, pattern, "", ""});
  return *this;
}

RecordWrite& RecordWrite::RequireCountWithin(const std::string& counter, int64_t adding,
                                             int64_t limit, const std::string& limit_key,
                                             const std::string& limit_field) {
  guards_.push_back(
      {"count", counter, std::to_string(adding), std::to_string(limit), limit_key, limit_field});
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

RecordWrite& RecordWrite::DrawNumber(const std::string& counter, int width,
                                     std::vector<NumberSlot> slots) {
  counter_ = counter;
  number_width_ = width;
  slots_ = std::move(slots);
  return *this;
}

std::string RecordWrite::NumberPlaceholder(int width, int variant) {
  std::string digits;
  for (int d = 0; d < width; ++d) digits.push_back(static_cast<char>('0' + (d + variant) % 10));
  return digits;
}

absl::StatusOr<std::vector<RecordWrite::NumberSlot>> RecordWrite::NumberSlotsOf(
    const RecordWrite& a, const RecordWrite& b, int width) {
  if (width < 1 || width > 9) {
    return absl::InternalError(absl::StrCat("record write: a number of ", width, " digits"));
  }
  auto same_guard = [](const Guard& x, const Guard& y) {
    return x.kind == y.kind && x.a == y.a && x.b == y.b && x.c == y.c && x.d == y.d && x.e == y.e;
  };
  if (a.guards_.size() != b.guards_.size() ||
      !std::equal(a.guards_.begin(), a.guards_.end(), b.guards_.begin(), same_guard)) {
    return absl::InternalError("record write: the two builds of a numbered write differ in guards");
  }
  if (a.commands_.size() != b.commands_.size()) {
    return absl::InternalError("record write: the two builds of a numbered write differ in shape");
  }
  const std::string first = NumberPlaceholder(width, 0);
  const std::string second = NumberPlaceholder(width, 1);
  std::vector<NumberSlot> slots;
  for (size_t c = 0; c < a.commands_.size(); ++c) {
    const std::vector<std::string>& ca = a.commands_[c];
    const std::vector<std::string>& cb = b.commands_[c];
    if (ca.size() != cb.size()) {
      return absl::InternalError(
          "record write: the two builds of a numbered write differ in shape");
    }
    for (size_t arg = 0; arg < ca.size(); ++arg) {
      const std::string& x = ca[arg];
      const std::string& y = cb[arg];
      if (x.size() != y.size()) {
        return absl::InternalError(absl::StrCat("record write: command ", c, " argument ", arg,
                                                " differs in length between the two builds"));
      }
      // Every byte of a placeholder differs between the variants, so a difference starts one.
      for (size_t p = 0; p < x.size(); ++p) {
        if (x[p] == y[p]) continue;
        if (x.compare(p, width, first) != 0 || y.compare(p, width, second) != 0) {
          return absl::InternalError(absl::StrCat("record write: command ", c, " argument ", arg,
                                                  " differs between the two builds at byte ", p,
                                                  ", not in a number"));
        }
        slots.push_back({static_cast<int>(c), static_cast<int>(arg), p});
        p += width - 1;
      }
    }
  }
  return slots;
}

absl::Status RecordWrite::GuardError(const AtomicWriteResult& result) const {
  if (result.applied || result.failed_guard < 0 ||
      result.failed_guard >= static_cast<int>(guards_.size())) {
    return absl::InternalError("record write: the result names no guard of this write");
  }
  const Guard& g = guards_[result.failed_guard];
  const std::string found =
      result.found_nil ? std::string("absent") : absl::StrCat("\"", result.found, "\"");
  if (g.kind == "absent") return absl::FailedPreconditionError(absl::StrCat(g.a, " exists"));
  if (g.kind == "hfield") {
    return absl::FailedPreconditionError(
        absl::StrCat(g.a, " field ", g.b, " is ", found, ", not \"", g.c, "\""));
  }
  if (g.kind == "hmatch") {
    if (result.found_nil) {
      return absl::FailedPreconditionError(absl::StrCat(g.a, " field ", g.b, " is absent"));
    }
    return absl::FailedPreconditionError(
        absl::StrCat(g.a, " field ", g.b, " is ", found, ", not matching \"", g.c, "\""));
  }
  if (g.kind == "count") {
    return absl::FailedPreconditionError(
        absl::StrCat(g.a, " is ", result.found, "; adding ", g.b, " passes the limit"));
  }
  return absl::FailedPreconditionError(absl::StrCat(g.b, " in ", g.a, " is held by ", found));
}

absl::StatusOr<AtomicWriteResult> RecordWrite::Execute(RedisClient& redis) const {
  std::vector<std::string> keys;
  std::vector<std::string> args;
  args.push_back(std::to_string(guards_.size()));
  for (const Guard& g : guards_) {
    keys.push_back(g.a);
    if (g.kind == "count" && !g.d.empty()) keys.push_back(g.d);
    args.insert(args.end(), {g.kind, g.a, g.b, g.c, g.d, g.e});
  }
  args.push_back(std::to_string(commands_.size()));
  for (const auto& argv : commands_) {
    if (argv.size() >= 2) keys.push_back(argv[1]);
    args.push_back(std::to_string(argv.size()));
    args.insert(args.end(), argv.begin(), argv.end());
  }
  if (!counter_.empty()) keys.push_back(counter_);
  args.push_back(counter_);
  args.push_back(std::to_string(number_width_));
  args.push_back(std::to_string(slots_.size()));
  for (const NumberSlot& slot : slots_) {
    args.push_back(std::to_string(slot.command));
    args.push_back(std::to_string(slot.arg));
    args.push_back(std::to_string(slot.offset));
  }
  WAHANA_ASSIGN_OR_RETURN(RedisReply reply, redis.Eval(Script(), keys, args));
  AtomicWriteResult result;
  if (reply.type != RedisReply::Type::kArray || reply.elements.size() < 2) {
    return absl::InternalError("record write: unexpected script reply");
  }
  if (reply.elements[0].integer == 1) {
    result.applied = true;
    result.number = reply.elements[1].integer;
    result.replies.assign(std::make_move_iterator(reply.elements.begin() + 2),
                          std::make_move_iterator(reply.elements.end()));
    return result;
  }
  result.failed_guard = static_cast<int>(reply.elements[1].integer);
  if (reply.elements.size() > 2 && reply.elements[2].type == RedisReply::Type::kString) {
    result.found = std::move(reply.elements[2].str);
    result.found_nil = false;
  }
  if (reply.elements.size() > 3) {
    result.number = reply.elements[3].integer;
    result.number_too_wide = true;
  }
  return result;
}

}  // namespace wahana
