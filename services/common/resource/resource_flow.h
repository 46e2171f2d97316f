#pragma once
// The one implementation of a resource's create, get, list, update and archive, and of the
// "read for change / write" its own steps (:advance, :addMember, ...) are built on. A kind states
// what differs in its ResourceSpec (resource_spec.h); the rules below hold for every kind:
//
//  - Create is idempotent on `requestId`: a retry returns the first record and writes nothing,
//    even if its body differs and even if validation would now refuse it. A requestId used for a
//    record outside the caller's scope is ALREADY_EXISTS "requestId: a <kind> with this requestId
//    is already registered outside your region": the answer to any clash outside the scope
//    (taken_value.h), naming nothing. Server-set fields in the body are ignored.
//  - A record outside the caller's scope is NOT_FOUND "<kind> <id> not found", the answer for an
//    unknown id, for reads and for writes alike (access_policy.h CheckWriteAccess).
//  - Every update, archive and step requires the `etag` the client read: missing is
//    INVALID_ARGUMENT "etag: required (...)", stale ABORTED "etag: stale ..." (HTTP 409). The
//    store checks it again inside the atomic write, so a change in between is ABORTED too.
//  - A server-set or fixed field named in an update mask, or sent in the body with another value
//    than the stored one, is INVALID_ARGUMENT naming it. An update that changes nothing returns
//    the record and writes nothing. A change of an archived record is FAILED_PRECONDITION.
//  - Every change is one atomic write of the record, its indexes and exactly one change message
//    (IndexedRecordStore); a refused call writes nothing.
//  - What a caller gets back is the record as its role may see it (spec.shown / spec.listed).
//
// Errors besides these: INVALID_ARGUMENT from the spec's checks (naming the field), `id`,
// `requestId`, `reason`, `pageSize`, `pageToken`, `region`; PERMISSION_DENIED for a role that may
// not take the action, or a new or moved record outside the scope; the store's UNAVAILABLE and
// INTERNAL.
//
// Thread-safe when the store and the spec's functions are.

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/auth/access_policy.h"
#include "common/auth/principal.h"
#include "common/bus/envelope.h"
#include "common/fields/field_checks.h"
#include "common/ids/time_ordered_id.h"
#include "common/resource/read_for_change.h"
#include "common/resource/resource_fields.h"
#include "common/resource/resource_spec.h"
#include "common/resource/taken_value.h"
#include "common/status/status_macros.h"
#include "common/storage/changed_fields.h"
#include "common/storage/indexed_record_store.h"
#include "common/storage/record_requests.h"
#include "common/storage/update_mask.h"
#include "common/time/timestamp.h"
#include "google/protobuf/field_mask.pb.h"

namespace wahana {

// The longest archive reason (it travels in the change message).
inline constexpr size_t kMaxArchiveReasonBytes = 500;

template <typename Response, typename Record>
Response ListResponseOf(ListPage<Record> page);

template <typename Record, typename Changed>
class ResourceFlow {
 public:
  using Spec = ResourceSpec<Record, Changed>;
  using Store = IndexedRecordStore<Record>;

  // `region` is the deployment's ("16.06"). `now` defaults to absl::Now; `ids` to the process's
  // generator (and must outlive the flow when given).
  ResourceFlow(Spec spec, std::string region, std::shared_ptr<Store> store,
               std::function<absl::Time()> now = nullptr, TimeOrderedIdGenerator* ids = nullptr)
      : spec_(std::move(spec)),
        region_(std::move(region)),
        store_(std::move(store)),
        now_(now ? std::move(now) : [] { return absl::Now(); }),
        ids_(ids != nullptr ? *ids : TimeOrderedIdGenerator::Default()),
        server_set_(ServerSetFields(spec_)),
        kept_(KeptFields(spec_, server_set_)),
        mask_kept_(MaskKeptFields(spec_, server_set_)),
        server_set_json_(JsonNames(server_set_)) {}

