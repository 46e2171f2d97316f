#include "registry/regions/redis_region_store.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "common/bus/envelope.h"
#include "common/status/status_macros.h"

namespace wahana::registry {
namespace {

using wahana::registry::v1::Region;

// One round trip for a page: KEYS children, data; ARGV parent, lex-min, limit.
// Returns {parent_exists, total, more, value...}.
const LuaScript& ListScript() {
  static const LuaScript kScript(R"lua(
local parent = ARGV[1]
if parent ~= '' and redis.call('HEXISTS', KEYS[2], parent) == 0 then return {0, 0, 0} end
local limit = tonumber(ARGV[3])
local codes = redis.call('ZRANGE', KEYS[1], ARGV[2], '+', 'BYLEX', 'LIMIT', 0, limit + 1)
local more = 0
if #codes > limit then more = 1; codes[#codes] = nil end
local out = {1, redis.call('ZCARD', KEYS[1]), more}
if #codes > 0 then
  local values = redis.call('HMGET', KEYS[2], unpack(codes))
  for i = 1, #values do out[#out + 1] = values[i] end
end
return out
)lua");
  return kScript;
}

constexpr size_t kFieldsPerCommand = 1000;

}  // namespace

std::string RedisRegionStore::ChildrenKey(const std::string& parent) {
  return absl::StrCat("registry:{regions}:children:", parent);
}

absl::StatusOr<Region> RedisRegionStore::Get(const std::string& code) {
  WAHANA_ASSIGN_OR_RETURN(RedisReply reply, redis_.Command({"HGET", kDataKey, code}));
  if (reply.is_nil()) return absl::NotFoundError(absl::StrCat("region ", code, " not found"));
  Region region;
  if (!region.ParseFromString(reply.str)) {
    return absl::InternalError(absl::StrCat("region ", code, ": stored record is corrupt"));
  }
  return region;
}

absl::StatusOr<RegionStore::Page> RedisRegionStore::ListChildren(const std::string& parent,
                                                                 const std::string& after,
                                                                 int limit) {
  std::string min = after.empty() ? "-" : absl::StrCat("(", after);
  WAHANA_ASSIGN_OR_RETURN(RedisReply reply,
                          redis_.Eval(ListScript(), {ChildrenKey(parent), kDataKey},
                                      {parent, min, std::to_string(limit)}));
  if (reply.elements.size() < 3) return absl::InternalError("region list: unexpected reply");
  if (reply.elements[0].integer == 0) {
    return absl::NotFoundError(absl::StrCat("region ", parent, " not found"));
  }
  Page page;
  page.total = static_cast<int32_t>(reply.elements[1].integer);
  page.more = reply.elements[2].integer == 1;
  for (size_t i = 3; i < reply.elements.size(); ++i) {
    Region region;
    if (reply.elements[i].is_nil() || !region.ParseFromString(reply.elements[i].str)) {
      return absl::InternalError("region list: a child has no stored record");
    }
    page.regions.push_back(std::move(region));
  }
  return page;
}

absl::StatusOr<bool> RedisRegionStore::LoadIfNewer(const RegionCatalog& catalog,
                                                   const std::string& origin_region) {
  // WATCH needs one connection for the whole exchange.
  WAHANA_ASSIGN_OR_RETURN(auto connection, RedisConnection::Open(redis_.options()));
  WAHANA_RETURN_IF_ERROR(connection->SetTimeoutMs(60000));  // a full load is one large EXEC
  for (int attempt = 0; attempt < 3; ++attempt) {
    WAHANA_RETURN_IF_ERROR(connection->Command({"WATCH", kVersionKey}).status());
    WAHANA_ASSIGN_OR_RETURN(RedisReply version, connection->Command({"GET", kVersionKey}));
    if (!version.is_nil() && version.str == catalog.version) {
      WAHANA_RETURN_IF_ERROR(connection->Command({"UNWATCH"}).status());
      return false;
    }
    WAHANA_ASSIGN_OR_RETURN(RedisReply old_parents, connection->Command({"SMEMBERS", kParentsKey}));

    std::map<std::string, std::vector<std::string>> children;  // parent -> codes
    for (const Region& r : catalog.regions) children[r.parent_code()].push_back(r.code());

    std::vector<std::vector<std::string>> commands;
    commands.push_back({"MULTI"});
    std::vector<std::string> del = {"DEL", kDataKey, kParentsKey};
    for (const RedisReply& p : old_parents.elements) del.push_back(ChildrenKey(p.str));
    commands.push_back(std::move(del));
    std::vector<std::string> hset = {"HSET", kDataKey};
    for (const Region& r : catalog.regions) {
      hset.push_back(r.code());
      hset.push_back(r.SerializeAsString());
      if (hset.size() >= 2 + 2 * kFieldsPerCommand) {
        commands.push_back(std::move(hset));
        hset = {"HSET", kDataKey};
      }
    }
    if (hset.size() > 2) commands.push_back(std::move(hset));
    std::vector<std::string> parents = {"SADD", kParentsKey};
    for (const auto& [parent, codes] : children) {
      parents.push_back(parent);
      for (size_t i = 0; i < codes.size(); i += kFieldsPerCommand) {
        std::vector<std::string> zadd = {"ZADD", ChildrenKey(parent)};
        for (size_t j = i; j < codes.size() && j < i + kFieldsPerCommand; ++j) {
          zadd.push_back("0");
          zadd.push_back(codes[j]);
        }
        commands.push_back(std::move(zadd));
      }
    }
    commands.push_back(std::move(parents));
    commands.push_back({"SET", kVersionKey, catalog.version});
    wahana::registry::v1::RegionsLoaded loaded;
    loaded.set_data_version(catalog.version);
    loaded.set_region_count(static_cast<int32_t>(catalog.regions.size()));
    commands.push_back(
        XaddArgv(kStreamKey, MakeEnvelope(loaded, {origin_region, "regions", 0, ""})));
    commands.push_back({"EXEC"});

    WAHANA_ASSIGN_OR_RETURN(std::vector<RedisReply> replies, connection->Pipeline(commands));
    for (size_t i = 0; i + 1 < replies.size(); ++i) {
      // A command refused while queueing (EXECABORT follows): nothing was applied.
      if (replies[i].is_error()) {
        return absl::InternalError(absl::StrCat("region load refused: ", replies[i].str));
      }
    }
    const RedisReply& exec = replies.back();
    if (exec.is_error()) return absl::InternalError(absl::StrCat("region load: ", exec.str));
    if (!exec.is_nil()) return true;
    // Nil EXEC: another registry changed the version meanwhile; look again.
  }
  return absl::AbortedError("region load: the version kept changing under us");
}

}  // namespace wahana::registry
