#include "gateway/request_id.h"

#include "common/ids/time_ordered_id.h"

namespace wahana {
namespace {

constexpr size_t kMaxRequestIdLength = 128;

bool IsUsable(absl::string_view id) {
  if (id.empty() || id.size() > kMaxRequestIdLength) return false;
  for (char c : id) {
    if (c <= 0x20 || c >= 0x7F || c == '"' || c == '\\') return false;
  }
  return true;
}

}  // namespace

std::string AcceptOrMakeRequestId(absl::string_view header) {
  if (IsUsable(header)) return std::string(header);
  // One generator per thread: no lock shared by the HTTP threads.
  thread_local TimeOrderedIdGenerator generator;
  return generator.Next();
}

}  // namespace wahana