  absl::StatusOr<Record> Create(const Principal& caller, const std::string& request_id,
                                const Record& in) {
    if (!RoleAllows(caller.role, spec_.resource, Action::kCreate)) {
      // An empty region lies in no scope: the role's refusal is the one this answers.
      return CheckRecordAccess(caller, spec_.resource, Action::kCreate, "", spec_.kind);
    }
    WAHANA_RETURN_IF_ERROR(CheckRequestId(request_id));
    // A retry is answered with the first record, even if the rules, the regions or another
    // service the checks read have changed since. It is looked up only when the checks refuse:
    // a create that passes them sends its requestId with the write, whose atomic step answers the
    // earlier record instead of writing. One Redis round trip less for every create; a retry
    // pays for the checks' reads instead.
    const absl::Time now = now_();
    Record record = in;
    ClearFields(server_set_, &record);
    if (spec_.on_create) spec_.on_create(record, now);
    if (absl::Status checked = CheckNew(caller, record, now); !checked.ok()) {
      WAHANA_ASSIGN_OR_RETURN(std::optional<Record> earlier,
                              EarlierCreate(*store_, caller, request_id));
      if (earlier.has_value()) return AnsweredRetry(caller, *std::move(earlier));
      return checked;
    }
    const std::string where = spec_.region_of(record);
    record.set_id(ids_.Next());
    record.set_etag(EtagOf(kFirstVersion));
    *record.mutable_create_time() = TimestampOf(now);
    *record.mutable_update_time() = record.create_time();

    Changed message;
    WAHANA_RETURN_IF_ERROR(FillChangeMessage(record, "created", {}, "", &message));
    if (spec_.annotate) spec_.annotate(nullptr, record, &message);
    absl::StatusOr<CreateResult<Record>> result =
        store_->CreateIf(record, MakeEnvelope(message, CreatedFacts(region_, record.id(), where)),
                         CallersRequestKey(caller, request_id), ConditionsOf(record, nullptr));
    if (!result.ok()) return Explain(caller, result.status(), record);
    if (!result->created) return AnsweredRetry(caller, std::move(result->stored));
    return Shown(caller, std::move(result->stored));
  }

  // Archived records too (they stay readable).
  absl::StatusOr<Record> Get(const Principal& caller, const std::string& id) {
    WAHANA_ASSIGN_OR_RETURN(Record record, ReadForRead(caller, id));
    return Shown(caller, std::move(record));
  }

  // The record `id` as stored, for a kind's own reads (duplicates of a beneficiary): NOT_FOUND
  // when it is absent or outside the caller's scope, as Get.
  absl::StatusOr<Record> ReadForRead(const Principal& caller, const std::string& id) {
    WAHANA_RETURN_IF_ERROR(CheckRecordId(id, WithArticle(spec_.kind)));
    WAHANA_ASSIGN_OR_RETURN(Record record, store_->Get(id));
    WAHANA_RETURN_IF_ERROR(CheckRecordAccess(caller, spec_.resource, Action::kRead,
                                             spec_.region_of(record), What(id)));
    return record;
  }

  // One page of `query` (its view, filter, archived flag and paging as the kind's list request
  // asked) within `region` ("" the caller's whole scope; narrowed to the scope), as listed.
  absl::StatusOr<ListPage<Record>> List(const Principal& caller, const std::string& region,
                                        ListQuery<Record> query) {
    // The caller's scope first: a region disjoint from it is 403 whether or not it lies in this
    // deployment (as for cases and reports), so the answer says nothing about the deployment.
    WAHANA_ASSIGN_OR_RETURN(query.region_prefix,
                            ScopeListRegion(caller, spec_.resource, region, "region"));
    if (spec_.check_list_region) WAHANA_RETURN_IF_ERROR(spec_.check_list_region(region, "region"));
    WAHANA_ASSIGN_OR_RETURN(ListPage<Record> page, store_->List(query));
    for (Record& record : page.records) record = Listed(caller, std::move(record));
    return page;
  }

  // List for a kind's list request (its `region` and paging), answered as its `Response`.
  template <typename Response, typename Request>
  absl::StatusOr<Response> ListAs(const Principal& caller, const Request& request,
                                  ListQuery<Record> query) {
    WAHANA_ASSIGN_OR_RETURN(ListPage<Record> page,
                            List(caller, request.region(), std::move(query)));
    return ListResponseOf<Response>(std::move(page));
  }

