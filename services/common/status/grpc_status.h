#pragma once
// Conversions between absl::Status (used inside the services) and grpc::Status (on the wire).
// The canonical codes are numerically identical in both, so the mapping is lossless.

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace wahana {

grpc::Status ToGrpcStatus(const absl::Status& status);
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace wahana
