#pragma once
// The contribution-counted reports' part of `wahana-reporting --rebuild` (reports_rebuild.h
// runs it under its lease, beside the case counters): every record of the registry and the event
// service, listed through their APIs (record_source.h), and each listed case's share of its
// worker's caseload, counted by the live path's own rule: the record is wrapped in the message
// that made it (its version is the one its etag encodes) and read with CountedChangeOf. The
// contributions are applied, with their versions, to a RedisContributionStore on the staging
// keys, which the rebuild then swaps in.
//
// Consistency with the live consumer: with each record's version stored, a message not applied
// yet needs no subtraction (unlike the case counters): after the swap, one at or below the listed
// version changes nothing, a newer one moves the counters by its difference. This is why archived
// records and withdrawn participants are listed too: without their version an older pending
// message would count them again. A record the live path cannot count (a region outside the
// deployment: it dead-letters its messages) is skipped.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/redis/redis_client.h"
#include "common/time/office_calendar.h"
#include "google/protobuf/message.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "reporting/counted_messages.h"
#include "reporting/record_source.h"
#include "wahana/cases/v1/case.pb.h"

namespace wahana {

class ContributionsRebuild {
 public:
  // `rules` as the live consumer counts (ReportingDeps).
  ContributionsRebuild(std::string region, CountingRules rules);

  // A case the case rebuild counted, as listed at `version`: its caseload share.
  void AddCase(const wahana::cases::v1::Case& c, int64_t version);

  // Lists every record of `source`, calling `renew` (the lease) after every page.
  absl::Status ListRecords(RecordSource& source, const std::function<absl::Status()>& renew);

  // Applies every contribution listed under StagedKeyBase (cleared beforehand by the caller),
  // calling `renew` as it goes.
  absl::Status Stage(RedisClient& redis, const std::function<absl::Status()>& renew) const;

  // The patterns of the live keys the staged ones replace.
  std::vector<std::string> LivePatterns() const;

  int64_t records() const { return records_; }  // listed and counted (cases not included)
  int64_t skipped() const { return skipped_; }  // listed, not countable

 private:
  // Counts every record of a listing: `page_of(token)` answers a page, `records` its records,
  // each put in its message with `record_in` and placed with `region_of` (its id added to `ids`).
  template <typename Changed, typename Page, typename Record, typename List>
  absl::Status CountAll(const List& page_of,
                        const google::protobuf::RepeatedPtrField<Record>& (Page::*records)() const,
                        Record* (Changed::*record_in)(),
                        const std::string& (Record::*region_of)() const,
                        const std::function<absl::Status()>& renew,
                        std::vector<std::string>* ids = nullptr);
  // Counts the record in `changed` (its *Changed message) as of the version in `etag`.
  void Count(const google::protobuf::Message& changed, const std::string& id,
             const std::string& etag, const std::string& region_code);

  const std::string region_;
  const CountingRules rules_;
  std::vector<CountedChange> changes_;
  int64_t records_ = 0;
  int64_t skipped_ = 0;
};

}  // namespace wahana
