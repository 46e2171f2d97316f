#include "case/case_logic.h"

#include <google/protobuf/util/time_util.h>

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "case/case_number.h"
#include "common/bus/envelope.h"
#include "common/status/status_macros.h"
#include "common/storage/record_requests.h"
#include "common/time/timestamp.h"

namespace wahana {
namespace {

using google::protobuf::util::TimeUtil;
using wahana::cases::v1::Case;
using wahana::cases::v1::CaseCreated;
using wahana::cases::v1::CaseKind_IsValid;
using wahana::common::v1::PpksCategory_IsValid;

}  // namespace

CaseLogic::CaseLogic(std::string region, std::shared_ptr<CaseStore> store,
                     std::shared_ptr<RegionDirectory> regions, std::function<absl::Time()> now,
                     TimeOrderedIdGenerator* ids)
    : region_(std::move(region)),
      store_(std::move(store)),
      regions_(std::move(regions)),
      now_(now ? std::move(now) : [] { return absl::Now(); }),
      ids_(ids != nullptr ? *ids : TimeOrderedIdGenerator::Default()) {}

absl::Status CaseLogic::ValidateNew(const Case& c) const {
  if (c.category() == wahana::common::v1::PPKS_CATEGORY_UNSPECIFIED ||
      !PpksCategory_IsValid(c.category())) {
    return absl::InvalidArgumentError(
        "category: required, one of the 26 PPKS categories (1-26, e.g. ANAK_TELANTAR)");
  }
  if (c.kind() == wahana::cases::v1::CASE_KIND_UNSPECIFIED || !CaseKind_IsValid(c.kind())) {
    return absl::InvalidArgumentError(
        "kind: required, one of INDIVIDUAL, FAMILY, SOCIAL_CONFLICT, DISASTER");
  }
  if (absl::StripAsciiWhitespace(c.summary()).empty()) {
    return absl::InvalidArgumentError("summary: required");
  }
  if (c.summary().size() > kMaxSummaryBytes) {
    return absl::InvalidArgumentError(absl::StrCat("summary: at most ", kMaxSummaryBytes,
                                                   " bytes (got ", c.summary().size(), ")"));
  }
  if (c.beneficiary_id().size() > kMaxBeneficiaryIdBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("beneficiaryId: at most ", kMaxBeneficiaryIdBytes, " bytes"));
  }
  // Last: the only check that may cost a call to the registry.
  return RequireRegion(*regions_, c.village_code(), "villageCode", region_,
                       {RegionLevelKind::kVillage})
      .status();
}

absl::StatusOr<Case> CaseLogic::CreateCase(const wahana::cases::v1::CreateCaseRequest& request) {
  // A retry is answered from storage before validation, so it succeeds even while the registry
  // is down.
  WAHANA_ASSIGN_OR_RETURN(std::optional<Case> earlier,
                          EarlierCreate<Case>(*store_, request.request_id()));
  if (earlier.has_value()) return *std::move(earlier);

  const Case& in = request.case_();
  WAHANA_RETURN_IF_ERROR(ValidateNew(in));

  // Only the client's fields are copied: everything else is the server's.
  Case c;
  c.set_category(in.category());
  c.set_kind(in.kind());
  c.set_village_code(in.village_code());
  c.set_summary(in.summary());
  c.set_beneficiary_id(in.beneficiary_id());

  absl::Time now = now_();
  int year = static_cast<int>(absl::ToCivilYear(now, absl::UTCTimeZone()).year());
  std::string regency = RegencyOf(c.village_code());
  WAHANA_ASSIGN_OR_RETURN(int64_t sequence, store_->NextSequence(regency, year));
  c.set_id(ids_.Next());
  c.set_number(FormatCaseNumber(regency, year, sequence));
  c.set_status(wahana::cases::v1::INTAKE);
  c.set_etag(EtagOf(kFirstVersion));
  *c.mutable_create_time() = TimestampOf(now);
  *c.mutable_update_time() = c.create_time();

  CaseCreated payload;
  *payload.mutable_case_() = c;
  WAHANA_ASSIGN_OR_RETURN(
      CreateResult<Case> result,
      store_->Create(c, MakeEnvelope(payload, CreatedFacts(region_, c.id(), c.village_code())),
                     request.request_id()));
  return std::move(result.stored);
}

absl::StatusOr<Case> CaseLogic::GetCase(const wahana::cases::v1::GetCaseRequest& request) {
  WAHANA_RETURN_IF_ERROR(CheckRecordId(request.id(), "a case"));
  return store_->Get(request.id());
}

}  // namespace wahana
