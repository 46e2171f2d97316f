#pragma once
// A google.api.http path template and its matcher:
//
//   Template = "/" Segments [ Verb ] ;       Segment  = "*" | "**" | LITERAL | Variable ;
//   Segments = Segment { "/" Segment } ;     Variable = "{" FieldPath [ "=" Segments ] "}" ;
//   Verb     = ":" LITERAL ;                 FieldPath = IDENT { "." IDENT } ;
//
// `{code}` is `{code=*}`: one whole segment, so a value may hold dots ("16.06.01.2001") but not
// '/'. `{name=regions/*}` captures "regions/16.06" whole. `**` (zero or more segments) may only be
// the last segment. A template with a verb (`/v1/cases/{id}:assign`) matches only paths ending in
// ":assign", and the verb is not part of the last variable's value.
//
// Immutable after Parse; Match is thread-safe.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace wahana {

// A path variable's field path ("code", "region.code") and its percent-decoded value.
struct PathBinding {
  std::string field_path;
  std::string value;

  bool operator==(const PathBinding& other) const {
    return field_path == other.field_path && value == other.value;
  }
};

class PathTemplate {
 public:
  // INVALID_ARGUMENT naming the template and the problem when `text` is not a valid template.
  static absl::StatusOr<PathTemplate> Parse(absl::string_view text);

  // Matches a request path (without the query string, still percent-encoded). Returns the
  // bindings, or nullopt when the path does not match (including a malformed %-escape in a
  // segment this template needs). Literals are compared after percent-decoding; a single-segment
  // variable's value is fully decoded, a multi-segment one keeps %2F encoded.
  std::optional<std::vector<PathBinding>> Match(absl::string_view path) const;

  const std::string& text() const { return text_; }
  const std::string& verb() const { return verb_; }
  // Literal segments: the more, the more specific (used to rank templates matching one path).
  int literal_count() const { return literal_count_; }
  // The variables' field paths, in template order.
  std::vector<std::string> FieldPaths() const;

 private:
  enum class Kind { kLiteral, kWildcard, kDoubleWildcard };
  struct Segment {
    Kind kind;
    std::string literal;  // kLiteral only
  };
  struct Variable {
    std::string field_path;
    size_t first_segment;  // index into segments_
    size_t end_segment;    // one past the last; a trailing ** runs to the end of the path
  };

  class Parser;

  std::string text_;
  std::vector<Segment> segments_;
  std::vector<Variable> variables_;
  std::string verb_;
  int literal_count_ = 0;
};

}  // namespace wahana
