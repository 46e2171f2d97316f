#include "gateway/json_depth.h"

#include "absl/strings/str_cat.h"

namespace wahana {

absl::Status CheckJsonDepth(absl::string_view body, int max_depth) {
  if (max_depth <= 0) return absl::OkStatus();
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : body) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '{':
      case '[':
        if (++depth > max_depth) {
          return absl::InvalidArgumentError(
              absl::StrCat("body: JSON nested deeper than ", max_depth,
                           " levels (the limit; WAHANA_HTTP_MAX_JSON_DEPTH)"));
        }
        break;
      case '}':
      case ']':
        // Unbalanced closers are the parser's to report; never let them hide later nesting.
        if (depth > 0) --depth;
        break;
      default:
        break;
    }
  }
  return absl::OkStatus();
}

}  // namespace wahana
