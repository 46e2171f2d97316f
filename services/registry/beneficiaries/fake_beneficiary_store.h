#pragma once
// A BeneficiaryStore in memory for the logic and import tests: the shared in-memory indexed store
// (tests/support) plus ImportBatch with the Redis script's rules, and a set of households.
// Header-only. Not thread-safe.

#include <set>
#include <string>
#include <vector>

#include "registry/beneficiaries/beneficiary_indexing.h"
#include "registry/beneficiaries/beneficiary_store.h"
#include "support/in_memory_indexed_record_store.h"

namespace wahana::registry::testing {

class FakeBeneficiaryStore
    : public wahana::testing::InMemoryIndexedRecordStore<wahana::registry::v1::Beneficiary,
                                                         BeneficiaryStore> {
 public:
  FakeBeneficiaryStore() : InMemoryIndexedRecordStore(kBeneficiaryKind, BeneficiaryIndexing()) {}

  absl::StatusOr<std::vector<ImportOutcome>> ImportBatch(
      const std::vector<ImportItem>& items) override {
    if (!unavailable.ok()) return unavailable;
    ++import_batches;
    std::vector<ImportOutcome> outcomes;
    for (const ImportItem& item : items) {
      ImportOutcome outcome;
      if (!item.record.nik().empty()) {
        auto holder = FindUnique(kNikIndex, item.record.nik());
        if (!holder.ok()) return holder.status();
        if (holder->has_value()) {
          outcome.kind = ImportOutcome::Kind::kNikHeld;
          outcome.found.push_back(**holder);
          outcomes.push_back(std::move(outcome));
          continue;
        }
      }
      const std::string key = DuplicateKeyOf(item.record);
      if (!item.allow_similar && !key.empty()) {
        auto similar = FindIndexed(kDuplicateIndex, key, kMaxSimilarReported);
        if (!similar.ok()) return similar.status();
        if (!similar->empty()) {
          outcome.kind = ImportOutcome::Kind::kSimilar;
          outcome.found = *similar;
          outcomes.push_back(std::move(outcome));
          continue;
        }
      }
      auto created = Create(item.record, item.message, "");
      if (!created.ok()) return created.status();
      outcomes.push_back(std::move(outcome));
    }
    return outcomes;
  }

  absl::StatusOr<bool> HouseholdExists(const std::string& id) override {
    if (!unavailable.ok()) return unavailable;
    ++household_reads;
    return households.count(id) > 0;
  }

  std::set<std::string> households;
  int import_batches = 0;
  int household_reads = 0;
};

}  // namespace wahana::registry::testing
