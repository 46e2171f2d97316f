#include "common/csv/csv_reader.h"

#include <csv.h>

#include "absl/strings/str_cat.h"

namespace wahana {
namespace {

struct Collector {
  std::vector<CsvRow> rows;
  CsvRow current;
};

void OnField(void* data, size_t length, void* sink) {
  auto* c = static_cast<Collector*>(sink);
  c->current.emplace_back(static_cast<const char*>(data), length);
}

void OnRowEnd(int /*terminator*/, void* sink) {
  auto* c = static_cast<Collector*>(sink);
  c->rows.push_back(std::move(c->current));
  c->current.clear();
}

}  // namespace

absl::StatusOr<std::vector<CsvRow>> ParseCsv(absl::string_view text) {
  csv_parser parser;
  // Strict: a quote inside an unquoted field, or text after a closing quote, is an error.
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
    return absl::InternalError("csv: cannot initialise the parser");
  }
  Collector collector;
  size_t parsed = csv_parse(&parser, text.data(), text.size(), OnField, OnRowEnd, &collector);
  int error = csv_error(&parser);
  if (parsed == text.size()) {
    if (csv_fini(&parser, OnField, OnRowEnd, &collector) != 0) error = csv_error(&parser);
  }
  csv_free(&parser);
  if (parsed != text.size() || error != CSV_SUCCESS) {
    // Line of the failure: rows completed so far + 1.
    return absl::InvalidArgumentError(
        absl::StrCat("csv line ", collector.rows.size() + 1, ": ", csv_strerror(error)));
  }
  return collector.rows;
}

}  // namespace wahana
