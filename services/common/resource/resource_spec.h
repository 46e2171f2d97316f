#pragma once
// What one kind of record states about itself for the resource flow (resource_flow.h): only what
// differs from every other kind. Everything else (idempotent create, scope, etag, server-set
// fields, archive, the change message, the answer to a clash outside the caller's scope) is the
// flow's, the same for every resource.
//
// `Record` is a generated message with `string id`, `string etag`, `bool archived` and the
// timestamps `create_time`, `update_time`, `archive_time`; `Changed` is its change message, with
// one field of type `Record` and `action`, `changed_fields`, `reason` (resource_fields.h).

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/auth/access_policy.h"
#include "common/auth/principal.h"
#include "common/resource/resource_fields.h"
#include "common/resource/taken_value.h"
#include "common/storage/indexed_record_store.h"

namespace wahana {

template <typename Record, typename Changed>
struct ResourceSpec {
  // Whose access rules apply (access_policy.h).
  Resource resource;
  // The kind in messages: "institution" ("institution 01J... not found", "an institution id").
  std::string kind;

  // Top-level fields only the server sets, by proto name, beyond id, etag, archived and the
  // times (which every kind has): cleared on create, refused in an update's mask, and refused in
  // its body when they differ from the stored record ("reviewFlags: is set by the server").
  std::vector<std::string> server_set_fields;
  // Those of `server_set_fields` the kind fills on each answer and never stores (an event's
  // linkedCaseIds): an update's body may carry them with any value, since a client sends back
  // what it read and the stored record has none to compare; they are ignored there.
  std::vector<std::string> shown_only_fields;
  // Top-level fields set at create (or moved only by the kind's own steps) that an update may not
  // change, with why: refused in the mask, and in the body when they differ from the stored ones.
  std::vector<KeptField> fixed_fields;
  // Identity numbers kept unique (a NIK, a KK number): a clash names the holder only to a caller
  // who may read it (taken_value.h).
  std::vector<IdentityNumberUse> unique_values;

  // Required. The region code the record's access is checked on (a village, a subdistrict, the
  // deployment's region).
  std::function<std::string(const Record&)> region_of;
  // Required. Validates `record` and derives what follows from it (defaults, review flags);
  // `before` is the stored record for an update, null for a create. Runs before the scope check,
  // so it must not read records the caller might not see; it may read the regions.
  std::function<absl::Status(const Principal& caller, Record& record, const Record* before,
                             absl::Time now)>
      check;
  // Optional. Checks that read other records (members, holders of a value), after the scope of
  // `record` is checked, so an outsider cannot probe them.
  std::function<absl::Status(const Principal& caller, Record& record, const Record* before)>
      check_references;
  // Optional. Conditions the write of `record` must meet inside its atomic step
  // (WriteCondition: another record's guard field, a counter's limit), for a rule that holds
  // under any concurrency (an event's capacity); `before` is null for a create. Not asked for an
  // archive. A failed one is answered as its refusal, nothing written.
  std::function<std::vector<WriteCondition>(const Record& record, const Record* before)>
      write_conditions;
  // Optional. Defaults of a new record, set on the client's fields before `check`.
  std::function<void(Record& record, absl::Time now)> on_create;
  // Optional. An update's own rules once the mask is applied: `patch` is what the client sent,
  // `updated` the stored record with the mask applied. `reason` goes into the change message.
  std::function<absl::Status(const Record& patch, const Record& current, Record& updated,
                             absl::Time now, std::string* reason)>
      on_update;

  // Optional (default: the record whole). The record as `caller` may see it (masking per role).
  std::function<Record(const Principal& caller, Record record)> shown;
  // Optional (default: `shown`). The record as a list shows it to `caller`.
  std::function<Record(const Principal& caller, Record record)> listed;

  // Optional. The change message's fields of this kind (status before and after, ...); the flow
  // has set the record, action, changed fields and reason. `before` is null for a create.
  std::function<void(const Record* before, const Record& after, Changed* message)> annotate;
  // Optional. A store's refusal of a write as `caller` may hear it, for clashes beyond
  // `unique_values` (a network's area): return `status` unchanged when it is not one.
  std::function<absl::Status(const Principal& caller, const absl::Status& status,
                             const Record& record)>
      explain_conflict;
  // Optional. Checks a list's requested region (a known code) before it is scoped.
  std::function<absl::Status(const std::string& region, const std::string& field)>
      check_list_region;
};

}  // namespace wahana
