#pragma once
// Process-wide logging on spdlog: one logger on stderr, level and format from configuration.

#include <string>

#include "absl/status/status.h"

namespace wahana {

// `level`: trace|debug|info|warn|error|off; `format`: text|json. `process` names the binary in
// every line. A line logged while the thread works for a call (common/grpc/call_scope.h) carries
// its request id: " request_id=<id>" at the end of a text line, "request_id" in a JSON one.
// INVALID_ARGUMENT for an unknown level or format.
absl::Status InitLogging(const std::string& process, const std::string& level,
                         const std::string& format);

}  // namespace wahana
