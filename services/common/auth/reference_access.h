#pragma once
// A reference is a read (issue 11): a request field that names another record (a case's subject,
// party or reporter, a referral's institution, an assignee, a household's member, a network's
// member institution) may name only a record the caller could read itself. One the caller may not
// read answers exactly as an unknown id: NOT_FOUND "<field>: <kind> <id> not found", so a refusal
// never tells an outsider that the record exists, and nothing but the id the caller sent is named.
// Every service that takes references checks them here, after it has found the record (or not).

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/auth/access_policy.h"
#include "common/auth/principal.h"

namespace wahana {

// The answer to a reference naming no record, or one the caller may not read:
// NOT_FOUND "<field>: <kind> <id> not found" (kind: ResourceName, "beneficiary").
absl::Status ReferenceNotFound(absl::string_view field, Resource resource, absl::string_view id);

// OK when `caller` may read the `resource` record `id` lying in `region_code` (access_policy.h's
// CheckRecordAccess for kRead); otherwise ReferenceNotFound(field, resource, id).
absl::Status CheckReference(const Principal& caller, Resource resource,
                            absl::string_view region_code, absl::string_view field,
                            absl::string_view id);

// The reference `field` = `id` once read (`got`: the other service's or store's answer): the
// record when `caller` may read it where `region_of(record)` puts it; ReferenceNotFound when
// `got` is NOT_FOUND or INVALID_ARGUMENT (an id the owner refuses is as unknown) or the record is
// out of reach; any other error as it came (UNAVAILABLE).
template <typename Record, typename RegionOf>
absl::StatusOr<Record> ReadableReference(const Principal& caller, Resource resource,
                                         absl::string_view field, absl::string_view id,
                                         absl::StatusOr<Record> got, const RegionOf& region_of) {
  if (absl::IsNotFound(got.status()) || absl::IsInvalidArgument(got.status())) {
    return ReferenceNotFound(field, resource, id);
  }
  if (!got.ok()) return got.status();
  absl::Status readable = CheckReference(caller, resource, region_of(*got), field, id);
  if (!readable.ok()) return readable;
  return got;
}

}  // namespace wahana
