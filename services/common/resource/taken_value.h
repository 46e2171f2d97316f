#pragma once
// Who holds an identity number (a NIK, a KK number) that a create, an update or an import row
// wanted, as the caller may be told. The registry keeps each of these numbers unique across the
// whole deployment, so a second claim is refused (ALREADY_EXISTS, HTTP 409) whoever asks; but the
// holder is named only to a caller who may read it. Anyone else learns that the number is
// registered outside their region, not the holder's id nor its region: a read outside the scope
// answers as if the record were absent (common/auth/access_policy.h), and a refusal must not tell
// more than that read would.
//
// Pure: the holder's region comes from the caller. Thread-safe.

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/auth/access_policy.h"
#include "common/auth/principal.h"

namespace wahana {

// How one resource's unique identity number is named.
struct IdentityNumberUse {
  Resource resource;        // the kind holding the number: Resource::kBeneficiary
  absl::string_view kind;   // that kind in messages: "beneficiary"
  absl::string_view field;  // the client's field, JSON spelling: "nik", "kkNumber"
  absl::string_view label;  // the number in prose: "NIK", "KK number"
  absl::string_view index;  // the store's unique index of the number: "nik"
};

// Why the number cannot be had, without the field: "already used by <kind> <holder_id>" when
// `caller` may read a record lying in `holder_region`, otherwise "a <kind> with this <label> is
// already registered outside your region".
std::string TakenNumberReason(const Principal& caller, const IdentityNumberUse& use,
                              absl::string_view holder_id, absl::string_view holder_region);

// ALREADY_EXISTS "requestId: <TakenNumberReason>" for a create whose requestId is the caller's
// own (common/storage/record_requests.h CallersRequestKey) but made `kind` `holder_id` in
// `holder_region`, where the caller may no longer create (its scope was narrowed since): told as a
// number taken outside the scope, naming neither the record nor where it lies.
absl::Status RequestIdTakenError(const Principal& caller, Resource resource, absl::string_view kind,
                                 absl::string_view holder_id, absl::string_view holder_region);

// Reads where a holder lies (the region code its access checks use) by its id.
using HolderRegion = std::function<absl::StatusOr<std::string>(const std::string& holder_id)>;

// `status`, a store's answer to a write, as `caller` may be told it: a unique conflict
// (common/storage/indexed_record_store.h UniqueConflictOf) on `use.index` becomes ALREADY_EXISTS
// "<field>: <TakenNumberReason>", the holder's region read with `holder_region`. When that read
// fails the holder is not named either ("<field>: a <kind> with this <label> is already
// registered"). Any other status is returned as it is, without calling `holder_region`.
absl::Status TakenNumberError(const absl::Status& status, const Principal& caller,
                              const IdentityNumberUse& use, const HolderRegion& holder_region);

}  // namespace wahana
