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
#include "common/status/status_macros.h"
#include "common/storage/changed_fields.h"
#include "common/storage/record_requests.h"
#include "common/storage/update_mask.h"
#include "common/time/timestamp.h"
#include "registry/identity/nik.h"
#include "registry/identity/taken_number.h"

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

// How a refusal names the record: as the store's NOT_FOUND does, so both read the same.
std::string What(const std::string& id) { return absl::StrCat(kKind, " ", id); }

// The worker as `caller` may see it: the NIK masked unless the caller sees personal data.
Worker Shown(const Principal& caller, Worker worker) {
  if (!SeesPersonalData(caller, kResource)) worker.set_nik(MaskIdentityNumber(worker.nik()));
  return worker;
}

// Where a NIK's holder lies, for TakenNumberError.
HolderRegion HolderRegionCode(WorkerStore& store, const std::string& deployment_region) {
  return [&store, &deployment_region](const std::string& id) -> absl::StatusOr<std::string> {
    WAHANA_ASSIGN_OR_RETURN(Worker holder, store.Get(id));
    return WorkerRegionCode(holder, deployment_region);
  };
}

const std::vector<std::string>& ServerSetFields() {
  static const std::vector<std::string> fields = [] {
    std::vector<std::string> f = DefaultServerSetFields();
    f.push_back("archived");
    f.push_back("review_flags");
    return f;
  }();
  return fields;
}

wahana::common::v1::Envelope ChangeMessage(const std::string& region, const Worker& worker,
                                           const std::string& action,
                                           std::vector<std::string> changed_fields,
                                           const std::string& reason, int64_t version) {
  WorkerChanged payload;
  *payload.mutable_worker() = worker;
  payload.set_action(action);
  for (std::string& f : changed_fields) payload.add_changed_fields(std::move(f));
  payload.set_reason(reason);
  MessageFacts facts =
      version == kFirstVersion
          ? CreatedFacts(region, worker.id(), WorkerRegionCode(worker, region))
          : ChangedFacts(region, worker.id(), version, WorkerRegionCode(worker, region));
  return MakeEnvelope(payload, facts);
}

}  // namespace

WorkerLogic::WorkerLogic(std::string region, std::shared_ptr<WorkerStore> store,
                         const RegionRules& regions, std::function<absl::Time()> now,
                         TimeOrderedIdGenerator* ids, OfficeCalendar calendar)
    : region_(std::move(region)),
      store_(std::move(store)),
      regions_(regions),
      now_(now ? std::move(now) : [] { return absl::Now(); }),
      ids_(ids != nullptr ? *ids : TimeOrderedIdGenerator::Default()),
      calendar_(std::move(calendar)) {}

absl::Status WorkerLogic::CheckAndFlag(Worker& worker) {
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
  const absl::CivilDay today = calendar_.Today(now_());
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
  if (!RoleAllows(caller.role, kResource, Action::kCreate)) {
    // An empty region lies in no scope: the role's refusal is the one this answers.
    return CheckRecordAccess(caller, kResource, Action::kCreate, "", kKind);
  }
  // A retry answers the first result, to a caller who could have created it.
  WAHANA_ASSIGN_OR_RETURN(std::optional<Worker> earlier,
                          EarlierCreate<Worker>(*store_, request.request_id()));
  if (earlier.has_value()) {
    // Not named by its id: a requestId reused from outside the scope must not reveal the record.
    WAHANA_RETURN_IF_ERROR(CheckRecordAccess(caller, kResource, Action::kCreate,
                                             WorkerRegionCode(*earlier, region_),
                                             "the worker this requestId created"));
    return Shown(caller, *std::move(earlier));
  }

  // Only the client's fields are copied: everything else is the server's.
  const Worker& in = request.worker();
  Worker worker;
  worker.set_kind(in.kind());
  worker.set_specialty(in.specialty());
  worker.set_nik(in.nik());
  worker.set_full_name(in.full_name());
  if (in.has_contact()) *worker.mutable_contact() = in.contact();
  worker.set_village_code(in.village_code());
  *worker.mutable_subdistrict_codes() = in.subdistrict_codes();
  worker.set_active(in.has_active() ? in.active() : true);
  worker.set_caseload_cap(in.caseload_cap());
  worker.set_id(ids_.Next());
  WAHANA_RETURN_IF_ERROR(CheckAndFlag(worker));
  const std::string where = WorkerRegionCode(worker, region_);
  WAHANA_RETURN_IF_ERROR(CheckRecordAccess(caller, kResource, Action::kCreate, where,
                                           absl::StrCat("a worker in ", where)));
  worker.set_etag(EtagOf(kFirstVersion));
  *worker.mutable_create_time() = TimestampOf(now_());

  absl::StatusOr<CreateResult<Worker>> result =
      store_->Create(worker, ChangeMessage(region_, worker, "created", {}, "", kFirstVersion),
                     request.request_id());
  if (!result.ok()) {
    return TakenNumberError(result.status(), caller, kWorkerNik,
                            HolderRegionCode(*store_, region_));
  }
  return Shown(caller, std::move(result->stored));
}

