#include "common/csv/csv_writer.h"

#include <gtest/gtest.h>

#include "common/csv/csv_reader.h"

namespace wahana {
namespace {

TEST(CsvWriterTest, QuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(CsvRecord({"16.06.01", "Sekayu", "12"}), "16.06.01,Sekayu,12\r\n");
  EXPECT_EQ(CsvRecord({"a,b", "say \"hi\"", "two\nlines", ""}),
            "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n");
}

TEST(CsvWriterTest, TheReaderReadsBackWhatTheWriterWrote) {
  std::vector<std::string> fields = {"Babat Toman, Kota", "\"Lais\"", "<5"};
  auto rows = ParseCsv(CsvRecord({"key", "label", "count"}) + CsvRecord(fields));
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[1], fields);
}

}  // namespace
}  // namespace wahana
