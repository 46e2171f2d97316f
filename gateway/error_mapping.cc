#include "gateway/error_mapping.h"

#include <nlohmann/json.hpp>

namespace wahana {

// clang-format off (one line a code: it reads as the table it is)
int HttpStatusForCode(int code) {
  using C = absl::StatusCode;
  switch (static_cast<C>(code)) {
    case C::kOk:
      return 200;
    case C::kCancelled:
      return 499;
    case C::kUnknown:
      return 500;
    case C::kInvalidArgument:
      return 400;
    case C::kDeadlineExceeded:
      return 504;
    case C::kNotFound:
      return 404;
    case C::kAlreadyExists:
      return 409;
    case C::kPermissionDenied:
      return 403;
    case C::kResourceExhausted:
      return 429;
    case C::kFailedPrecondition:
      return 400;
    case C::kAborted:
      return 409;
    case C::kOutOfRange:
      return 400;
    case C::kUnimplemented:
      return 501;
    case C::kInternal:
      return 500;
    case C::kUnavailable:
      return 503;
    case C::kDataLoss:
      return 500;
    case C::kUnauthenticated:
      return 401;
    default:
      return 500;
  }
}
// clang-format on

std::string StatusJson(int code, absl::string_view message) {
  nlohmann::json body = {
      {"code", code}, {"message", std::string(message)}, {"details", nlohmann::json::array()}};
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

HttpResponse ErrorResponse(const absl::Status& status) {
  int code = static_cast<int>(status.code());
  HttpResponse response;
  response.status = HttpStatusForCode(code);
  response.body = StatusJson(code, status.message());
  return response;
}

HttpResponse ErrorResponse(int http_status, absl::StatusCode code, absl::string_view message) {
  HttpResponse response;
  response.status = http_status;
  response.body = StatusJson(static_cast<int>(code), message);
  return response;
}

absl::string_view ReasonPhrase(int http_status) {
  return http_status == 499 ? "Client Closed Request" : "";
}

}  // namespace wahana
