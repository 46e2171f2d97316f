#pragma once
// Small-count suppression of a report (issue 13, "Privacy"): the one place the rule lives.
//
// For callers who may not read personal data (VIEWER, PROVINCE_VIEWER) and for `audience=public`,
// a count of 1 to 4 people in a subdistrict or a village could name them, so:
//   1. every such count at subdistrict or village level is shown as "<5";
//   2. the rows of a report add up to its total, so when a row is hidden the total is hidden too
//      ("<5" when below 5, else "suppressed");
//   3. the total of the region is published elsewhere anyway (the level above, caseCounts), so a
//      lone hidden row would still be the total minus the others: the smallest other non-zero row
//      is hidden with it ("suppressed").
// Zero is shown: it names nobody.
//
// Pure function; thread-safe.

#include <cstdint>
#include <string>
#include <vector>

namespace wahana {

inline constexpr char kBelowFive[] = "<5";
inline constexpr char kSuppressed[] = "suppressed";

struct ShownCounts {
  std::vector<std::string> rows;  // beside the rows given, decimal or one of the two marks
  std::string total;
};

// Every count as shown (decimal) when `suppress` is false. Otherwise the rule above, where
// `rows_small_area` says the rows are subdistricts or villages (or lie in one) and
// `total_small_area` that the total is of a subdistrict or a village.
ShownCounts ShowCounts(const std::vector<int64_t>& rows, int64_t total, bool suppress,
                       bool rows_small_area, bool total_small_area);

}  // namespace wahana
