#pragma once
// What the call a thread is working for carries across process boundaries: its request id (for
// every log line, common/logging/logging.h) and its deadline (bounding the calls it makes).
//
// RunUnary (unary_call.h) opens a CallScope around a method's work with the incoming call's
// `x-request-id` metadata and deadline; code making an outgoing call during that work calls
// PrepareOutgoingCall, so the id follows the request and no downstream call outlives the
// caller's patience. Thread-local: cheap, and nothing to pass through the logic's signatures.

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <map>
#include <string>

namespace wahana {

class CallScope {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  // Makes `request_id` ("" for none) and `deadline` (TimePoint::max() for none) the calling
  // thread's current ones until destruction, then restores the previous ones (scopes nest).
  CallScope(std::string request_id, TimePoint deadline);
  ~CallScope();
  CallScope(const CallScope&) = delete;
  CallScope& operator=(const CallScope&) = delete;

 private:
  std::string previous_request_id_;
  TimePoint previous_deadline_;
};

// The current call's request id on this thread; "" outside any CallScope.
const std::string& CurrentRequestId();

// The current call's deadline on this thread; TimePoint::max() when there is none.
CallScope::TimePoint CurrentDeadline();

// now + `own`, or the current call's deadline when that comes sooner.
CallScope::TimePoint OutgoingDeadline(std::chrono::milliseconds own);

// Sets OutgoingDeadline(`own_deadline`) on `context` and, inside a call, its x-request-id
// metadata.
void PrepareOutgoingCall(grpc::ClientContext& context, std::chrono::milliseconds own_deadline);

// The x-request-id of `metadata` when it is 1-128 visible ASCII characters (safe in a log line
// and a JSON string), else "".
std::string RequestIdFromMetadata(
    const std::multimap<grpc::string_ref, grpc::string_ref>& metadata);

}  // namespace wahana
