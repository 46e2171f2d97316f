#pragma once
// What every record service's logic does alike with a request, whatever the kind of record:
// bounds the requestId and answers a retried create from storage, checks that an id is one the
// service could have given out, and describes the message that announces a new record.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/auth/principal.h"
#include "common/bus/envelope.h"
#include "common/status/status_macros.h"
#include "common/storage/record_store.h"

namespace wahana {

inline constexpr size_t kMaxRequestIdBytes = 128;

// INVALID_ARGUMENT "requestId: at most 128 bytes" for a longer one; an empty one is fine.
absl::Status CheckRequestId(const std::string& request_id);

// Record ids are time-ordered ids (common/ids/time_ordered_id.h). INVALID_ARGUMENT naming
// `field` when `id` is empty or not one; `a_kind` ("a case", "an event") says in the message what
// it is not: `id: "abc" is not a case id (26 characters, 0-9 A-Z)`.
absl::Status CheckRecordId(const std::string& id, absl::string_view a_kind,
                           absl::string_view field = "id");

// The facts of the message announcing a new record `id` (version kFirstVersion) in region
// `region_code`, from the deployment `origin_region`.
MessageFacts CreatedFacts(const std::string& origin_region, const std::string& id,
                          const std::string& region_code);

// The facts of the message announcing that record `id` changed to `version`.
MessageFacts ChangedFacts(const std::string& origin_region, const std::string& id, int64_t version,
                          const std::string& region_code);

// ABORTED `etag: stale ("3"), beneficiary 01J... is at "4"`: a change based on version `expected`
// of a record that has moved on to `current`.
absl::Status StaleEtagError(absl::string_view kind, const std::string& id,
                            const std::string& expected, const std::string& current);

// The first check of an update or archive, against the `current` record just read: OK when the
// client sent no etag (`requested` empty) or the current one, else StaleEtagError. The change is
// then written with the current etag as the expected one, which the store checks again in the
// write itself (a change in between is ABORTED too).
absl::Status CheckEtag(const std::string& requested, const std::string& current_etag,
                       absl::string_view kind, const std::string& id);

// INVALID_ARGUMENT "etag: required (the etag of the <kind> as read)" when `requested` is empty:
// every update, archive and step of every record is based on the version its client read, so
// that a late change is refused (ABORTED) rather than silently overwriting a newer one.
absl::Status RequireEtag(const std::string& requested, absl::string_view kind);

// The etag of the version after `etag`'s; INTERNAL when `etag` is not a stored record's.
absl::StatusOr<std::string> NextEtag(const std::string& etag);

// What a create's `request_id` is kept under: the caller's own, "<digest of the subject>:<id>"
// ("" for an empty one). An idempotency key belongs to its caller: another principal sending the
// same requestId makes its own record, and is never answered with the first caller's (nor told
// that it exists). Every store's Create and FindByRequestId take this, never the raw requestId.
std::string CallersRequestKey(const Principal& caller, const std::string& request_id);

// The first steps of an idempotent create: checks `request_id` (CheckRequestId), then returns the
// record an earlier create by `caller` with it made, or nullopt (always for an empty one). A retry
// is thus answered from storage before the request is validated, so it succeeds even while a
// service the validation needs (the registry) is down.
template <typename Record>
absl::StatusOr<std::optional<Record>> EarlierCreate(RecordStore<Record>& store,
                                                    const Principal& caller,
                                                    const std::string& request_id) {
  WAHANA_RETURN_IF_ERROR(CheckRequestId(request_id));
  if (request_id.empty()) return std::optional<Record>();
  return store.FindByRequestId(CallersRequestKey(caller, request_id));
}

}  // namespace wahana
