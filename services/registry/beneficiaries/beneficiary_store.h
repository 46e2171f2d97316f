#pragma once
// Where beneficiaries are kept: an IndexedRecordStore (beneficiary_indexing.h) plus the two things
// only beneficiaries need: storing a batch of imported rows in one round trip, and asking whether
// a household exists (the household's record is read by key; its rules are the household
// service's).

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/storage/indexed_record_store.h"
#include "wahana/common/v1/message.pb.h"
#include "wahana/registry/v1/beneficiary.pb.h"

namespace wahana::registry {

// Records sharing a duplicate key an import reports at most.
inline constexpr int kMaxSimilarReported = 5;

class BeneficiaryStore : public IndexedRecordStore<wahana::registry::v1::Beneficiary> {
 public:
  // One imported row, ready to store: a new record (id, etag kFirstVersion, times, flags set)
  // and the message announcing it.
  struct ImportItem {
    wahana::registry::v1::Beneficiary record;
    wahana::common::v1::Envelope message;
    // Store it even when other records have its duplicate key (the logic has flagged it).
    bool allow_similar = false;
  };
  struct ImportOutcome {
    enum class Kind {
      kCreated,  // stored, with its index entries and message
      kNikHeld,  // not stored: `found` holds the record that has its NIK
      kSimilar,  // not stored: `found` holds up to kMaxSimilarReported records with its
                 // duplicate key (only when !allow_similar)
    };
    Kind kind = Kind::kCreated;
    std::vector<wahana::registry::v1::Beneficiary> found;
  };

  // Stores `items` (ids increasing) in order, each on its own as Create would store it (without a
  // requestId), unless its NIK is held or (without allow_similar) its duplicate key is taken: by a
  // record stored before or by an earlier item of the same batch. One outcome per item, in order.
  // Atomic per item; a few round trips per batch. INTERNAL when a record's id, etag or message
  // disagree (nothing of the batch written), UNAVAILABLE when Redis cannot be reached (items
  // before the failure may be stored).
  virtual absl::StatusOr<std::vector<ImportOutcome>> ImportBatch(
      const std::vector<ImportItem>& items) = 0;

  // Whether the household `id` exists (archived or not).
  virtual absl::StatusOr<bool> HouseholdExists(const std::string& id) = 0;
};

}  // namespace wahana::registry
