#pragma once
// A CSV file read a chunk of records at a time (a million-row file never sits in memory whole),
// each row with the line of the file it starts on (1-based; a quoted field may span lines).
// Records are cut where a line break lies outside quotes, and each chunk is parsed with
// ParseCsv (common/csv/csv_reader.h, libcsv). Empty lines are skipped, as ParseCsv skips them.
//
// Not thread-safe.

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/csv/csv_reader.h"

namespace wahana::registry {

struct NumberedCsvRow {
  int line = 0;
  CsvRow fields;
};

class CsvFileReader {
 public:
  // NOT_FOUND when `path` cannot be opened.
  static absl::StatusOr<std::unique_ptr<CsvFileReader>> Open(const std::string& path,
                                                             size_t chunk_bytes = 1 << 20);

  // The next rows (at least one) into `rows`; false at the end of the file. INVALID_ARGUMENT
  // "line N: ..." for malformed CSV (an unterminated quote, text after a closing quote).
  absl::StatusOr<bool> Next(std::vector<NumberedCsvRow>* rows);

  uint64_t size_bytes() const { return size_bytes_; }
  uint64_t bytes_read() const { return bytes_read_; }

 private:
  CsvFileReader(std::ifstream in, uint64_t size, size_t chunk_bytes)
      : in_(std::move(in)), size_bytes_(size), chunk_bytes_(chunk_bytes) {}

  // Parses the complete records in `text`, whose first line is `first_line`.
  absl::Status ParseRecords(const std::string& text, int first_line,
                            std::vector<NumberedCsvRow>* rows);

  std::ifstream in_;
  uint64_t size_bytes_ = 0;
  uint64_t bytes_read_ = 0;
  size_t chunk_bytes_;
  std::string carry_;   // the start of a record the previous read cut
  int carry_line_ = 1;  // the line `carry_` starts on
  bool eof_ = false;
};

}  // namespace wahana::registry
