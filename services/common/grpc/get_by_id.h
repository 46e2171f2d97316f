#pragma once
// One record read by id from another service over gRPC, with a deadline, its grpc::Status turned
// into the absl::Status the reading logic expects: NOT_FOUND "<what> <id> not found",
// INVALID_ARGUMENT with the other service's message, and UNAVAILABLE for anything else (a
// deadline, an unreachable or overloaded service, its bug: nothing the caller can fix, "retry
// later"). Used by every client of another service's records (common/registry/registry_records.h,
// the case service's mediation events).

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace wahana {

// `status` of reading `what` `id` from `service` ("the registry") as absl::Status.
inline absl::Status GetByIdStatus(const grpc::Status& status, absl::string_view service,
                                  absl::string_view what, const std::string& id) {
  switch (status.error_code()) {
    case grpc::StatusCode::NOT_FOUND:
      return absl::NotFoundError(absl::StrCat(what, " ", id, " not found"));
    case grpc::StatusCode::INVALID_ARGUMENT:
      return absl::InvalidArgumentError(status.error_message());
    default:
      return absl::UnavailableError(absl::StrCat("cannot check ", what, " ", id, " now, ", service,
                                                 " answered: ", status.error_message(),
                                                 "; retry later"));
  }
}

// Calls `method` of `stub` with a `Request` carrying `id`, within `deadline`.
template <typename Response, typename Request, typename Stub, typename Method>
absl::StatusOr<Response> GetById(Stub& stub, Method method, const std::string& id,
                                 std::chrono::milliseconds deadline, absl::string_view service,
                                 absl::string_view what) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + deadline);
  Request request;
  request.set_id(id);
  Response response;
  grpc::Status status = (stub.*method)(&context, request, &response);
  if (!status.ok()) return GetByIdStatus(status, service, what, id);
  return response;
}

}  // namespace wahana
