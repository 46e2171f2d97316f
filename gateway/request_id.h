#pragma once
// The request id that follows one HTTP request through the gateway and the services: taken from
// the client's X-Request-Id when it is usable, generated otherwise; sent to the service as gRPC
// metadata "x-request-id" and returned in the response's X-Request-Id header.

#include <string>

#include "absl/strings/string_view.h"

namespace wahana {

// `header` when it is 1-128 visible ASCII characters (safe in metadata, headers and logs),
// otherwise a new time-ordered id (26 characters). Thread-safe.
std::string AcceptOrMakeRequestId(absl::string_view header);

}  // namespace wahana
