#pragma once
// The untyped pieces of the resource flow (resource_flow.h), done by reflection on any record so
// that no resource writes them: clearing the fields only the server sets, refusing an update body
// that tries to change them, and filling a change message's common fields.
//
// Pure, thread-safe.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "google/protobuf/message.h"

namespace wahana {

// A top-level field an update may not change, by proto name, and why (the end of the message).
struct KeptField {
  std::string name;  // "stage"
  std::string why;   // "moves only with :advance and :recordVisit"
};

// Clears the top-level fields of `record` named (proto names) in `fields`.
void ClearFields(const std::vector<std::string>& fields, google::protobuf::Message* record);

// INVALID_ARGUMENT "<jsonName>: <why>" for the first field of `kept` that `patch` sets to another
// value than `current` holds; a field `patch` leaves unset, or sets to what is stored (a client
// sending back the record it read), is fine. `patch` and `current` are of one type.
absl::Status CheckKeptFields(const google::protobuf::Message& patch,
                             const google::protobuf::Message& current,
                             const std::vector<KeptField>& kept);

// Sets the fields every change message (InstitutionChanged, WorkerChanged, ...) has: its one
// field of `record`'s type, and `action`, `changed_fields` and `reason` where it has them.
// INTERNAL when `message` has no field of `record`'s type.
absl::Status FillChangeMessage(const google::protobuf::Message& record, const std::string& action,
                               const std::vector<std::string>& changed_fields,
                               const std::string& reason, google::protobuf::Message* message);

// "an institution", "a worker": the kind with its article, for messages.
std::string WithArticle(const std::string& kind);

}  // namespace wahana
