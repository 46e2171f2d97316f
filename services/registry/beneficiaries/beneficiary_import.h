#pragma once
// One bulk import (one HTTP request, or one client stream of batches): rows in, totals out.
//
// Each row is validated alone (beneficiary_validation.h); a refused row becomes a rejection
// {line, field, reason} and the others go on. Valid rows are stored a batch at a time
// (BeneficiaryStore::ImportBatch: no round trip per row), each with its "imported" message.
// Running the same rows again changes nothing:
//  - a row whose NIK is already held by a record with the same content is `unchanged`; with
//    other content it is rejected naming the holder ("nik: already used by beneficiary <id>";
//    a holder the caller may not read is not named: "a beneficiary with this NIK is already
//    registered outside your region"), never overwritten;
//  - a row without a NIK whose content some record with the same duplicate key already has is
//    `unchanged` (its content is its identity: no requestId is kept, so this holds for ever);
//  - otherwise a row sharing its duplicate key with other records is stored flagged
//    POSSIBLE_DUPLICATE.
// Rows repeated within one import behave the same way (the earlier row is stored first).
//
// The import runs for one caller (access_policy.h, Resource::kBeneficiary): a role that may not
// create beneficiaries fails the import (PERMISSION_DENIED), and a row whose villageCode lies
// outside the caller's scope is rejected ("villageCode: ... outside your region scope ...").
//
// A row's checks and its write are one atomic step, so imports running at the same time store a
// row once, with one exception: a row without a NIK that is similar to another record (stored
// flagged after a second step) may be stored by both.
//
// Batches go through Prepare (validation: CPU and region look-ups) and Store (ImportBatch, and
// again for the rows to store flagged), so that a stream can prepare a batch while the one before
// is stored. Not thread-safe otherwise: Prepare calls follow one another, and so do Store calls (in
// the order of their Prepare); one Prepare may run alongside one Store.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "common/ids/time_ordered_id.h"
#include "common/time/office_calendar.h"
#include "registry/beneficiaries/beneficiary_store.h"
#include "registry/beneficiaries/beneficiary_validation.h"
#include "registry/regions/region_rules.h"
#include "wahana/registry/v1/beneficiary.pb.h"

namespace wahana::registry {

// Rows one request (or one message of a stream) may carry.
inline constexpr int kMaxImportRowsPerRequest = 5000;
// Rejections an import answers with at most (the count in `rejected` is complete).
inline constexpr int kMaxImportRejectionsListed = 50000;

class BeneficiaryImport {
 public:
  // What an import works with; everything must outlive it.
  struct Context {
    std::string region;  // the deployment's ("16.06")
    // Who imports: the rows must lie in its scope. The default principal may import nothing.
    Principal caller;
    BeneficiaryStore* store = nullptr;
    std::shared_ptr<const RegionRules> regions;
    std::function<absl::Time()> now;
    TimeOrderedIdGenerator* ids = nullptr;
    // What "today" is for birth dates and NIKs (default Asia/Jakarta).
    OfficeCalendar calendar;
  };

  explicit BeneficiaryImport(Context context);

  // A batch validated and ready to store: what Prepare hands to Store.
  struct Rows {
    std::vector<int> lines;
    std::vector<BeneficiaryStore::ImportItem> items;
  };
  struct Prepared {
    int received = 0;
    std::vector<wahana::registry::v1::ImportRejection> rejections;
    Rows rows;
  };

  // Validates the rows of `batch` and makes their records and messages (a row's line is its
  // `line`, or its position in the import, 1-based, when 0). Reads regions and households, writes
  // nothing. INVALID_ARGUMENT "rows: ..." for more than kMaxImportRowsPerRequest rows,
  // PERMISSION_DENIED when the caller's role may not create beneficiaries, UNAVAILABLE when the
  // regions or households cannot be read.
  absl::StatusOr<Prepared> Prepare(const wahana::registry::v1::ImportBeneficiariesRequest& batch);

  // Stores a prepared batch and adds it to totals(). UNAVAILABLE when storage cannot be reached,
  // INTERNAL for a bug.
  absl::Status Store(Prepared prepared);

  // Prepare, then Store. Errors stop the import (rows of earlier batches stay stored; running the
  // rows again is safe).
  absl::Status AddBatch(const wahana::registry::v1::ImportBeneficiariesRequest& batch);

  // Store's tally; read it when no Store runs.
  const wahana::registry::v1::ImportBeneficiariesResponse& totals() const { return totals_; }

 private:
  void Reject(const wahana::registry::v1::ImportRejection& rejection);
  // Counts the outcome of storing `item`; a rejection goes to `rejections`, a row to store again
  // flagged to `retry`.
  void Settle(int line, BeneficiaryStore::ImportItem& item,
              BeneficiaryStore::ImportOutcome& outcome, Rows* retry,
              std::vector<wahana::registry::v1::ImportRejection>* rejections);
  absl::StatusOr<bool> HouseholdExists(const std::string& id);

  Context context_;
  BeneficiaryValidator validator_;
  // Prepare's state.
  std::map<std::string, bool> households_;  // household id -> exists, for this import
  int prepared_rows_ = 0;
  // Store's state.
  wahana::registry::v1::ImportBeneficiariesResponse totals_;
};

}  // namespace wahana::registry
