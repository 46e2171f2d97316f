#include "common/storage/lex_index.h"

#include <openssl/sha.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace wahana {

std::string EscapeIndexValue(absl::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '|') {
      out += "\\!";
    } else {
      out += c;
    }
  }
  return out;
}

std::string IndexMember(absl::string_view value, absl::string_view id) {
  return absl::StrCat(EscapeIndexValue(value), "|", id);
}

absl::string_view IdOfIndexMember(absl::string_view member) {
  size_t bar = member.rfind('|');
  if (bar == absl::string_view::npos) return absl::string_view();
  return member.substr(bar + 1);
}

std::string RegionIndexValue(absl::string_view region_code) {
  return absl::StrCat(region_code, ".");
}

LexRange RegionPrefixRange(absl::string_view prefix) {
  if (prefix.empty()) return LexRange{"-", "+", ""};
  // Members of `prefix` and of the codes under it all start with "<prefix>."; '/' follows '.'.
  std::string escaped = EscapeIndexValue(prefix);
  std::string low = absl::StrCat(escaped, ".");
  return LexRange{absl::StrCat("[", low), absl::StrCat("(", escaped, "/"), low};
}

LexRange ExactValueRange(absl::string_view value) {
  // Escaped values hold no '|', so the members of `value` are exactly those starting with
  // "<value>|"; '}' follows '|'.
  std::string escaped = EscapeIndexValue(value);
  std::string low = absl::StrCat(escaped, "|");
  return LexRange{absl::StrCat("[", low), absl::StrCat("(", escaped, "}"), low};
}

LexRange ResumeAfter(const LexRange& range, const std::string& member) {
  return LexRange{absl::StrCat("(", member), range.max, member};
}

bool InLexRange(const LexRange& range, const std::string& member) {
  // std::string compares bytes as unsigned char, as Redis does.
  if (range.min != "-") {
    std::string low = range.min.substr(1);
    if (range.min[0] == '[' ? member < low : member <= low) return false;
  }
  if (range.max != "+") {
    std::string high = range.max.substr(1);
    if (range.max[0] == '(' ? member >= high : member > high) return false;
  }
  return true;
}

std::string DigestIndexValue(absl::string_view value) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(value.data()), value.size(), digest);
  // 96 bits: a false match among a district's records is beyond unlikely, and the member
  // (16 + 1 + 26 bytes) costs no more than a NIK's.
  std::string out;
  absl::WebSafeBase64Escape(absl::string_view(reinterpret_cast<const char*>(digest), 12), &out);
  return out;
}

// Chunks are found through the directory; every ordering decision is Redis' (BYLEX) or
// ix_less, never Lua's `<` on strings, which uses strcoll and so the server's locale.
const std::string& ByteOrderLua() {
  static const std::string kLua = R"lua(
local function ix_less(a, b)
  local n = math.min(#a, #b)
  for i = 1, n do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x < y end
  end
  return #a < #b
end
)lua";
  return kLua;
}

const std::string& LexIndexLua() {
  static const std::string kLua =
      absl::StrCat(ByteOrderLua(), "local IX_CHUNK_MAX = ", kIndexChunkMax, R"lua(

local function ix_id(member)
  return string.match(member, '|([^|]*)$') or ''
end

-- The greatest chunk bound <= s, or nil when the index does not exist.
local function ix_bound(dir, s)
  return redis.call('ZRANGE', dir, '[' .. s, '-', 'BYLEX', 'REV', 'LIMIT', 0, 1)[1]
end

local function ix_chunk(dir, bound)
  return dir .. '|' .. bound
end

local function ix_add(dir, member)
  local bound = ix_bound(dir, member)
  if not bound then
    redis.call('ZADD', dir, 0, '')
    bound = ''
  end
  local chunk = ix_chunk(dir, bound)
  if redis.call('ZSCORE', chunk, member) then return 0 end
  local size = redis.call('ZCARD', chunk)
  if size >= IX_CHUNK_MAX then
    local last = redis.call('ZRANGE', chunk, -1, -1)[1]
    if ix_less(last, member) then
      -- Past the chunk's end (the next bound is greater still): a chunk of its own, so that
      -- members added in order leave full chunks behind.
      redis.call('ZADD', dir, 0, member)
      redis.call('ZADD', ix_chunk(dir, member), 0, member)
      return 1
    end
    local half = math.floor(size / 2)
    local upper = redis.call('ZRANGE', chunk, half, -1)
    local args = {}
    for i, m in ipairs(upper) do
      args[2 * i - 1] = 0
      args[2 * i] = m
    end
    redis.call('ZADD', ix_chunk(dir, upper[1]), unpack(args))
    redis.call('ZREMRANGEBYRANK', chunk, half, -1)
    redis.call('ZADD', dir, 0, upper[1])
    if not ix_less(member, upper[1]) then chunk = ix_chunk(dir, upper[1]) end
  end
  redis.call('ZADD', chunk, 0, member)
  return 1
end

local function ix_rem(dir, member)
  local bound = ix_bound(dir, member)
  if not bound then return 0 end
  local chunk = ix_chunk(dir, bound)
  local removed = redis.call('ZREM', chunk, member)
  if removed == 1 and redis.call('EXISTS', chunk) == 0 then
    -- The first chunk's bound stays while other chunks follow it; the last one out drops it.
    if bound ~= '' then redis.call('ZREM', dir, bound) end
    if redis.call('ZCARD', dir) == 1 and redis.call('EXISTS', ix_chunk(dir, '')) == 0 then
      redis.call('DEL', dir)
    end
  end
  return removed
end

local function ix_range(dir, min, min_raw, max, limit, out)
  local bound = ix_bound(dir, min_raw)
  local got = 0
  while bound and got < limit do
    local members = redis.call('ZRANGE', ix_chunk(dir, bound), min, max, 'BYLEX', 'LIMIT', 0,
                               limit - got)
    for _, m in ipairs(members) do out[#out + 1] = m end
    got = got + #members
    if got >= limit then break end
    bound = redis.call('ZRANGE', dir, '(' .. bound, max, 'BYLEX', 'LIMIT', 0, 1)[1]
  end
end
)lua");
  return kLua;
}

}  // namespace wahana
