#include "common/bus/group_progress.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/bus/bus_contract.h"
#include "common/status/status_macros.h"

namespace wahana {
namespace {

// The field `name` of one XINFO GROUPS entry (a flat name/value array), or nullptr.
const RedisReply* Field(const RedisReply& entry, const std::string& name) {
  for (size_t i = 0; i + 1 < entry.elements.size(); i += 2) {
    if (entry.elements[i].str == name) return &entry.elements[i + 1];
  }
  return nullptr;
}

std::optional<int64_t> IntegerField(const RedisReply& entry, const std::string& name) {
  const RedisReply* field = Field(entry, name);
  if (field == nullptr || field->type != RedisReply::Type::kInteger) return std::nullopt;
  return field->integer;
}

// Entries of `stream` after `after_id` (exclusive), at most `limit`: what Redis's nil lag hides.
absl::StatusOr<RedisReply> EntriesAfter(RedisClient& redis, const std::string& stream,
                                        const std::string& after_id, int limit) {
  return redis.Command(
      {"XRANGE", stream, absl::StrCat("(", after_id), "+", "COUNT", std::to_string(limit)});
}

}  // namespace

std::optional<GroupInfo> FindGroupInfo(const RedisReply& reply, const std::string& group) {
  if (reply.type != RedisReply::Type::kArray) return std::nullopt;
  for (const RedisReply& entry : reply.elements) {
    const RedisReply* name = Field(entry, "name");
    if (name == nullptr || name->str != group) continue;
    GroupInfo info;
    if (const RedisReply* last = Field(entry, "last-delivered-id"); last != nullptr) {
      info.last_delivered_id = last->str;
    }
    info.pending = IntegerField(entry, "pending");
    info.lag = IntegerField(entry, "lag");
    return info;
  }
  return std::nullopt;
}

std::optional<absl::Time> StreamIdTime(const std::string& entry_id) {
  int64_t ms = 0;
  if (!absl::SimpleAtoi(entry_id.substr(0, entry_id.find('-')), &ms)) return std::nullopt;
  return absl::FromUnixMillis(ms);
}

absl::StatusOr<GroupProgress> RedisGroupProgressReader::Read(const std::string& stream,
                                                             const std::string& group) {
  GroupProgress progress;
  progress.stream = stream;
  progress.group = group;
  absl::StatusOr<RedisReply> groups = redis_.Command({"XINFO", "GROUPS", stream});
  // No stream yet ("no such key"): nothing written, nothing to apply, nothing dead.
  if (!groups.ok()) {
    if (absl::StrContains(groups.status().message(), "no such key")) return progress;
    return groups.status();
  }
  std::optional<GroupInfo> info = FindGroupInfo(*groups, group);

  if (info.has_value()) {
    progress.pending = info->pending.value_or(0);
    int64_t undelivered = 0;
    if (info->lag.has_value()) {
      undelivered = *info->lag;
    } else {
      // Redis cannot tell (entries deleted in between): count what follows the group, bounded.
      WAHANA_ASSIGN_OR_RETURN(RedisReply after,
                              EntriesAfter(redis_, stream, info->last_delivered_id, 100000));
      undelivered = static_cast<int64_t>(after.elements.size());
    }
    progress.lag = undelivered + progress.pending;

    // The oldest entry not applied: the oldest pending one, else the first undelivered one.
    std::string oldest;
    if (progress.pending > 0) {
      WAHANA_ASSIGN_OR_RETURN(RedisReply summary, redis_.Command({"XPENDING", stream, group}));
      if (summary.elements.size() >= 2) oldest = summary.elements[1].str;
    } else if (undelivered > 0) {
      WAHANA_ASSIGN_OR_RETURN(RedisReply next,
                              EntriesAfter(redis_, stream, info->last_delivered_id, 1));
      if (!next.elements.empty() && !next.elements[0].elements.empty()) {
        oldest = next.elements[0].elements[0].str;
      }
    }
    if (!oldest.empty()) progress.oldest_unapplied = StreamIdTime(oldest);
  } else {
    // The stream exists but the group does not yet: it will start at the stream's beginning.
    WAHANA_ASSIGN_OR_RETURN(RedisReply length, redis_.Command({"XLEN", stream}));
    progress.lag = length.integer;
    if (progress.lag > 0) {
      WAHANA_ASSIGN_OR_RETURN(RedisReply first,
                              redis_.Command({"XRANGE", stream, "-", "+", "COUNT", "1"}));
      if (!first.elements.empty() && !first.elements[0].elements.empty()) {
        progress.oldest_unapplied = StreamIdTime(first.elements[0].elements[0].str);
      }
    }
  }

  // Dead letters name their group (stream_consumer.cc); they are few, read them all.
  WAHANA_ASSIGN_OR_RETURN(RedisReply dead,
                          redis_.Command({"XRANGE", DeadLetterStreamKey(stream), "-", "+"}));
  for (const RedisReply& entry : dead.elements) {
    if (entry.elements.size() < 2) continue;
    const RedisReply& fields = entry.elements[1];
    for (size_t i = 0; i + 1 < fields.elements.size(); i += 2) {
      if (fields.elements[i].str == "group" && fields.elements[i + 1].str == group) {
        ++progress.dead_letters;
      }
    }
  }
  return progress;
}

}  // namespace wahana