  // `sent` carries the id and the etag read; `mask` as update_mask.h reads it. The spec's
  // shown-only fields in it are ignored.
  absl::StatusOr<Record> Update(const Principal& caller, const Record& sent,
                                const google::protobuf::FieldMask& mask) {
    Record patch = sent;
    ClearFields(spec_.shown_only_fields, &patch);
    WAHANA_RETURN_IF_ERROR(CheckRecordId(patch.id(), WithArticle(spec_.kind)));
    WAHANA_RETURN_IF_ERROR(CheckMaskPaths(mask));
    WAHANA_ASSIGN_OR_RETURN(Record current,
                            ReadForChange(caller, patch.id(), patch.etag(), Action::kUpdate));
    WAHANA_RETURN_IF_ERROR(CheckKeptFields(patch, current, kept_));
    Record updated = current;
    WAHANA_RETURN_IF_ERROR(ApplyUpdateMask(patch, mask, mask_kept_, &updated));
    const absl::Time now = now_();
    std::string reason;
    if (spec_.on_update) {
      WAHANA_RETURN_IF_ERROR(spec_.on_update(patch, current, updated, now, &reason));
    }
    WAHANA_RETURN_IF_ERROR(spec_.check(caller, updated, &current, now));
    // A move must land inside the scope too.
    WAHANA_RETURN_IF_ERROR(CheckRecordAccess(caller, spec_.resource, Action::kUpdate,
                                             spec_.region_of(updated), What(current.id())));
    if (spec_.check_references) {
      WAHANA_RETURN_IF_ERROR(spec_.check_references(caller, updated, &current));
    }
    if (!ChangesClientFields(current, updated)) return Shown(caller, std::move(current));
    return WriteChange(caller, current, std::move(updated), "updated", reason);
  }

  // Soft delete: kept and readable, hidden from lists unless they ask for archived records.
  absl::StatusOr<Record> Archive(const Principal& caller, const std::string& id,
                                 const std::string& etag, const std::string& reason) {
    WAHANA_RETURN_IF_ERROR(CheckText(reason, "reason", kMaxArchiveReasonBytes));
    WAHANA_ASSIGN_OR_RETURN(Record current, ReadForChange(caller, id, etag, Action::kArchive));
    Record archived = current;
    archived.set_archived(true);
    return WriteChange(caller, current, std::move(archived), "archived", reason);
  }

  // The first half of every change: the stored record `id`, once the caller may take `action`
  // on it and `etag` is the current one. NOT_FOUND (unknown, or outside the scope: before the
  // etag is compared, so a stale etag tells an outsider nothing), INVALID_ARGUMENT (id, etag
  // missing), ABORTED (stale), FAILED_PRECONDITION (archived).
  absl::StatusOr<Record> ReadForChange(const Principal& caller, const std::string& id,
                                       const std::string& etag, Action action) {
    return ReadChecked(id, etag, action == Action::kArchive, [&](const Record& record) {
      return CheckWriteAccess(caller, spec_.resource, action, spec_.region_of(record), What(id));
    });
  }

  // ReadForChange for a custom step (access_policy.h Step): the step's row of the policy's step
  // table decides (CheckStepAccess: NOT_FOUND when the caller may not read the record,
  // PERMISSION_DENIED naming the step).
  absl::StatusOr<Record> ReadForStep(const Principal& caller, const std::string& id,
                                     const std::string& etag, Step step) {
    return ReadChecked(id, etag, false, [&](const Record& record) {
      return CheckStepAccess(caller, step, spec_.resource, spec_.region_of(record), "", What(id));
    });
  }

  // ReadForStep for a step a client takes without an etag because taking it twice changes
  // nothing (a check-in: a phone uploading late knows no version): the current record, which the
  // write still guards on, so a change in between is ABORTED and the caller reads again.
  absl::StatusOr<Record> ReadForIdempotentStep(const Principal& caller, const std::string& id,
                                               Step step) {
    WAHANA_RETURN_IF_ERROR(CheckRecordId(id, WithArticle(spec_.kind)));
    WAHANA_ASSIGN_OR_RETURN(Record current, store_->Get(id));
    WAHANA_RETURN_IF_ERROR(
        CheckStepAccess(caller, step, spec_.resource, spec_.region_of(current), "", What(id)));
    if (current.archived()) {
      return absl::FailedPreconditionError(absl::StrCat(spec_.kind, " ", id, " is archived"));
    }
    return current;
  }

