#include "reporting/small_count_suppression.h"

#include <optional>

namespace wahana {
namespace {

bool Small(int64_t count) { return count >= 1 && count <= 4; }

}  // namespace

ShownCounts ShowCounts(const std::vector<int64_t>& rows, int64_t total, bool suppress,
                       bool rows_small_area, bool total_small_area) {
  ShownCounts shown;
  size_t hidden = 0;
  for (int64_t count : rows) {
    bool hide = suppress && rows_small_area && Small(count);
    shown.rows.push_back(hide ? kBelowFive : std::to_string(count));
    if (hide) ++hidden;
  }
  if (hidden == 1) {
    std::optional<size_t> smallest;
    for (size_t i = 0; i < rows.size(); ++i) {
      if (rows[i] == 0 || shown.rows[i] == kBelowFive) continue;
      if (!smallest.has_value() || rows[i] < rows[*smallest]) smallest = i;
    }
    if (smallest.has_value()) shown.rows[*smallest] = kSuppressed;
  }
  if (suppress && ((total_small_area && Small(total)) || hidden > 0)) {
    shown.total = total < 5 ? kBelowFive : kSuppressed;
  } else {
    shown.total = std::to_string(total);
  }
  return shown;
}

}  // namespace wahana
