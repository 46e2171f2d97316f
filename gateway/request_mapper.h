#pragma once
// Builds a gRPC request message from an HTTP request, following google.api.http:
//   1. the body, when the route has one: `body: "*"` is the whole request message in protobuf's
//      JSON mapping, `body: "<field>"` that one field; unknown JSON fields are rejected;
//   2. query parameters set the remaining fields: `?parent=16.06&pageSize=2`, snake_case or
//      lowerCamelCase names, nested `a.b`, repeated fields by repetition (`?id=a&id=b`), enums by
//      name or number, google.protobuf wrappers/Timestamp/Duration/FieldMask by their JSON text;
//   3. path variables.
// Every error is INVALID_ARGUMENT and names the parameter, variable or JSON field at fault.
// Stateless functions, thread-safe.

#include <google/protobuf/message.h>

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "gateway/path_template.h"
#include "gateway/route_table.h"

namespace wahana {

// Sets the field at `field_path` (names as in ResolveFieldPath) of `message` from `text`; a
// repeated field gets `text` appended. `source` names the input in errors, e.g.
// `query parameter "pageSize"`.
absl::Status SetFieldFromText(google::protobuf::Message& message, absl::string_view field_path,
                              absl::string_view text, absl::string_view source);

// Applies a raw query string (after '?', still percent-encoded, '+' is a space). `body_field` is
// the route's body ("", "*" or a field): with "*" no query parameter is allowed, and none may set
// the body field or a field bound by `path_fields` (the route's path variables).
absl::Status ApplyQueryString(absl::string_view query, absl::string_view body_field,
                              const std::vector<std::string>& path_fields,
                              google::protobuf::Message& message);

// Parses `json` into the request per `body_field` ("*": the whole message, otherwise that
// top-level field; "": the body is ignored). An empty or all-blank body leaves the message empty.
// Malformed JSON's error says where (line and column).
absl::Status ApplyJsonBody(absl::string_view json, absl::string_view body_field,
                           google::protobuf::Message& message);

// The whole mapping for `route`: body, then the query string, then the path bindings.
absl::Status BuildRequestMessage(const Route& route, const std::vector<PathBinding>& bindings,
                                 absl::string_view query, absl::string_view body,
                                 google::protobuf::Message& message);

}  // namespace wahana
