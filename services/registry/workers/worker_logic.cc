#include "registry/workers/worker_logic.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/auth/access_policy.h"
#include "common/bus/envelope.h"
#include "common/fields/field_checks.h"
#include "common/privacy/masking.h"
#include "common/resource/taken_value.h"
#include "common/status/status_macros.h"
#include "common/storage/changed_fields.h"
#include "common/storage/record_requests.h"
#include "common/storage/update_mask.h"
#include "common/time/timestamp.h"
#include "registry/identity/nik.h"

namespace wahana::registry {
namespace {

using google::protobuf::util::TimeUtil;
using wahana::registry::v1::ArchiveRequest;
using wahana::registry::v1::CreateWorkerRequest;
using wahana::registry::v1::GetWorkerRequest;
using wahana::registry::v1::ListWorkersRequest;
using wahana::registry::v1::ListWorkersResponse;
using wahana::registry::v1::ReviewFlag;
using wahana::registry::v1::UpdateWorkerRequest;
using wahana::registry::v1::Worker;
using wahana::registry::v1::WorkerChanged;

constexpr char kKind[] = "worker";
constexpr char kAKind[] = "a worker";
constexpr Resource kResource = Resource::kWorker;
// The NIK as refusals name it: its holder only to callers who may read it (taken_number.h).
constexpr IdentityNumberUse kWorkerNik{kResource, kKind, "nik", "NIK", "nik"};

// The worker as `caller` may see it: the NIK masked unless the caller sees personal data.
Worker Shown(const Principal& caller, Worker worker) {
  if (!SeesPersonalData(caller, kResource)) worker.set_nik(MaskIdentityNumber(worker.nik()));
  return worker;
}

// `check`: WorkerLogic::CheckAndFlag; `regions` the list region's check.
ResourceSpec<Worker, WorkerChanged> WorkerSpec(
    const std::string& region, const RegionRules& regions,
    std::function<absl::Status(Worker&, absl::Time)> check) {
  ResourceSpec<Worker, WorkerChanged> spec;
  spec.resource = kResource;
  spec.kind = kKind;
  spec.server_set_fields = {"review_flags"};
  spec.unique_values = {kWorkerNik};
  spec.region_of = [region](const Worker& worker) { return WorkerRegionCode(worker, region); };
  spec.on_create = [](Worker& worker, absl::Time) {
    if (!worker.has_active()) worker.set_active(true);
  };
  // A mask naming `active` with a patch that leaves it out clears it: not active.
  spec.on_update = [](const Worker&, const Worker&, Worker& updated, absl::Time, std::string*) {
    if (!updated.has_active()) updated.set_active(false);
    return absl::OkStatus();
  };
  spec.check = [check](const Principal&, Worker& worker, const Worker*, absl::Time now) {
    return check(worker, now);
  };
  // Every kecamatan a worker is given must lie inside the caller's scope (a write there), after
  // the worker's own scope is checked; one it already serves stays (set by a wider scope).
  spec.check_references = [](const Principal& caller, Worker& worker, const Worker* before) {
    for (int i = 0; i < worker.subdistrict_codes_size(); ++i) {
      const std::string& code = worker.subdistrict_codes(i);
      if (before != nullptr &&
          std::find(before->subdistrict_codes().begin(), before->subdistrict_codes().end(), code) !=
              before->subdistrict_codes().end()) {
        continue;
      }
      if (!Covers(caller, code)) {
        return absl::PermissionDeniedError(absl::StrCat("subdistrictCodes[", i, "]: kecamatan ",
                                                        code, " lies outside your region scope ",
                                                        caller.region_scope));
      }
    }
    return absl::OkStatus();
  };
  spec.check_list_region = [&regions](const std::string& list_region, const std::string& field) {
    return regions.RequireListRegion(list_region, field);
  };
  spec.shown = Shown;
  spec.listed = [](const Principal&, Worker worker) {
    worker.set_nik(MaskIdentityNumber(worker.nik()));
    return worker;
  };
  return spec;
}

}  // namespace

WorkerLogic::WorkerLogic(std::string region, std::shared_ptr<WorkerStore> store,
                         const RegionRules& regions, std::function<absl::Time()> now,
                         TimeOrderedIdGenerator* ids, OfficeCalendar calendar)
    : store_(store),
      regions_(regions),
      calendar_(std::move(calendar)),
      flow_(WorkerSpec(region, regions,
                       [this](Worker& worker, absl::Time at) { return CheckAndFlag(worker, at); }),
            region, store, std::move(now), ids) {}

absl::Status WorkerLogic::CheckAndFlag(Worker& worker, absl::Time now) {
  if (worker.kind() == Worker::KIND_UNSPECIFIED || !Worker::Kind_IsValid(worker.kind())) {
    return absl::InvalidArgumentError(
        "kind: required, one of PEKERJA_SOSIAL_PROFESIONAL, PSM, TAGANA, PENYULUH_SOSIAL, TKSK, "
        "PENDAMPING_SOSIAL");
  }
  if (!Worker::Specialty_IsValid(worker.specialty())) {
    return absl::InvalidArgumentError("specialty: not a known specialty");
  }
  if (worker.kind() == Worker::PENDAMPING_SOSIAL &&
      worker.specialty() == Worker::SPECIALTY_UNSPECIFIED) {
    return absl::InvalidArgumentError(
        "specialty: required for PENDAMPING_SOSIAL, one of CHILDREN, ELDERLY, DISABILITY, GENERAL");
  }
  const absl::CivilDay today = calendar_.Today(now);
  WAHANA_RETURN_IF_ERROR(ParseNik(worker.nik(), today).status());
  WAHANA_RETURN_IF_ERROR(CheckName(worker.full_name(), "fullName", kMaxNameBytes));
  WAHANA_RETURN_IF_ERROR(CheckContact(worker.contact(), "contact"));
  if (worker.caseload_cap() < 0 || worker.caseload_cap() > kMaxCaseloadCap) {
    return absl::InvalidArgumentError(absl::StrCat("caseloadCap: 0 to ", kMaxCaseloadCap,
                                                   " (0 means the default, ", kDefaultCaseloadCap,
                                                   ")"));
  }
  if (worker.caseload_cap() == 0) worker.set_caseload_cap(kDefaultCaseloadCap);
  if (worker.subdistrict_codes_size() > kMaxSubdistricts) {
    return absl::InvalidArgumentError(absl::StrCat("subdistrictCodes: at most ", kMaxSubdistricts));
  }
  if (worker.kind() == Worker::TKSK && worker.subdistrict_codes_size() == 0) {
    return absl::InvalidArgumentError("subdistrictCodes: a TKSK serves at least one kecamatan");
  }
  for (int i = 0; i < worker.subdistrict_codes_size(); ++i) {
    for (int j = 0; j < i; ++j) {
      if (worker.subdistrict_codes(i) == worker.subdistrict_codes(j)) {
        return absl::InvalidArgumentError(
            absl::StrCat("subdistrictCodes[", i, "]: repeats subdistrictCodes[", j, "]"));
      }
    }
  }

  // The checks that read the regions, last.
  WAHANA_ASSIGN_OR_RETURN(NikCheck nik, CheckNik(worker.nik(), regions_, today));
  if (!worker.village_code().empty()) {
    WAHANA_RETURN_IF_ERROR(regions_.RequireAnyRegion(worker.village_code(), "villageCode"));
  }
  for (int i = 0; i < worker.subdistrict_codes_size(); ++i) {
    WAHANA_RETURN_IF_ERROR(regions_.RequireSubdistrict(worker.subdistrict_codes(i),
                                                       absl::StrCat("subdistrictCodes[", i, "]")));
  }

  worker.clear_review_flags();
  for (ReviewFlag& flag : NikReviewFlags(nik)) *worker.add_review_flags() = std::move(flag);
  if (worker.kind() == Worker::TKSK && worker.active()) {
    for (int i = 0; i < worker.subdistrict_codes_size(); ++i) {
      ListQuery<Worker> query;
      query.view = WorkerSubdistrictView(worker.subdistrict_codes(i));
      query.page_size = 1;
      const std::string self = worker.id();
      query.filter = [self](const Worker& other) {
        return other.kind() == Worker::TKSK && other.active() && other.id() != self;
      };
      query.filter_key = absl::StrCat("active TKSK but ", self);
      WAHANA_ASSIGN_OR_RETURN(ListPage<Worker> page, store_->List(query));
      if (page.records.empty()) continue;
      ReviewFlag* flag = worker.add_review_flags();
      flag->set_code("TKSK_SUBDISTRICT_SHARED");
      flag->set_field(absl::StrCat("subdistrictCodes[", i, "]"));
      flag->set_message(absl::StrCat("kecamatan ", worker.subdistrict_codes(i),
                                     " already has an active TKSK: worker ", page.records[0].id()));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Worker> WorkerLogic::CreateWorker(const Principal& caller,
                                                 const CreateWorkerRequest& request) {
  return flow_.Create(caller, request.request_id(), request.worker());
}

absl::StatusOr<Worker> WorkerLogic::GetWorker(const Principal& caller,
                                              const GetWorkerRequest& request) {
  return flow_.Get(caller, request.id());
}

absl::StatusOr<ListWorkersResponse> WorkerLogic::ListWorkers(const Principal& caller,
                                                             const ListWorkersRequest& request) {
  if (!Worker::Kind_IsValid(request.kind())) {
    return absl::InvalidArgumentError("kind: not a known kind");
  }
  ListQuery<Worker> query = PagedQuery<Worker>(request);
  // A view carries the most selective filter asked for; the rest filter the records read.
  const Worker::Kind kind = request.kind();
  const bool active_only = request.active_only();
  bool filter_kind = false;
  if (!request.subdistrict_code().empty()) {
    WAHANA_RETURN_IF_ERROR(
        regions_.RequireSubdistrict(request.subdistrict_code(), "subdistrictCode"));
    query.view = WorkerSubdistrictView(request.subdistrict_code());
    filter_kind = kind != Worker::KIND_UNSPECIFIED;
  } else if (kind != Worker::KIND_UNSPECIFIED) {
    query.view = WorkerKindView(kind);
  }
  if (filter_kind || active_only) {
    query.filter = [kind, filter_kind, active_only](const Worker& w) {
      return (!filter_kind || w.kind() == kind) && (!active_only || w.active());
    };
    query.filter_key =
        absl::StrCat(filter_kind ? WorkerKindView(kind) : "", active_only ? ";active" : "");
  }
  return flow_.ListAs<ListWorkersResponse>(caller, request, std::move(query));
}

absl::StatusOr<Worker> WorkerLogic::UpdateWorker(const Principal& caller,
                                                 const UpdateWorkerRequest& request) {
  return flow_.Update(caller, request.worker(), request.update_mask());
}

absl::StatusOr<Worker> WorkerLogic::ArchiveWorker(const Principal& caller,
                                                  const ArchiveRequest& request) {
  return flow_.Archive(caller, request.id(), request.etag(), request.reason());
}

}  // namespace wahana::registry
