#include "common/grpc/call_scope.h"

#include <utility>

namespace wahana {
namespace {

struct CurrentCall {
  std::string request_id;
  CallScope::TimePoint deadline = CallScope::TimePoint::max();
};

CurrentCall& Current() {
  thread_local CurrentCall current;
  return current;
}

constexpr size_t kMaxRequestIdLength = 128;

}  // namespace

CallScope::CallScope(std::string request_id, TimePoint deadline) {
  CurrentCall& current = Current();
  previous_request_id_ = std::exchange(current.request_id, std::move(request_id));
  previous_deadline_ = std::exchange(current.deadline, deadline);
}

CallScope::~CallScope() {
  CurrentCall& current = Current();
  current.request_id = std::move(previous_request_id_);
  current.deadline = previous_deadline_;
}

const std::string& CurrentRequestId() { return Current().request_id; }

CallScope::TimePoint CurrentDeadline() { return Current().deadline; }

CallScope::TimePoint OutgoingDeadline(std::chrono::milliseconds own) {
  CallScope::TimePoint mine = std::chrono::system_clock::now() + own;
  return std::min(mine, CurrentDeadline());
}

void PrepareOutgoingCall(grpc::ClientContext& context, std::chrono::milliseconds own_deadline) {
  context.set_deadline(OutgoingDeadline(own_deadline));
  const std::string& id = CurrentRequestId();
  if (!id.empty()) context.AddMetadata("x-request-id", id);
}

std::string RequestIdFromMetadata(
    const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) {
  auto it = metadata.find("x-request-id");
  if (it == metadata.end()) return "";
  const grpc::string_ref& value = it->second;
  if (value.empty() || value.size() > kMaxRequestIdLength) return "";
  for (char c : value) {
    if (c <= 0x20 || c >= 0x7F || c == '"' || c == '\\') return "";
  }
  return std::string(value.data(), value.size());
}

}  // namespace wahana
