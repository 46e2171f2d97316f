#pragma once
// Which stream messages set a record's contribution (record_contribution.h), and to what: the
// registry's beneficiaries, institutions, networks and workers, the event service's events and
// participants, and each case's share of its worker's caseload. Pure; thread-safe.

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "common/time/office_calendar.h"
#include "reporting/record_contribution.h"
#include "wahana/common/v1/message.pb.h"

namespace wahana {

// What the counting depends on besides the message.
struct CountingRules {
  OfficeCalendar calendar;     // the months and days records are placed in
  int case_overdue_days = 30;  // WAHANA_CASE_OVERDUE_DAYS, as the case service lists overdue cases
};

struct CountedChange {
  CountedSubject subject;
  std::string id;
  int64_t version = 0;
  Contribution contribution;
};

// The change `envelope` makes in deployment `region`; nullopt for a type counted otherwise or not
// at all (a household, which no report counts; a type this version does not know: the caller
// tells these apart with IsKnownMessageType). INVALID_ARGUMENT naming the message for a payload
// that does not unpack, no record id or version, or a counted record whose region is malformed
// or outside `region`.
absl::StatusOr<std::optional<CountedChange>> CountedChangeOf(
    const wahana::common::v1::Envelope& envelope, const std::string& region,
    const CountingRules& rules);

// Whether this version knows messages of `type` (counted or not).
bool IsKnownMessageType(const std::string& type);

}  // namespace wahana
