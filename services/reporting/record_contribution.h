#pragma once
// What one record adds to the reporting counters, and the subjects that have records.
//
// Cases are counted from the before/after of each message (case_counter_moves.h). The registry's
// and the event service's messages carry the record after the change, not always what it was
// counted as before (a worker's message has no "before" at all; an update may move a record to
// another village), so for them the service remembers, per record, the contribution it counted
// (contribution_store.h) and moves the counters by the difference between the old and the new.
// The record's version (Envelope.aggregate_version) orders the contributions: an older or repeated
// message changes nothing, so a redelivery is applied once in effect.
//
// Pure values and functions; thread-safe.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace wahana {

// The kinds of records counted by contribution. The name is the first part of their keys
// ("beneficiary_cells:..."), so it never changes.
// kCase is a case as the indicators count it (subject_contributions.h CaseworkContribution),
// named "casework" so its keys never meet the case pivot's own ("case_cells:", rebuilt apart).
enum class CountedSubject {
  kBeneficiary,
  kInstitution,
  kNetwork,
  kWorker,
  kEvent,
  kParticipant,
  kCase
};

// "beneficiary", "institution", "network", "worker", "event", "participant", "casework".
absl::string_view CountedSubjectName(CountedSubject subject);

// Every counted subject, each with pivot cells of its own (the case pivot's own are the case
// counters, reports_rebuild.h; "casework" is the cases as the indicators count them): the rebuild
// stages them, a district sends them to its province (leaf_figures.h).
std::vector<CountedSubject> CelledSubjects();

// The record a contribution's attached totals go to: a participant's to its event, an open case's
// to its worker. The parent's own cell then counts them too while the parent is counted (its
// "participants", its "openCases").
struct ParentRecord {
  CountedSubject subject;
  std::string id;

  bool operator==(const ParentRecord& other) const {
    return subject == other.subject && id == other.id;
  }
};

// One record's share of the counters.
struct Contribution {
  // The cell it counts in: its region code (a village, or above for a regency-wide event) and the
  // month ("2026-11") its subject's period is about (registration, start). Both empty when the
  // record counts in no cell (archived, cancelled; a participant counts through its parent only).
  std::string region;
  std::string month;
  // The cell's counters it adds to: "n" (records) and "<dimension>:<value>" ("kind:3": 1).
  std::map<std::string, int64_t> fields;
  // Totals it adds to its parent (none when absent).
  std::optional<ParentRecord> parent;
  std::map<std::string, int64_t> parent_fields;

  bool counted() const { return !region.empty(); }
  bool operator==(const Contribution& other) const {
    return region == other.region && month == other.month && fields == other.fields &&
           parent == other.parent && parent_fields == other.parent_fields;
  }
};

// The contribution as stored beside the record's version: a small JSON object
// ({"v":3,"r":"16.06.01.2001","m":"2026-11","f":{"n":1},"p":"event:01H…","pf":{"participants":1}})
// that the apply script (redis_contribution_store.cc) reads with cjson.
std::string ContributionJson(int64_t version, const Contribution& contribution);

// The inverse of ContributionJson: the version and the contribution. INTERNAL for anything else
// (it is this service's own data).
absl::StatusOr<std::pair<int64_t, Contribution>> ParseContributionJson(absl::string_view json);

// "event:<id>" and back; INTERNAL for an unknown subject.
std::string ParentText(const ParentRecord& parent);
absl::StatusOr<ParentRecord> ParseParentText(absl::string_view text);

}  // namespace wahana
