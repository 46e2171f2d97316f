#include "registry/beneficiaries/tool/csv_file_reader.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace wahana::registry {
namespace {

std::string WriteFile(const std::string& text) {
  static int n = 0;
  std::string path = ::testing::TempDir() + "/csv_file_reader_test_" + std::to_string(++n) + ".csv";
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

absl::StatusOr<std::vector<NumberedCsvRow>> ReadAll(const std::string& text, size_t chunk) {
  auto reader = CsvFileReader::Open(WriteFile(text), chunk);
  if (!reader.ok()) return reader.status();
  std::vector<NumberedCsvRow> all, rows;
  for (;;) {
    auto more = (*reader)->Next(&rows);
    if (!more.ok()) return more.status();
    if (!*more) break;
    all.insert(all.end(), rows.begin(), rows.end());
  }
  return all;
}

TEST(CsvFileReaderTest, RowsKeepTheLineTheyStartOn) {
  const std::string text =
      "\xEF\xBB\xBF"
      "a,b\r\n"
      "1,\"two\nlines\"\r\n"
      "\r\n"
      "3,\"Jl. A, RT \"\"1\"\"\"\n"
      "4,Nur'aini";  // no final line break
  for (size_t chunk : {size_t{1}, size_t{3}, size_t{7}, size_t{1 << 20}}) {
    auto rows = ReadAll(text, chunk);
    ASSERT_TRUE(rows.ok()) << rows.status();
    ASSERT_EQ(rows->size(), 4u) << "chunk " << chunk;
    EXPECT_EQ((*rows)[0].line, 1);
    EXPECT_EQ((*rows)[0].fields, (CsvRow{"a", "b"}));
    EXPECT_EQ((*rows)[1].line, 2);
    EXPECT_EQ((*rows)[1].fields, (CsvRow{"1", "two\nlines"}));
    EXPECT_EQ((*rows)[2].line, 5);
    EXPECT_EQ((*rows)[2].fields, (CsvRow{"3", "Jl. A, RT \"1\""}));
    EXPECT_EQ((*rows)[3].line, 6);
    EXPECT_EQ((*rows)[3].fields, (CsvRow{"4", "Nur'aini"}));
  }
}

TEST(CsvFileReaderTest, MalformedCsvNamesTheLine) {
  auto rows = ReadAll("a,b\n1,2\n3,\"x\"y\n4,5\n", 1 << 20);
  EXPECT_EQ(rows.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(rows.status().message().substr(0, 7), "line 3:");
  rows = ReadAll("a,b\n1,\"unterminated\n2,3\n", 4);
  EXPECT_EQ(rows.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(CsvFileReaderTest, EmptyAndMissingFiles) {
  auto rows = ReadAll("", 16);
  ASSERT_TRUE(rows.ok());
  EXPECT_TRUE(rows->empty());
  EXPECT_EQ(CsvFileReader::Open("/nonexistent/x.csv").status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace wahana::registry
