#include "gateway/path_template.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/status/status_macros.h"
#include "gateway/percent_encoding.h"

namespace wahana {

class PathTemplate::Parser {
 public:
  Parser(absl::string_view text, PathTemplate& out) : text_(text), out_(out) {}

  absl::Status Run() {
    if (text_.empty() || text_[0] != '/') return Error("must start with '/'");
    // The verb is a ':' after the last '/' and the last '}' (a ':' inside a variable's pattern
    // or an earlier segment is not a verb).
    size_t from = text_.rfind('/');
    size_t last_brace = text_.rfind('}');
    if (last_brace != absl::string_view::npos) from = std::max(from, last_brace);
    size_t colon = text_.find(':', from);
    body_ = text_;
    if (colon != absl::string_view::npos) {
      absl::string_view verb = text_.substr(colon + 1);
      if (verb.empty() || verb.find_first_of("/{}*:") != absl::string_view::npos) {
        return Error("bad verb after ':'");
      }
      out_.verb_ = std::string(verb);
      body_ = text_.substr(0, colon);
    }
    pos_ = 1;
    WAHANA_RETURN_IF_ERROR(ParseSegments(/*in_variable=*/false));
    if (pos_ != body_.size()) {
      return Error(absl::StrCat("unexpected '", body_.substr(pos_, 1), "' at offset ", pos_));
    }
    for (size_t i = 0; i + 1 < out_.segments_.size(); ++i) {
      if (out_.segments_[i].kind == Kind::kDoubleWildcard) {
        return Error("'**' may only be the last segment");
      }
    }
    std::set<std::string> seen;
    for (const Variable& v : out_.variables_) {
      if (!seen.insert(v.field_path).second) {
        return Error(absl::StrCat("field \"", v.field_path, "\" bound twice"));
      }
    }
    return absl::OkStatus();
  }

 private:
  absl::Status Error(absl::string_view why) const {
    return absl::InvalidArgumentError(absl::StrCat("bad path template \"", text_, "\": ", why));
  }

  bool AtEnd() const { return pos_ >= body_.size(); }

  absl::Status ParseSegments(bool in_variable) {
    for (;;) {
      WAHANA_RETURN_IF_ERROR(ParseSegment(in_variable));
      if (!AtEnd() && body_[pos_] == '/') {
        ++pos_;
        continue;
      }
      return absl::OkStatus();
    }
  }

  absl::Status ParseSegment(bool in_variable) {
    if (AtEnd()) return Error("empty segment");
    char c = body_[pos_];
    if (c == '{') {
      if (in_variable) return Error("nested variable");
      WAHANA_RETURN_IF_ERROR(ParseVariable());
    } else if (body_.substr(pos_, 2) == "**") {
      out_.segments_.push_back({Kind::kDoubleWildcard, ""});
      pos_ += 2;
    } else if (c == '*') {
      out_.segments_.push_back({Kind::kWildcard, ""});
      pos_ += 1;
    } else {
      size_t end = body_.find_first_of("/{}*", pos_);
      if (end == absl::string_view::npos) end = body_.size();
      if (end == pos_) return Error(absl::StrCat("empty segment at offset ", pos_));
      out_.segments_.push_back({Kind::kLiteral, std::string(body_.substr(pos_, end - pos_))});
      ++out_.literal_count_;
      pos_ = end;
    }
    if (!AtEnd() && body_[pos_] != '/' && !(in_variable && body_[pos_] == '}')) {
      return Error(absl::StrCat("unexpected '", body_.substr(pos_, 1), "' at offset ", pos_));
    }
    return absl::OkStatus();
  }

  absl::Status ParseVariable() {
    ++pos_;  // '{'
    size_t end = pos_;
    while (end < body_.size() && (absl::ascii_isalnum(static_cast<unsigned char>(body_[end])) ||
                                  body_[end] == '_' || body_[end] == '.')) {
      ++end;
    }
    std::string field_path(body_.substr(pos_, end - pos_));
    for (absl::string_view ident : absl::StrSplit(field_path, '.')) {
      if (ident.empty() || absl::ascii_isdigit(static_cast<unsigned char>(ident[0]))) {
        return Error(absl::StrCat("bad field path \"", field_path, "\""));
      }
    }
    pos_ = end;
    size_t first = out_.segments_.size();
    if (!AtEnd() && body_[pos_] == '=') {
      ++pos_;
      WAHANA_RETURN_IF_ERROR(ParseSegments(/*in_variable=*/true));
    } else {
      out_.segments_.push_back({Kind::kWildcard, ""});
    }
    if (AtEnd() || body_[pos_] != '}') return Error("unterminated variable");
    ++pos_;
    out_.variables_.push_back({std::move(field_path), first, out_.segments_.size()});
    return absl::OkStatus();
  }

  absl::string_view text_;
  absl::string_view body_;  // text_ without the verb
  size_t pos_ = 0;
  PathTemplate& out_;
};

absl::StatusOr<PathTemplate> PathTemplate::Parse(absl::string_view text) {
  PathTemplate result;
  result.text_ = std::string(text);
  Parser parser(text, result);
  WAHANA_RETURN_IF_ERROR(parser.Run());
  return result;
}

std::vector<std::string> PathTemplate::FieldPaths() const {
  std::vector<std::string> paths;
  for (const Variable& v : variables_) paths.push_back(v.field_path);
  return paths;
}

std::optional<std::vector<PathBinding>> PathTemplate::Match(absl::string_view path) const {
  if (path.empty() || path[0] != '/') return std::nullopt;
  if (!verb_.empty()) {
    size_t colon = path.rfind(':');
    size_t slash = path.rfind('/');
    if (colon == absl::string_view::npos || colon < slash) return std::nullopt;
    std::optional<std::string> verb = PercentDecode(path.substr(colon + 1));
    if (!verb || *verb != verb_) return std::nullopt;
    path = path.substr(0, colon);
  }
  std::vector<absl::string_view> parts = absl::StrSplit(path.substr(1), '/');

  const size_t n = segments_.size();
  const bool has_tail = n > 0 && segments_.back().kind == Kind::kDoubleWildcard;
  if (has_tail ? parts.size() < n - 1 : parts.size() != n) return std::nullopt;
  for (size_t i = 0; i < n; ++i) {
    const Segment& segment = segments_[i];
    if (segment.kind == Kind::kDoubleWildcard) break;
    if (segment.kind == Kind::kWildcard) {
      if (parts[i].empty()) return std::nullopt;
      continue;
    }
    std::optional<std::string> decoded = PercentDecode(parts[i]);
    if (!decoded || *decoded != segment.literal) return std::nullopt;
  }

  std::vector<PathBinding> bindings;
  bindings.reserve(variables_.size());
  for (const Variable& v : variables_) {
    size_t end = (has_tail && v.end_segment == n) ? parts.size() : v.end_segment;
    bool single = end - v.first_segment == 1 && !(has_tail && v.end_segment == n);
    std::string value;
    if (single) {
      std::optional<std::string> decoded = PercentDecode(parts[v.first_segment]);
      if (!decoded) return std::nullopt;
      value = std::move(*decoded);
    } else {
      for (size_t i = v.first_segment; i < end; ++i) {
        std::optional<std::string> decoded =
            PercentDecode(parts[i], /*plus_is_space=*/false, /*keep_slash_escapes=*/true);
        if (!decoded) return std::nullopt;
        if (i != v.first_segment) value.push_back('/');
        value.append(*decoded);
      }
    }
    bindings.push_back({v.field_path, std::move(value)});
  }
  return bindings;
}

}  // namespace wahana
