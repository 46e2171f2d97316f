#pragma once
// Resolves the dotted field paths used by path variables and query parameters ("parent",
// "pageSize", "filter.region_code") against a message type.

#include <google/protobuf/descriptor.h>

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace wahana {

// The field named by each part of `path`, outermost first. A part is a field's proto name
// (snake_case) or its JSON name (lowerCamelCase). Every part but the last must be a singular
// message field. INVALID_ARGUMENT ("no field \"x\" in wahana.registry.v1.ListRegionsRequest", or
// a part that cannot be descended into) otherwise.
absl::StatusOr<std::vector<const google::protobuf::FieldDescriptor*>> ResolveFieldPath(
    const google::protobuf::Descriptor* type, absl::string_view path);

// The field of `type` whose proto or JSON name is `name`, or nullptr.
const google::protobuf::FieldDescriptor* FindFieldByAnyName(
    const google::protobuf::Descriptor* type, absl::string_view name);

}  // namespace wahana
