#pragma once
// Federation sequences are stream entry ids ("1765000000000-3"): increasing along an outbox, so a
// receiver compares them to its high-water mark.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/string_view.h"

namespace wahana {

// (milliseconds, sequence) of a well-formed id; nullopt otherwise.
inline std::optional<std::pair<uint64_t, uint64_t>> ParseStreamSequence(absl::string_view id) {
  const size_t dash = id.find('-');
  if (dash == absl::string_view::npos) return std::nullopt;
  uint64_t ms = 0, seq = 0;
  if (!absl::SimpleAtoi(id.substr(0, dash), &ms) || !absl::SimpleAtoi(id.substr(dash + 1), &seq)) {
    return std::nullopt;
  }
  return std::make_pair(ms, seq);
}

}  // namespace wahana
