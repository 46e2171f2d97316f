#pragma once
// The first half of every change of a stored record, for every service: the resource flow's
// update, archive and steps (resource_flow.h) and the case service's steps alike.
//
// ReadForChange(store, id, etag, kind, a_kind, may_change) checks `id` (INVALID_ARGUMENT naming
// `id`), requires `etag` (INVALID_ARGUMENT "etag: required ..."), reads the record (NOT_FOUND),
// asks `may_change` whether the caller may change it (its refusal is returned as it is: NOT_FOUND
// for a record the caller may not even read, so a write leaks no existence), and only then
// compares the etag (ABORTED when stale): a stale etag tells an outsider nothing.
//
// The change is then written with the record's etag as the expected one, which the store checks
// again inside its atomic write (a change in between is ABORTED too).

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/status/status_macros.h"
#include "common/storage/record_requests.h"

namespace wahana {

// `Store` is any store with `absl::StatusOr<Record> Get(const std::string& id)`.
template <typename Record, typename Store>
absl::StatusOr<Record> ReadForChange(Store& store, const std::string& id, const std::string& etag,
                                     absl::string_view kind, absl::string_view a_kind,
                                     const std::function<absl::Status(const Record&)>& may_change) {
  WAHANA_RETURN_IF_ERROR(CheckRecordId(id, a_kind));
  WAHANA_RETURN_IF_ERROR(RequireEtag(etag, kind));
  WAHANA_ASSIGN_OR_RETURN(Record current, store.Get(id));
  WAHANA_RETURN_IF_ERROR(may_change(current));
  WAHANA_RETURN_IF_ERROR(CheckEtag(etag, current.etag(), kind, id));
  return current;
}

}  // namespace wahana