  // The second half: writes `updated` (the next version of `current`, as read by ReadForChange)
  // with its one change message `action`, and returns it as the caller may see it.
  absl::StatusOr<Record> WriteChange(const Principal& caller, const Record& current, Record updated,
                                     const std::string& action, const std::string& reason = "") {
    const absl::Time now = now_();
    WAHANA_ASSIGN_OR_RETURN(std::string etag, NextEtag(current.etag()));
    updated.set_etag(etag);
    *updated.mutable_update_time() = TimestampOf(now);
    const bool archive = updated.archived() && !current.archived();
    if (archive) *updated.mutable_archive_time() = updated.update_time();

    Changed message;
    WAHANA_RETURN_IF_ERROR(FillChangeMessage(
        updated, action, SortedChangedFieldNames(current, updated), reason, &message));
    if (spec_.annotate) spec_.annotate(&current, updated, &message);
    const wahana::common::v1::Envelope envelope = MakeEnvelope(
        message,
        ChangedFacts(region_, updated.id(), *VersionOfEtag(etag), spec_.region_of(updated)));
    absl::StatusOr<Record> written = archive ? store_->Archive(updated, current.etag(), envelope)
                                             : store_->UpdateIf(updated, current.etag(), envelope,
                                                                ConditionsOf(updated, &current));
    if (!written.ok()) return Explain(caller, written.status(), updated);
    return Shown(caller, *std::move(written));
  }

  // The record as `caller` may see it (spec.shown).
  Record Shown(const Principal& caller, Record record) const {
    if (!spec_.shown) return record;
    return spec_.shown(caller, std::move(record));
  }
  Record Listed(const Principal& caller, Record record) const {
    if (spec_.listed) return spec_.listed(caller, std::move(record));
    return Shown(caller, std::move(record));
  }

  Store& store() const { return *store_; }
  const std::string& region() const { return region_; }
  absl::Time Now() const { return now_(); }

 private:
  // A new record's checks, in order: the spec's field checks, the caller's scope over its
  // region, the records it names.
  absl::Status CheckNew(const Principal& caller, Record& record, absl::Time now) {
    WAHANA_RETURN_IF_ERROR(spec_.check(caller, record, nullptr, now));
    const std::string where = spec_.region_of(record);
    // After the checks: a malformed region is the client's mistake, named as such.
    WAHANA_RETURN_IF_ERROR(CheckRecordAccess(caller, spec_.resource, Action::kCreate, where,
                                             absl::StrCat(WithArticle(spec_.kind), " in ", where)));
    if (spec_.check_references) {
      WAHANA_RETURN_IF_ERROR(spec_.check_references(caller, record, nullptr));
    }
    return absl::OkStatus();
  }

  // The answer to a retried create: the record the caller's first create made, unless the
  // caller's scope no longer reaches it (then the clash answer, naming nothing).
  absl::StatusOr<Record> AnsweredRetry(const Principal& caller, Record earlier) {
    const std::string where = spec_.region_of(earlier);
    if (!CheckRecordAccess(caller, spec_.resource, Action::kCreate, where, "").ok()) {
      return RequestIdTakenError(caller, spec_.resource, spec_.kind, earlier.id(), where);
    }
    return Shown(caller, std::move(earlier));
  }

  // ReadForChange's and ReadForStep's read: `check` decides the caller's access, then the etag
  // and the archived flag.
  absl::StatusOr<Record> ReadChecked(const std::string& id, const std::string& etag, bool archive,
                                     const std::function<absl::Status(const Record&)>& check) {
    WAHANA_ASSIGN_OR_RETURN(Record current,
                            wahana::ReadForChange<Record>(*store_, id, etag, spec_.kind,
                                                          WithArticle(spec_.kind), check));
    if (current.archived()) {
      return absl::FailedPreconditionError(
          absl::StrCat(spec_.kind, " ", id, archive ? " is already archived" : " is archived"));
    }
    return current;
  }

  std::vector<WriteCondition> ConditionsOf(const Record& record, const Record* before) const {
    if (!spec_.write_conditions) return {};
    return spec_.write_conditions(record, before);
  }

  // "institution 01J...": as the store's NOT_FOUND names it, so both read the same.
  std::string What(const std::string& id) const { return absl::StrCat(spec_.kind, " ", id); }

  static std::vector<std::string> ServerSetFields(const Spec& spec) {
    std::vector<std::string> fields = DefaultServerSetFields();
    fields.push_back("archived");
    fields.insert(fields.end(), spec.server_set_fields.begin(), spec.server_set_fields.end());
    return fields;
  }

  // The fields an update's body must leave as stored: the server's, then the fixed ones.
  static std::vector<KeptField> KeptFields(const Spec& spec,
                                           const std::vector<std::string>& server_set) {
    std::vector<KeptField> kept;
    for (const std::string& name : server_set) kept.push_back({name, "is set by the server"});
    kept.insert(kept.end(), spec.fixed_fields.begin(), spec.fixed_fields.end());
    return kept;
  }

