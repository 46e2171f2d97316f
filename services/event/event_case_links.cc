#include "event/event_case_links.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/status/status_macros.h"

namespace wahana {
namespace {

// KEYS[1] the event's list; ARGV case id, case region. The check and the append are one step, so
// two consumers handling the same case at once still link it once. An event serves few cases:
// reading its list whole is cheap.
const LuaScript& LinkScript() {
  static const LuaScript kScript(R"lua(
local prefix = ARGV[1] .. '|'
for _, item in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
  if string.sub(item, 1, #prefix) == prefix then return 0 end
end
redis.call('RPUSH', KEYS[1], prefix .. ARGV[2])
return 1
)lua");
  return kScript;
}

absl::StatusOr<std::vector<CaseLink>> LinksOf(const RedisReply& reply) {
  if (reply.is_error()) return RedisErrorToStatus(reply.str);
  std::vector<CaseLink> links;
  for (const RedisReply& item : reply.elements) {
    const size_t bar = item.str.find('|');
    // Written only by LinkScript; an item without a region would be shown to nobody.
    if (bar == std::string::npos) continue;
    links.push_back({item.str.substr(0, bar), item.str.substr(bar + 1)});
  }
  return links;
}

class RedisEventCaseLinkStore : public EventCaseLinkStore {
 public:
  RedisEventCaseLinkStore(RedisClient& redis, std::string region)
      : redis_(redis), region_(std::move(region)) {}

  absl::StatusOr<bool> Link(const std::string& event_id, const CaseLink& link) override {
    WAHANA_ASSIGN_OR_RETURN(RedisReply reply,
                            redis_.Eval(LinkScript(), {EventCasesKey(region_, event_id)},
                                        {link.case_id, link.region_code}));
    return reply.integer == 1;
  }

  absl::StatusOr<std::vector<std::vector<CaseLink>>> Read(
      const std::vector<std::string>& event_ids) override {
    std::vector<std::vector<CaseLink>> links;
    if (event_ids.empty()) return links;
    std::vector<std::vector<std::string>> commands;
    commands.reserve(event_ids.size());
    for (const std::string& id : event_ids) {
      commands.push_back({"LRANGE", EventCasesKey(region_, id), "0", "-1"});
    }
    WAHANA_ASSIGN_OR_RETURN(std::vector<RedisReply> replies, redis_.Pipeline(commands));
    links.reserve(replies.size());
    for (const RedisReply& reply : replies) {
      WAHANA_ASSIGN_OR_RETURN(std::vector<CaseLink> one, LinksOf(reply));
      links.push_back(std::move(one));
    }
    return links;
  }

 private:
  RedisClient& redis_;
  const std::string region_;
};

}  // namespace

std::string EventCasesKey(const std::string& region, const std::string& event_id) {
  return absl::StrCat("event:{", region, "}:index:event-cases:", event_id);
}

std::shared_ptr<EventCaseLinkStore> MakeRedisEventCaseLinkStore(RedisClient& redis,
                                                                const std::string& region) {
  return std::make_shared<RedisEventCaseLinkStore>(redis, region);
}

}  // namespace wahana
