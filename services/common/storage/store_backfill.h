#pragma once
// What the one-time backfills a service runs at start share (lookup_reindex.h,
// guard_field_backfill.h): a version mark per backfill kept beside the kind's indexes, so each
// runs once per version, and the walk over every stored record of the kind, live and archived.

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/redis/redis_client.h"
#include "common/status/status_macros.h"
#include "common/storage/indexed_record_store.h"
#include "common/storage/record_keys.h"

namespace wahana {

// The key holding the version backfill `what` reached: "event:{16.06}:index:event:<what>-version".
std::string BackfillVersionKey(const RecordKeys& keys, absl::string_view what);

// Whether backfill `what` of the kind is at `version` already.
absl::StatusOr<bool> BackfillAtVersion(RedisClient& redis, const RecordKeys& keys,
                                       absl::string_view what, const std::string& version);

// Calls `visit` with each page of the kind's records, live and archived, until the last or the
// first error `visit` returns; `last` tells the last page.
template <typename Record>
absl::Status ForEachStoredPage(
    IndexedRecordStore<Record>& store,
    const std::function<absl::Status(const std::vector<Record>& page, bool last)>& visit) {
  ListQuery<Record> query;
  query.include_archived = true;
  query.page_size = kMaxPageSize;
  while (true) {
    WAHANA_ASSIGN_OR_RETURN(ListPage<Record> page, store.List(query));
    const bool last = page.next_page_token.empty();
    WAHANA_RETURN_IF_ERROR(visit(page.records, last));
    if (last) return absl::OkStatus();
    query.page_token = std::move(page.next_page_token);
  }
}

}  // namespace wahana
