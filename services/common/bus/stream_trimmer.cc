#include "common/bus/stream_trimmer.h"

#include "common/status/status_macros.h"

namespace wahana {
namespace {

// KEYS[1] stream; ARGV[1] max_len. Entry ids are "<ms>-<seq>" with 64-bit parts, beyond a Lua
// number's exact range, so they are compared as decimal strings (length, then text).
const LuaScript& Script() {
  static const LuaScript kScript(R"lua(
local function part_less(a, b)
  if #a ~= #b then return #a < #b end
  return a < b
end
local function id_less(a, b)
  local ams, aseq = string.match(a, '^(%d+)-(%d+)$')
  local bms, bseq = string.match(b, '^(%d+)-(%d+)$')
  if ams ~= bms then return part_less(ams, bms) end
  return part_less(aseq, bseq)
end
local max_len = tonumber(ARGV[1])
local len = redis.call('XLEN', KEYS[1])
if len <= max_len then return 0 end
local groups = redis.call('XINFO', 'GROUPS', KEYS[1])
if #groups == 0 then return 0 end
local bound = nil
for _, info in ipairs(groups) do
  local name, last_delivered
  for f = 1, #info, 2 do
    if info[f] == 'name' then name = info[f + 1] end
    if info[f] == 'last-delivered-id' then last_delivered = info[f + 1] end
  end
  local group_bound = last_delivered
  local pending = redis.call('XPENDING', KEYS[1], name)
  if pending[1] > 0 and id_less(pending[2], group_bound) then group_bound = pending[2] end
  if bound == nil or id_less(group_bound, bound) then bound = group_bound end
end
-- MINID removes ids strictly below the bound: the bound entry itself (last delivered, or lowest
-- pending) always stays.
return redis.call('XTRIM', KEYS[1], 'MINID', '~', bound, 'LIMIT', len - max_len)
)lua");
  return kScript;
}

}  // namespace

absl::StatusOr<int64_t> TrimConsumedEntries(RedisClient& redis, const std::string& stream,
                                            int64_t max_len) {
  if (max_len < 0) return absl::InvalidArgumentError("max_len: must not be negative");
  WAHANA_ASSIGN_OR_RETURN(RedisReply reply,
                          redis.Eval(Script(), {stream}, {std::to_string(max_len)}));
  if (reply.type != RedisReply::Type::kInteger) {
    return absl::InternalError("stream trimmer: unexpected script reply");
  }
  return reply.integer;
}

}  // namespace wahana
