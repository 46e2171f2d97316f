#include "registry/beneficiaries/beneficiary_import.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/auth/access_policy.h"
#include "common/status/status_macros.h"
#include "common/storage/record_store.h"
#include "common/time/timestamp.h"
#include "registry/beneficiaries/beneficiary_indexing.h"
#include "registry/beneficiaries/beneficiary_records.h"

namespace wahana::registry {
namespace {

using google::protobuf::util::TimeUtil;
using wahana::registry::v1::Beneficiary;
using wahana::registry::v1::ImportBeneficiariesRequest;
using wahana::registry::v1::ImportRejection;
using ImportItem = BeneficiaryStore::ImportItem;
using Outcome = BeneficiaryStore::ImportOutcome;

constexpr char kImported[] = "imported";

ImportRejection Rejection(int line, std::string field, std::string reason) {
  ImportRejection r;
  r.set_line(line);
  r.set_field(std::move(field));
  r.set_reason(std::move(reason));
  return r;
}

}  // namespace

BeneficiaryImport::BeneficiaryImport(Context context)
    : context_(std::move(context)),
      validator_(context_.regions, [this](const std::string& id) { return HouseholdExists(id); }) {
  if (!context_.now) context_.now = [] { return absl::Now(); };
  if (context_.ids == nullptr) context_.ids = &TimeOrderedIdGenerator::Default();
}

absl::StatusOr<bool> BeneficiaryImport::HouseholdExists(const std::string& id) {
  auto it = households_.find(id);
  if (it != households_.end()) return it->second;
  WAHANA_ASSIGN_OR_RETURN(bool exists, context_.store->HouseholdExists(id));
  households_[id] = exists;
  return exists;
}

void BeneficiaryImport::Reject(const ImportRejection& rejection) {
  totals_.set_rejected(totals_.rejected() + 1);
  if (totals_.rejections_size() < kMaxImportRejectionsListed) {
    *totals_.add_rejections() = rejection;
  }
}

void BeneficiaryImport::Settle(int line, ImportItem& item, Outcome& outcome, Rows* retry,
                               std::vector<ImportRejection>* rejections) {
  Beneficiary& record = item.record;
  switch (outcome.kind) {
    case Outcome::Kind::kCreated:
      totals_.set_created(totals_.created() + 1);
      return;
    case Outcome::Kind::kNikHeld: {
      const Beneficiary& holder = outcome.found.at(0);
      if (SameContent(holder, record)) {
        totals_.set_unchanged(totals_.unchanged() + 1);
      } else {
        rejections->push_back(Rejection(line, "nik",
                                        TakenNumberReason(context_.caller, kBeneficiaryNik,
                                                          holder.id(), holder.village_code())));
      }
      return;
    }
    case Outcome::Kind::kSimilar:
      for (const Beneficiary& other : outcome.found) {
        if (SameContent(other, record)) {
          totals_.set_unchanged(totals_.unchanged() + 1);
          return;
        }
      }
      // The same row twice in one batch, both found similar to a third record: store it once.
      for (const ImportItem& deferred : retry->items) {
        if (SameContent(deferred.record, record)) {
          totals_.set_unchanged(totals_.unchanged() + 1);
          return;
        }
      }
      // Someone else with this name, birth date and village: stored, for a person to review.
      *record.add_review_flags() = PossibleDuplicateFlag(outcome.found);
      item.message = BeneficiaryMessage(context_.region, record, kImported);
      item.allow_similar = true;
      retry->lines.push_back(line);
      retry->items.push_back(std::move(item));
      return;
  }
}

absl::StatusOr<BeneficiaryImport::Prepared> BeneficiaryImport::Prepare(
    const ImportBeneficiariesRequest& batch) {
  const Principal& caller = context_.caller;
  if (!RoleAllows(caller.role, Resource::kBeneficiary, Action::kCreate)) {
    // An empty region lies in no scope: the role's refusal is the one this answers.
    return CheckRecordAccess(caller, Resource::kBeneficiary, Action::kCreate, "", "beneficiary");
  }
  if (batch.rows_size() > kMaxImportRowsPerRequest) {
    return absl::InvalidArgumentError(absl::StrCat("rows: at most ", kMaxImportRowsPerRequest,
                                                   " per request (got ", batch.rows_size(),
                                                   "); send more requests"));
  }
  const absl::Time now = context_.now();
  const absl::CivilDay today = context_.calendar.Today(now);
  const google::protobuf::Timestamp stamp = TimestampOf(now);

  Prepared prepared;
  prepared.received = batch.rows_size();
  prepared.rows.lines.reserve(batch.rows_size());
  prepared.rows.items.reserve(batch.rows_size());
  for (const auto& row : batch.rows()) {
    ++prepared_rows_;
    const int line = row.line() != 0 ? row.line() : prepared_rows_;
    Beneficiary record = ClientFields(row.beneficiary());
    absl::StatusOr<std::vector<wahana::registry::v1::ReviewFlag>> flags =
        validator_.Validate(record, today);
    if (!flags.ok()) {
      if (!absl::IsInvalidArgument(flags.status())) return flags.status();
      FieldError error = SplitFieldError(flags.status());
      prepared.rejections.push_back(Rejection(line, error.field, error.reason));
      continue;
    }
    if (absl::Status access = CheckRecordAccess(caller, Resource::kBeneficiary, Action::kCreate,
                                                record.village_code(),
                                                absl::StrCat("village ", record.village_code()));
        !access.ok()) {
      prepared.rejections.push_back(Rejection(line, "villageCode", std::string(access.message())));
      continue;
    }
    record.set_id(context_.ids->Next());
    record.set_etag(EtagOf(kFirstVersion));
    *record.mutable_create_time() = stamp;
    *record.mutable_update_time() = stamp;
    for (auto& flag : *flags) *record.add_review_flags() = std::move(flag);
    ImportItem item;
    item.message = BeneficiaryMessage(context_.region, record, kImported);
    item.record = std::move(record);
    prepared.rows.lines.push_back(line);
    prepared.rows.items.push_back(std::move(item));
  }
  return prepared;
}

absl::Status BeneficiaryImport::Store(Prepared prepared) {
  std::vector<ImportRejection> rejections = std::move(prepared.rejections);
  Rows rows = std::move(prepared.rows);
  // Two rounds at most: the second stores, flagged, the rows the first found similar to others.
  for (int round = 0; round < 2 && !rows.items.empty(); ++round) {
    WAHANA_ASSIGN_OR_RETURN(std::vector<Outcome> outcomes, context_.store->ImportBatch(rows.items));
    if (outcomes.size() != rows.items.size()) {
      return absl::InternalError("beneficiary import: one outcome per row expected");
    }
    Rows retry;
    for (size_t i = 0; i < rows.items.size(); ++i) {
      Settle(rows.lines[i], rows.items[i], outcomes[i], &retry, &rejections);
    }
    rows = std::move(retry);
  }
  if (!rows.items.empty()) {
    return absl::InternalError("beneficiary import: rows left after storing them flagged");
  }
  totals_.set_received(totals_.received() + prepared.received);
  // In the order of the rows, whichever step refused them.
  std::stable_sort(
      rejections.begin(), rejections.end(),
      [](const ImportRejection& a, const ImportRejection& b) { return a.line() < b.line(); });
  for (const ImportRejection& r : rejections) Reject(r);
  return absl::OkStatus();
}

absl::Status BeneficiaryImport::AddBatch(const ImportBeneficiariesRequest& batch) {
  WAHANA_ASSIGN_OR_RETURN(Prepared prepared, Prepare(batch));
  return Store(std::move(prepared));
}

}  // namespace wahana::registry
