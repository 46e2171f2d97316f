#include "common/storage/exact_index.h"

namespace wahana {

const std::string& ExactIndexLua() {
  static const std::string kLua = R"lua(
-- Byte order (Lua's `<` follows the server's locale).
local function xi_less(a, b)
  local n = math.min(#a, #b)
  for i = 1, n do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x < y end
  end
  return #a < #b
end

local function xi_ids(hash, value)
  local ids = {}
  local held = redis.call('HGET', hash, value)
  if held then
    for id in string.gmatch(held, '[^ ]+') do ids[#ids + 1] = id end
  end
  return ids
end

local function xi_other(hash, value, id)
  for _, held in ipairs(xi_ids(hash, value)) do
    if held ~= id then return held end
  end
  return nil
end

local function xi_add(hash, value, id)
  local ids = xi_ids(hash, value)
  local at = #ids + 1
  for k, held in ipairs(ids) do
    if held == id then return 0 end
    if xi_less(id, held) then
      at = k
      break
    end
  end
  table.insert(ids, at, id)
  redis.call('HSET', hash, value, table.concat(ids, ' '))
  return 1
end

local function xi_rem(hash, value, id)
  local ids = xi_ids(hash, value)
  for k, held in ipairs(ids) do
    if held == id then
      table.remove(ids, k)
      if #ids == 0 then
        redis.call('HDEL', hash, value)
      else
        redis.call('HSET', hash, value, table.concat(ids, ' '))
      end
      return 1
    end
  end
  return 0
end
)lua";
  return kLua;
}

}  // namespace wahana