absl::StatusOr<Worker> WorkerLogic::GetWorker(const Principal& caller,
                                              const GetWorkerRequest& request) {
  WAHANA_RETURN_IF_ERROR(CheckRecordId(request.id(), kAKind));
  WAHANA_ASSIGN_OR_RETURN(Worker worker, store_->Get(request.id()));
  WAHANA_RETURN_IF_ERROR(CheckRecordAccess(caller, kResource, Action::kRead,
                                           WorkerRegionCode(worker, region_), What(request.id())));
  return Shown(caller, std::move(worker));
}

absl::StatusOr<ListWorkersResponse> WorkerLogic::ListWorkers(const Principal& caller,
                                                             const ListWorkersRequest& request) {
  WAHANA_RETURN_IF_ERROR(regions_.RequireListRegion(request.region(), "region"));
  WAHANA_ASSIGN_OR_RETURN(std::string region,
                          ScopeListRegion(caller, kResource, request.region(), "region"));
  if (!Worker::Kind_IsValid(request.kind())) {
    return absl::InvalidArgumentError("kind: not a known kind");
  }
  ListQuery<Worker> query;
  query.region_prefix = std::move(region);
  query.include_archived = request.show_archived();
  query.page_size = request.page_size();
  query.page_token = request.page_token();
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
  WAHANA_ASSIGN_OR_RETURN(ListPage<Worker> page, store_->List(query));
  ListWorkersResponse response;
  for (Worker& worker : page.records) {
    worker.set_nik(MaskIdentityNumber(worker.nik()));
    *response.add_workers() = std::move(worker);
  }
  response.set_next_page_token(std::move(page.next_page_token));
  return response;
}

absl::StatusOr<Worker> WorkerLogic::UpdateWorker(const Principal& caller,
                                                 const UpdateWorkerRequest& request) {
  const Worker& patch = request.worker();
  WAHANA_RETURN_IF_ERROR(CheckRecordId(patch.id(), kAKind));
  WAHANA_ASSIGN_OR_RETURN(Worker current, store_->Get(patch.id()));
  // Before the etag: a stale etag must not tell an outsider the worker exists.
  WAHANA_RETURN_IF_ERROR(CheckWriteAccess(caller, kResource, Action::kUpdate,
                                          WorkerRegionCode(current, region_), What(current.id())));
  WAHANA_RETURN_IF_ERROR(CheckEtag(patch.etag(), current.etag(), kKind, current.id()));
  if (current.archived()) {
    return absl::FailedPreconditionError(
        absl::StrCat("worker ", current.id(), " is archived and cannot be changed"));
  }
  Worker updated = current;
  WAHANA_RETURN_IF_ERROR(
      ApplyUpdateMask(patch, request.update_mask(), ServerSetFields(), &updated));
  // A mask naming `active` with a patch that leaves it out clears it: not active.
  if (!updated.has_active()) updated.set_active(false);
  WAHANA_RETURN_IF_ERROR(CheckAndFlag(updated));
  // A move must land inside the scope too.
  WAHANA_RETURN_IF_ERROR(CheckRecordAccess(caller, kResource, Action::kUpdate,
                                           WorkerRegionCode(updated, region_), What(current.id())));

  std::vector<std::string> changed = SortedChangedFieldNames(current, updated);
  if (changed.empty()) return Shown(caller, std::move(current));
  WAHANA_ASSIGN_OR_RETURN(std::string etag, NextEtag(current.etag()));
  updated.set_etag(etag);
  *updated.mutable_update_time() = TimestampOf(now_());
  absl::StatusOr<Worker> written = store_->Update(
      updated, current.etag(),
      ChangeMessage(region_, updated, "updated", std::move(changed), "", *VersionOfEtag(etag)));
  if (!written.ok()) {
    return TakenNumberError(written.status(), caller, kWorkerNik,
                            HolderRegionCode(*store_, region_));
  }
  return Shown(caller, *std::move(written));
}

absl::StatusOr<Worker> WorkerLogic::ArchiveWorker(const Principal& caller,
                                                  const ArchiveRequest& request) {
  WAHANA_RETURN_IF_ERROR(CheckRecordId(request.id(), kAKind));
  if (request.reason().size() > kMaxReasonBytes) {
    return absl::InvalidArgumentError(absl::StrCat("reason: at most ", kMaxReasonBytes, " bytes"));
  }
  WAHANA_ASSIGN_OR_RETURN(Worker current, store_->Get(request.id()));
  WAHANA_RETURN_IF_ERROR(CheckWriteAccess(caller, kResource, Action::kArchive,
                                          WorkerRegionCode(current, region_), What(current.id())));
  WAHANA_RETURN_IF_ERROR(CheckEtag(request.etag(), current.etag(), kKind, current.id()));
  if (current.archived()) {
    return absl::FailedPreconditionError(
        absl::StrCat("worker ", current.id(), " is already archived"));
  }
  Worker archived = current;
  WAHANA_ASSIGN_OR_RETURN(std::string etag, NextEtag(current.etag()));
  archived.set_etag(etag);
  archived.set_archived(true);
  const absl::Time now = now_();
  *archived.mutable_archive_time() = TimestampOf(now);
  *archived.mutable_update_time() = TimestampOf(now);
  WAHANA_ASSIGN_OR_RETURN(Worker written,
                          store_->Archive(archived, current.etag(),
                                          ChangeMessage(region_, archived, "archived", {"archived"},
                                                        request.reason(), *VersionOfEtag(etag))));
  return Shown(caller, std::move(written));
}

}  // namespace wahana::registry
