#pragma once
// The nesting-depth limit on JSON request bodies: a body nested deeper than the limit is refused
// before any parser recurses into it (a deeply nested body costs a recursive parser stack and
// time out of proportion to its size).

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace wahana {

// OK when no object or array in `body` is nested more than `max_depth` levels deep (a top-level
// object is depth 1). INVALID_ARGUMENT naming the limit otherwise. Only counts brackets outside
// strings: it does not validate the JSON (the parser does that next). One linear pass, no
// allocation. `max_depth` <= 0 disables the check.
absl::Status CheckJsonDepth(absl::string_view body, int max_depth);

}  // namespace wahana
