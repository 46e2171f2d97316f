#include "common/storage/store_backfill.h"

#include "absl/strings/str_cat.h"

namespace wahana {

std::string BackfillVersionKey(const RecordKeys& keys, absl::string_view what) {
  return keys.Index(absl::StrCat(what, "-version"));
}

absl::StatusOr<bool> BackfillAtVersion(RedisClient& redis, const RecordKeys& keys,
                                       absl::string_view what, const std::string& version) {
  WAHANA_ASSIGN_OR_RETURN(RedisReply reply, redis.Command({"GET", BackfillVersionKey(keys, what)}));
  return reply.type == RedisReply::Type::kString && reply.str == version;
}

}  // namespace wahana
