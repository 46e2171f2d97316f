#pragma once
// The rules of the registry's workers (PSKS people and pendamping sosial), without a server:
// validation, the fields the server sets, idempotent creates, etag-guarded updates and archives,
// lists with NIK masked. Storage and the regions come in through the constructor.
//
// A worker:
//   kind              required; PENDAMPING_SOSIAL also needs a specialty (any kind may have one)
//   nik               required: structure as registry/identity/nik.h checks it (INVALID_ARGUMENT
//                     "nik: <reason>"); unique among live workers (ALREADY_EXISTS "nik: already
//                     used by worker <id>", or to a caller who may not read that worker "nik: a
//                     worker with this NIK is already registered outside your region"); an
//                     unknown kecamatan prefix is a review flag
//   fullName          required, at most 200 bytes, stored byte-exact
//   contact.*         each at most 100 bytes
//   villageCode       optional home base: any known region inside the deployment
//   subdistrictCodes  each a known kecamatan inside the deployment ("subdistrictCodes[1]: ..."),
//                     no repeats, at most 50; TKSK need at least one. A kecamatan that already
//                     has another active TKSK is accepted with a review flag (one per kecamatan
//                     is the practice, not a rule)
//   active            optional: a new worker is active unless it says false
//   caseloadCap       0 to 500; 0 means kDefaultCaseloadCap
// Server-set (ignored on create, refused in an update mask): id, etag, archived, createTime,
// updateTime, archiveTime, reviewFlags. Review flags are recomputed at every change.
//
// Every change writes a WorkerChanged message ("created", "updated", "archived") with the record.
// An archived worker cannot be updated (FAILED_PRECONDITION).
//
// Access (access_policy.h, Resource::kWorker): every method takes the verified caller. A worker
// lies where WorkerRegionCode puts it. One outside the caller's scope reads as NOT_FOUND (also
// for changes when the caller may not read it); a change the role may not make, or one that puts
// the worker outside the scope, is PERMISSION_DENIED; lists narrow to the scope. Callers that do
// not see personal data (SeesPersonalData) get the NIK masked everywhere.
//
// Thread-safe when the store and the regions are.

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "common/ids/time_ordered_id.h"
#include "common/resource/resource_flow.h"
#include "common/time/office_calendar.h"
#include "registry/regions/region_rules.h"
#include "registry/workers/worker_indexing.h"
#include "wahana/registry/v1/resources.pb.h"
#include "wahana/registry/v1/worker.pb.h"

namespace wahana::registry {

class WorkerLogic {
 public:
  static constexpr size_t kMaxNameBytes = 200;
  static constexpr int kMaxSubdistricts = 50;
  static constexpr int kDefaultCaseloadCap = 25;
  static constexpr int kMaxCaseloadCap = 500;

  // `region` is the deployment's ("16.06"). `regions` must outlive the logic. `now` defaults to
  // absl::Now; `ids` to the process-wide generator (must outlive the logic when given).
  WorkerLogic(std::string region, std::shared_ptr<WorkerStore> store, const RegionRules& regions,
              std::function<absl::Time()> now = nullptr, TimeOrderedIdGenerator* ids = nullptr,
              OfficeCalendar calendar = OfficeCalendar());

  // With a requestId seen before: the worker that create made, nothing written (checked first).
  // INVALID_ARGUMENT naming the field; ALREADY_EXISTS for a NIK a live worker holds; UNAVAILABLE
  // when Redis cannot be reached.
  absl::StatusOr<wahana::registry::v1::Worker> CreateWorker(
      const Principal& caller, const wahana::registry::v1::CreateWorkerRequest& request);

  // The whole record, NIK included (masked for callers who do not see personal data).
  // INVALID_ARGUMENT for an id that is not a worker id, NOT_FOUND.
  absl::StatusOr<wahana::registry::v1::Worker> GetWorker(
      const Principal& caller, const wahana::registry::v1::GetWorkerRequest& request);

  // One page, NIK masked ("****************"). Filters: region (code prefix of WorkerRegionCode;
  // "" the caller's scope, narrowed to it),
  // kind, subdistrictCode (workers assigned that kecamatan; must be a known one in the
  // deployment), activeOnly, showArchived. INVALID_ARGUMENT "region: ...", "pageSize: ...",
  // "pageToken: ...", "subdistrictCode: ...", "kind: ...".
  absl::StatusOr<wahana::registry::v1::ListWorkersResponse> ListWorkers(
      const Principal& caller, const wahana::registry::v1::ListWorkersRequest& request);

  // Applies the update mask (update_mask.h) to the stored worker and checks the result as a
  // create would. `worker.etag` is required and must be the current one (ABORTED otherwise; a
  // concurrent change in between is ABORTED too). An update that changes nothing writes nothing
  // and returns the record as it is.
  absl::StatusOr<wahana::registry::v1::Worker> UpdateWorker(
      const Principal& caller, const wahana::registry::v1::UpdateWorkerRequest& request);

  // Marks the worker archived (hidden from lists unless showArchived; its NIK released).
  // FAILED_PRECONDITION when already archived; ABORTED for a stale etag; INVALID_ARGUMENT
  // "reason: ..." over 500 bytes.
  absl::StatusOr<wahana::registry::v1::Worker> ArchiveWorker(
      const Principal& caller, const wahana::registry::v1::ArchiveRequest& request);

 private:
  // Checks a worker's client fields (all of them), cheapest first, and sets its review flags.
  absl::Status CheckAndFlag(wahana::registry::v1::Worker& worker, absl::Time now);

  std::shared_ptr<WorkerStore> store_;
  const RegionRules& regions_;
  const OfficeCalendar calendar_;  // what "today" is
  ResourceFlow<wahana::registry::v1::Worker, wahana::registry::v1::WorkerChanged> flow_;
};

}  // namespace wahana::registry
