#pragma once
// Applying an update request's field mask (google.protobuf.FieldMask, as Google's AIP-134 reads
// it) to a stored record: the pure half of an update, before the store writes the result.
//
// ApplyUpdateMask(patch, mask, server_set, &record) copies into `record` the fields of `patch` that
// `mask` names:
//  - A path names a field by its proto name ("full_name") or its JSON name ("fullName"), through
//    singular message fields ("contact.phone"). Otherwise INVALID_ARGUMENT naming the path as
//    given: `updateMask: unknown field "contact.fax"`, `updateMask: "tags.x" goes through a
//    repeated field`.
//  - A path naming a server-set field or a field within one: INVALID_ARGUMENT `updateMask: "etag"
//    is set by the server`.
//  - "*" alone: every field except the server-set ones (a full replacement).
//  - No paths: the fields set in `patch`, server-set ones skipped (a client may send back a whole
//    record it read, id and etag included).
//  - A named field is replaced: cleared when `patch` does not set it, repeated and map fields
//    replaced whole (never appended to), message fields replaced whole.
// On error `record` is unchanged. `patch` and `record` must be of one type (else INTERNAL).

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"

namespace wahana {

// Fields a client never sets by update: the registry's resources' id, etag and times.
const std::vector<std::string>&
DefaultServerSetFields();  // id etag create_time update_time archive_time

absl::Status ApplyUpdateMask(const google::protobuf::Message& patch,
                             const google::protobuf::FieldMask& mask,
                             const std::vector<std::string>& server_set,
                             google::protobuf::Message* record);

}  // namespace wahana