  // The fields ApplyUpdateMask leaves alone: the server's and the fixed ones.
  static std::vector<std::string> MaskKeptFields(const Spec& spec,
                                                 const std::vector<std::string>& server_set) {
    std::vector<std::string> fields = server_set;
    for (const KeptField& fixed : spec.fixed_fields) fields.push_back(fixed.name);
    return fields;
  }

  // INVALID_ARGUMENT for a mask path that starts at a fixed field, saying how it does change.
  absl::Status CheckMaskPaths(const google::protobuf::FieldMask& mask) const {
    const google::protobuf::Descriptor* descriptor = Record::descriptor();
    for (const std::string& path : mask.paths()) {
      const std::string first = path.substr(0, path.find('.'));
      for (const KeptField& fixed : spec_.fixed_fields) {
        const google::protobuf::FieldDescriptor* field = descriptor->FindFieldByName(fixed.name);
        if (field != nullptr && (first == field->name() || first == field->json_name())) {
          return absl::InvalidArgumentError(absl::StrCat("updateMask: \"", path, "\" ", fixed.why));
        }
      }
    }
    return absl::OkStatus();
  }

  // Whether `updated` differs from `current` in a field the client sets: a change of what the
  // server derives alone (review flags) is no reason to write.
  bool ChangesClientFields(const Record& current, const Record& updated) const {
    for (const std::string& name : SortedChangedFieldNames(current, updated)) {
      if (std::find(server_set_json_.begin(), server_set_json_.end(), name) ==
          server_set_json_.end()) {
        return true;
      }
    }
    return false;
  }

  // The JSON names of `fields` (proto names of the record's): what changed_fields lists.
  static std::vector<std::string> JsonNames(const std::vector<std::string>& fields) {
    std::vector<std::string> names;
    for (const std::string& field : fields) {
      const auto* descriptor = Record::descriptor()->FindFieldByName(field);
      if (descriptor != nullptr) names.push_back(descriptor->json_name());
    }
    return names;
  }

  // A store's refusal of the write of `record` as `caller` may hear it.
  absl::Status Explain(const Principal& caller, const absl::Status& status,
                       const Record& record) const {
    const std::optional<UniqueConflict> conflict = UniqueConflictOf(status);
    for (const IdentityNumberUse& use : spec_.unique_values) {
      if (!conflict || conflict->index != use.index) continue;
      return TakenNumberError(status, caller, use, [this](const std::string& holder_id) {
        return HolderRegion(holder_id);
      });
    }
    if (spec_.explain_conflict) return spec_.explain_conflict(caller, status, record);
    return status;
  }

  absl::StatusOr<std::string> HolderRegion(const std::string& holder_id) const {
    WAHANA_ASSIGN_OR_RETURN(Record holder, store_->Get(holder_id));
    return spec_.region_of(holder);
  }

  const Spec spec_;
  const std::string region_;
  std::shared_ptr<Store> store_;
  std::function<absl::Time()> now_;
  TimeOrderedIdGenerator& ids_;
  const std::vector<std::string> server_set_;
  const std::vector<KeptField> kept_;
  const std::vector<std::string> mask_kept_;
  const std::vector<std::string> server_set_json_;
};

// The query a list request asks for before its own filters: its paging and whether archived
// records are shown (every list request has page_size, page_token and show_archived).
template <typename Record, typename Request>
ListQuery<Record> PagedQuery(const Request& request) {
  ListQuery<Record> query;
  query.include_archived = request.show_archived();
  query.page_size = request.page_size();
  query.page_token = request.page_token();
  return query;
}

// `page` as a kind's list response: its one repeated field of `Record`s and next_page_token.
template <typename Response, typename Record>
Response ListResponseOf(ListPage<Record> page) {
  Response response;
  const google::protobuf::Descriptor* descriptor = Response::descriptor();
  const google::protobuf::Reflection* reflection = response.GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = descriptor->field(i);
    if (!field->is_repeated() || field->message_type() != Record::descriptor()) continue;
    for (Record& record : page.records) {
      static_cast<Record*>(reflection->AddMessage(&response, field))->Swap(&record);
    }
    break;
  }
  response.set_next_page_token(std::move(page.next_page_token));
  return response;
}

}  // namespace wahana
