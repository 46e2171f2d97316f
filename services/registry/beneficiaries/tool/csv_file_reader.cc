#include "registry/beneficiaries/tool/csv_file_reader.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"

namespace wahana::registry {
namespace {

// A record is blank when it holds nothing but a line break (ParseCsv skips those).
bool Blank(absl::string_view record) {
  for (char c : record) {
    if (c != '\r' && c != '\n') return false;
  }
  return true;
}

// Start offsets and lines of the complete records in text[0, end), with end just after the last
// line break outside quotes (0 when there is none).
struct Split {
  std::vector<std::pair<size_t, int>> records;  // offset, line
  size_t end = 0;
  int next_line = 0;
};

Split SplitRecords(absl::string_view text, int first_line, bool final) {
  Split split;
  bool quoted = false;
  int line = first_line;
  size_t start = 0;
  int start_line = first_line;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      quoted = !quoted;  // a doubled quote toggles twice
    } else if (c == '\n') {
      ++line;
      if (!quoted) {
        split.records.emplace_back(start, start_line);
        start = i + 1;
        start_line = line;
        split.end = start;
      }
    }
  }
  if (final && start < text.size()) {
    split.records.emplace_back(start, start_line);
    split.end = text.size();
    start_line = line;
  }
  split.next_line = start_line;
  return split;
}

}  // namespace

absl::StatusOr<std::unique_ptr<CsvFileReader>> CsvFileReader::Open(const std::string& path,
                                                                   size_t chunk_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  in.seekg(0, std::ios::end);
  const uint64_t size = static_cast<uint64_t>(in.tellg());
  in.seekg(0, std::ios::beg);
  // A UTF-8 byte order mark (spreadsheet exports) is not part of the first field.
  char bom[3] = {0, 0, 0};
  in.read(bom, 3);
  if (in.gcount() != 3 || std::string(bom, 3) != "\xEF\xBB\xBF") {
    in.clear();
    in.seekg(0, std::ios::beg);
  }
  return std::unique_ptr<CsvFileReader>(new CsvFileReader(std::move(in), size, chunk_bytes));
}

absl::Status CsvFileReader::ParseRecords(const std::string& text, int first_line,
                                         std::vector<NumberedCsvRow>* rows) {
  Split split = SplitRecords(text, first_line, true);
  std::vector<std::pair<size_t, int>> records;
  for (size_t r = 0; r < split.records.size(); ++r) {
    size_t begin = split.records[r].first;
    size_t end = r + 1 < split.records.size() ? split.records[r + 1].first : text.size();
    if (!Blank(absl::string_view(text).substr(begin, end - begin))) {
      records.push_back(split.records[r]);
    }
  }
  absl::StatusOr<std::vector<CsvRow>> parsed = ParseCsv(text);
  if (parsed.ok() && parsed->size() == records.size()) {
    for (size_t r = 0; r < records.size(); ++r) {
      rows->push_back({records[r].second, std::move((*parsed)[r])});
    }
    return absl::OkStatus();
  }
  // A malformed record, or one ParseCsv counts otherwise (a line of spaces): record by record,
  // to name the line.
  for (size_t r = 0; r < split.records.size(); ++r) {
    size_t begin = split.records[r].first;
    size_t end = r + 1 < split.records.size() ? split.records[r + 1].first : text.size();
    absl::StatusOr<std::vector<CsvRow>> one =
        ParseCsv(absl::string_view(text).substr(begin, end - begin));
    if (!one.ok()) {
      std::string message(one.status().message());
      // "csv line 1: <what>" -> "line <N>: <what>"
      size_t colon = message.find(": ");
      return absl::InvalidArgumentError(
          absl::StrCat("line ", split.records[r].second, ": malformed CSV (",
                       colon == std::string::npos ? message : message.substr(colon + 2), ")"));
    }
    for (CsvRow& row : *one) rows->push_back({split.records[r].second, std::move(row)});
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> CsvFileReader::Next(std::vector<NumberedCsvRow>* rows) {
  rows->clear();
  while (rows->empty()) {
    if (eof_ && carry_.empty()) return false;
    std::string text = std::move(carry_);
    carry_.clear();
    if (!eof_) {
      size_t old = text.size();
      text.resize(old + chunk_bytes_);
      in_.read(&text[old], static_cast<std::streamsize>(chunk_bytes_));
      const size_t got = static_cast<size_t>(in_.gcount());
      text.resize(old + got);
      bytes_read_ += got;
      if (got < chunk_bytes_) eof_ = true;
      if (in_.bad()) return absl::DataLossError("read error");
    }
    Split split = SplitRecords(text, carry_line_, eof_);
    if (split.end == 0 && !eof_) {
      carry_ = std::move(text);  // one record longer than a chunk: read more
      continue;
    }
    carry_ = text.substr(split.end);
    text.resize(split.end);
    const int first_line = carry_line_;
    carry_line_ = split.next_line;
    WAHANA_RETURN_IF_ERROR(ParseRecords(text, first_line, rows));
  }
  return true;
}

}  // namespace wahana::registry
