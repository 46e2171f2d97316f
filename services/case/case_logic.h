#pragma once
// The case service's rules, without a server: validation of a new case, the fields the server
// sets, idempotent creates by requestId, reads. The transport (case_grpc_service.h) calls it;
// storage and the region directory come in through the constructor.
//
// Thread-safe when its store and directory are (the production ones are).

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "case/case_store.h"
#include "common/ids/time_ordered_id.h"
#include "common/region/region_directory.h"
#include "wahana/cases/v1/case.pb.h"

namespace wahana {

class CaseLogic {
 public:
  static constexpr size_t kMaxSummaryBytes = 4000;
  static constexpr size_t kMaxBeneficiaryIdBytes = 64;

  // `region` is the deployment's region ("16.06"). `now` defaults to absl::Now (tests inject a
  // clock); `ids` defaults to the process-wide generator and must outlive the logic when given.
  CaseLogic(std::string region, std::shared_ptr<CaseStore> store,
            std::shared_ptr<RegionDirectory> regions, std::function<absl::Time()> now = nullptr,
            TimeOrderedIdGenerator* ids = nullptr);

  // Intake. The client's case supplies category, kind, villageCode, summary and beneficiaryId;
  // id, number, status, etag, createTime and updateTime are set here (whatever the client sent).
  // With a requestId seen before, returns the case that create made and writes nothing.
  // INVALID_ARGUMENT naming the field: category not 1-26, kind missing, summary missing or over
  // 4000 bytes, villageCode not a known village of the deployment's region, beneficiaryId or
  // requestId too long. UNAVAILABLE when Redis or the registry cannot be reached.
  absl::StatusOr<wahana::cases::v1::Case> CreateCase(
      const wahana::cases::v1::CreateCaseRequest& request);

  // INVALID_ARGUMENT for an id that is not a case id, NOT_FOUND for an unknown one.
  absl::StatusOr<wahana::cases::v1::Case> GetCase(const wahana::cases::v1::GetCaseRequest& request);

 private:
  absl::Status ValidateNew(const wahana::cases::v1::Case& c) const;

  const std::string region_;
  std::shared_ptr<CaseStore> store_;
  std::shared_ptr<RegionDirectory> regions_;
  std::function<absl::Time()> now_;
  TimeOrderedIdGenerator& ids_;
};

}  // namespace wahana
