#include "common/csv/csv_reader.h"

#include <gtest/gtest.h>

namespace wahana {
namespace {

TEST(CsvReaderTest, QuotedCommasAndDoubledQuotesSurvive) {
  auto rows = ParseCsv(
      "code,district_code,name\n"
      "12.07.28.1007,12.07.28,\"Lubuk Pakam I,II\"\n"
      "35.13.15.2017,35.13.15,\"Soka\"\"an\"\r\n"
      "16.06.01.2001,16.06.01,Kayuara\n");
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 4u);
  EXPECT_EQ((*rows)[1][2], "Lubuk Pakam I,II");
  EXPECT_EQ((*rows)[2][2], "Soka\"an");
  EXPECT_EQ((*rows)[3][0], "16.06.01.2001");
}

TEST(CsvReaderTest, LastLineWithoutNewlineAndUnicode) {
  auto rows = ParseCsv("a,b\n1,\"Nagari Koto Tuo \xE2\x80\x99\"");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[1][1], "Nagari Koto Tuo \xE2\x80\x99");
}

TEST(CsvReaderTest, UnterminatedQuoteIsAnErrorWithItsLine) {
  auto rows = ParseCsv("a,b\n1,\"open\n");
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(rows.status().message().find("line 2"), absl::string_view::npos) << rows.status();
}

}  // namespace
}  // namespace wahana
