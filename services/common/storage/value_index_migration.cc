#include "common/storage/value_index_migration.h"

#include <spdlog/spdlog.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "common/storage/exact_index.h"

namespace wahana {
namespace {

// KEYS: the old directory, the new hash. Moves every "<escaped value>|<id>" of the directory's
// chunks into the hash, then deletes the chunks and the directory. Returns the entries moved.
const LuaScript& MigrateScript() {
  static const LuaScript kScript(ExactIndexLua() + R"lua(
local dir, hash = KEYS[1], KEYS[2]
local moved = 0
for _, bound in ipairs(redis.call('ZRANGE', dir, 0, -1)) do
  local chunk = dir .. '|' .. bound
  for _, member in ipairs(redis.call('ZRANGE', chunk, 0, -1)) do
    local escaped, id = string.match(member, '^(.*)|([^|]*)$')
    if escaped then
      local value = string.gsub(escaped, '\\(.)', function(c)
        if c == '!' then return '|' end
        return c
      end)
      moved = moved + xi_add(hash, value, id)
    end
  end
  redis.call('DEL', chunk)
end
redis.call('DEL', dir)
return moved
)lua");
  return kScript;
}

// The old directories of `layout` ("unique" or "lookup"): sorted sets whose name has no '|'
// (chunk keys are "<dir>|<bound>").
absl::StatusOr<std::vector<std::string>> OldDirectories(RedisClient& redis, const RecordKeys& keys,
                                                        absl::string_view layout) {
  const std::string prefix = keys.Index(absl::StrCat(layout, ":"));
  std::vector<std::string> dirs;
  std::string cursor = "0";
  do {
    WAHANA_ASSIGN_OR_RETURN(RedisReply reply,
                            redis.Command({"SCAN", cursor, "MATCH", absl::StrCat(prefix, "*"),
                                           "COUNT", "1000", "TYPE", "zset"}));
    if (reply.type != RedisReply::Type::kArray || reply.elements.size() != 2) {
      return absl::InternalError("index migration: unexpected SCAN reply");
    }
    cursor = reply.elements[0].str;
    for (const RedisReply& key : reply.elements[1].elements) {
      if (key.str.find('|', prefix.size()) == std::string::npos) dirs.push_back(key.str);
    }
  } while (cursor != "0");
  return dirs;
}

}  // namespace

absl::Status MigrateValueIndexes(RedisClient& redis, const RecordKeys& keys) {
  for (absl::string_view layout : {"unique", "lookup"}) {
    WAHANA_ASSIGN_OR_RETURN(std::vector<std::string> dirs, OldDirectories(redis, keys, layout));
    const std::string old_prefix = keys.Index(absl::StrCat(layout, ":"));
    for (const std::string& dir : dirs) {
      std::string hash = keys.Index(
          absl::StrCat(layout, "-ids:", absl::string_view(dir).substr(old_prefix.size())));
      WAHANA_ASSIGN_OR_RETURN(RedisReply moved, redis.Eval(MigrateScript(), {dir, hash}, {}));
      spdlog::info("index migration: {} -> {} ({} entries)", dir, hash, moved.integer);
    }
  }
  return absl::OkStatus();
}

}  // namespace wahana
