#pragma once
// Where and how households are kept: their Redis keys and how the record store lists and finds
// them.
//
//   registry:{16.06}:household:<id>               the record (hash {pb: Household bytes, etag})
//   registry:{16.06}:request:household:<rid>      a create's requestId
//   registry:{16.06}:stream                       HouseholdChanged messages (the registry's stream)
//   registry:{16.06}:index:household:...
//     live / archived                             by village code
//     unique:kkNumber                             who holds a KK number
//     unique:member                               which household a beneficiary id belongs to
//
// Both unique indexes hold for live households only: archiving a household (a family that broke
// up, moved away) releases its KK number and its members, who may then join another household.
// Claiming the members in the store's write makes "one live household per beneficiary" hold
// under concurrent writes too.

#include <string>

#include "common/resource/taken_value.h"
#include "common/storage/indexed_record_store.h"
#include "common/storage/record_indexing.h"
#include "common/storage/record_keys.h"
#include "wahana/registry/v1/household.pb.h"

namespace wahana::registry {

using HouseholdStore = IndexedRecordStore<wahana::registry::v1::Household>;

inline constexpr char kHouseholdKind[] = "household";
inline constexpr char kKkNumberIndex[] = "kkNumber";
inline constexpr char kMemberIndex[] = "member";

// The KK number as refusals name it: its holder only to callers who may read it
// (taken_number.h).
inline constexpr IdentityNumberUse kHouseholdKk{Resource::kHousehold, kHouseholdKind, "kkNumber",
                                                "KK number", kKkNumberIndex};

// The beneficiary service reads household records by these keys too (householdId checks).
inline RecordKeys HouseholdKeys(const std::string& region) {
  return RecordKeys("registry", kHouseholdKind, region);
}

RecordIndexing<wahana::registry::v1::Household> HouseholdIndexing();

}  // namespace wahana::registry
