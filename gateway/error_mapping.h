#pragma once
// HTTP status codes and JSON error bodies for gRPC statuses, exactly as google/rpc/code.proto
// maps them (OK 200, CANCELLED 499, UNKNOWN 500, INVALID_ARGUMENT 400, DEADLINE_EXCEEDED 504,
// NOT_FOUND 404, ALREADY_EXISTS 409, PERMISSION_DENIED 403, UNAUTHENTICATED 401,
// RESOURCE_EXHAUSTED 429, FAILED_PRECONDITION 400, ABORTED 409, OUT_OF_RANGE 400,
// UNIMPLEMENTED 501, INTERNAL 500, UNAVAILABLE 503, DATA_LOSS 500; any other code 500).
//
// Every error body, from a backend or made by the gateway, is shaped like google.rpc.Status:
//   {"code": <gRPC code number>, "message": "...", "details": []}
// Gateway-made errors whose HTTP status has no gRPC counterpart pair it with the nearest code:
// 405 UNIMPLEMENTED, 413 RESOURCE_EXHAUSTED (the request exceeds a limit), 415 INVALID_ARGUMENT.

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "gateway/http_exchange.h"

namespace wahana {

// The HTTP status for a gRPC (equivalently absl) status code number.
int HttpStatusForCode(int code);

// The google.rpc.Status-shaped JSON body. Invalid UTF-8 in `message` is replaced, never thrown.
std::string StatusJson(int code, absl::string_view message);

// A response for a backend's or the gateway's error status (HTTP status from the code).
HttpResponse ErrorResponse(const absl::Status& status);

// A gateway-made error whose HTTP status is not the code's own (405, 413, 415).
HttpResponse ErrorResponse(int http_status, absl::StatusCode code, absl::string_view message);

// The reason phrase for `http_status` ("Client Closed Request" for 499, which HTTP libraries
// do not know), or "" to let the library choose.
absl::string_view ReasonPhrase(int http_status);

}  // namespace wahana
