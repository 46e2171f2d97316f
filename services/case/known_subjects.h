#pragma once
// What the case service knows of the registry records its cases name (subjects, parties,
// reporters): whether each exists and is archived, so that a create need not ask the registry
// over gRPC for a record it already checked. The interface the case logic depends on
// (RedisKnownSubjects in production, an in-memory fake in the logic's tests).
//
// It is a projection of the registry, kept in the case service's own keys and fed two ways:
//   - the registry's answer over gRPC (CaseLogic asks when a record is not known here), and
//   - the registry's stream (the case service's consumer): archives always, other changes only
//     of records already known, so it holds the records cases named plus the archived ones, not
//     the whole registry.
// Each entry carries the record's version: an older fact never replaces a newer one, whatever
// order the two feeds arrive in. It also carries the region the record lies in (as the registry's
// access checks place it), so a create can check that its caller may read every record it names
// (reference_access.h) without asking the registry; an entry without one (written before regions
// were kept) counts as unknown for that check, and the registry is asked. A record not known here
// is asked of the registry, so the rule "a case names only records that exist in the registry,
// checked over gRPC with a deadline" holds through that fallback; a lost projection only costs
// calls to the registry.
//
// A create does not Lookup: it asks the store to check "known live" inside its own atomic write
// (CaseStore::Create, RedisCaseStore turns each into a guard on this projection's hash field), and
// asks the registry only about a record that guard refused as unknown, then writes again.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace wahana {

// The kinds of registry record a case refers to.
enum class SubjectKind { kBeneficiary, kHousehold, kInstitution, kWorker };

// "beneficiary", "household", "institution", "worker".
const char* SubjectKindName(SubjectKind kind);

struct SubjectRef {
  SubjectKind kind;
  std::string id;
};

enum class SubjectState { kUnknown, kLive, kArchived };

class KnownSubjects {
 public:
  virtual ~KnownSubjects() = default;

  // The state of each of `refs`, in order (one round trip).
  virtual absl::StatusOr<std::vector<SubjectState>> Lookup(const std::vector<SubjectRef>& refs) = 0;

  // The region each of `refs` lies in, in order (one round trip): "" when the record is not
  // known, or known without its region.
  virtual absl::StatusOr<std::vector<std::string>> RegionsOf(
      const std::vector<SubjectRef>& refs) = 0;

  // Records that `ref` is at `version` (>= 1), `archived` or not, lying in `region` ("" when not
  // known), unless a version at least as new is known (the same version without a region takes
  // one). With `only_if_known`, a record not known yet stays unknown.
  virtual absl::Status Remember(const SubjectRef& ref, int64_t version, bool archived,
                                const std::string& region, bool only_if_known) = 0;

  // All errors: UNAVAILABLE when storage cannot be reached, INTERNAL for corrupt data.
};

}  // namespace wahana
