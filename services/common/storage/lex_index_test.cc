#include "common/storage/lex_index.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace wahana {
namespace {

TEST(LexIndexTest, MembersAreTheEscapedValueThenTheId) {
  EXPECT_EQ(IndexMember("1606014101900001", "01J0000000000000000000000A"),
            "1606014101900001|01J0000000000000000000000A");
  EXPECT_EQ(IndexMember("a|b\\c", "X1"), "a\\!b\\\\c|X1");
  EXPECT_EQ(IdOfIndexMember("a\\!b|X1"), "X1");
  EXPECT_EQ(IdOfIndexMember("no id"), "");
  // Distinct values stay distinct once escaped.
  EXPECT_NE(EscapeIndexValue("a\\!"), EscapeIndexValue("a|"));
}

TEST(LexIndexTest, ARegionPrefixCoversItsCodeAndTheCodesUnderItOnly) {
  LexRange kecamatan = RegionPrefixRange("16.06.01");
  auto member = [](const std::string& code) { return IndexMember(RegionIndexValue(code), "X1"); };
  EXPECT_TRUE(InLexRange(kecamatan, member("16.06.01")));
  EXPECT_TRUE(InLexRange(kecamatan, member("16.06.01.2001")));
  EXPECT_TRUE(InLexRange(kecamatan, member("16.06.01.1999")));
  EXPECT_FALSE(InLexRange(kecamatan, member("16.06.010")));
  EXPECT_FALSE(InLexRange(kecamatan, member("16.06.010.2001")));
  EXPECT_FALSE(InLexRange(kecamatan, member("16.06.02.2001")));
  EXPECT_FALSE(InLexRange(kecamatan, member("16.06")));
  EXPECT_FALSE(InLexRange(RegionPrefixRange("16.06"), member("16.061.01")));

  LexRange all = RegionPrefixRange("");
  EXPECT_EQ(all.min, "-");
  EXPECT_EQ(all.max, "+");
  EXPECT_TRUE(InLexRange(all, member("99.99")));
}

TEST(LexIndexTest, AnExactValueRangeHoldsThatValueOnly) {
  LexRange nik = ExactValueRange("1606014101900001");
  EXPECT_TRUE(InLexRange(nik, IndexMember("1606014101900001", "X1")));
  EXPECT_FALSE(InLexRange(nik, IndexMember("16060141019000011", "X1")));
  EXPECT_FALSE(InLexRange(nik, IndexMember("160601410190000", "X1")));
  // A value with '|' cannot pose as another value followed by an id.
  EXPECT_FALSE(InLexRange(ExactValueRange("a"), IndexMember("a|b", "X1")));
  EXPECT_TRUE(InLexRange(ExactValueRange("a|b"), IndexMember("a|b", "X1")));
}

TEST(LexIndexTest, ResumingExcludesThePosition) {
  LexRange range = RegionPrefixRange("16.06");
  std::string at = IndexMember(RegionIndexValue("16.06.01"), "X2");
  LexRange after = ResumeAfter(range, at);
  EXPECT_FALSE(InLexRange(after, at));
  EXPECT_TRUE(InLexRange(after, IndexMember(RegionIndexValue("16.06.01"), "X3")));
  EXPECT_FALSE(InLexRange(after, IndexMember(RegionIndexValue("16.06.01"), "X1")));
  EXPECT_EQ(after.max, range.max);
}

TEST(LexIndexTest, DigestsAreShortStableAndDistinct) {
  std::string a = DigestIndexValue("siti aminah|1990-01-31|16.06.01.2001");
  EXPECT_EQ(a.size(), 16u);
  EXPECT_EQ(a.find_first_of("|\\"), std::string::npos);
  EXPECT_EQ(a, DigestIndexValue("siti aminah|1990-01-31|16.06.01.2001"));
  EXPECT_NE(a, DigestIndexValue("siti aminah|1990-01-31|16.06.01.2002"));
  // With an id, a digest member fits a listpack entry (zset-max-listpack-value 64).
  EXPECT_LE(IndexMember(a, "01J0000000000000000000000A").size(), 64u);
}

}  // namespace
}  // namespace wahana
