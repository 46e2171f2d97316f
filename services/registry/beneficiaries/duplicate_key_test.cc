#include "registry/beneficiaries/duplicate_key.h"

#include <gtest/gtest.h>

namespace wahana::registry {
namespace {

TEST(NormaliseNameTest, CaseSpacesAndPunctuationDoNotMatter) {
  EXPECT_EQ(NormaliseNameForMatching("  Siti   NUR'AINI. "), "siti nuraini");
  EXPECT_EQ(NormaliseNameForMatching("siti nuraini"), "siti nuraini");
  EXPECT_EQ(NormaliseNameForMatching("Siti Nur\xE2\x80\x99"
                                     "aini"),
            "siti nuraini");  // U+2019
  EXPECT_EQ(NormaliseNameForMatching("Abdul-Rahman"), "abdul rahman");
  EXPECT_EQ(NormaliseNameForMatching("H. Ahmad, S.Pd"), "h ahmad spd");
  EXPECT_EQ(NormaliseNameForMatching("\tAhmad\n"), "ahmad");
  EXPECT_EQ(NormaliseNameForMatching("'.,-"), "");
}

TEST(NormaliseNameTest, OtherBytesAreKept) {
  // Diacritics and Arabic script stay as they are (no Unicode case folding).
  EXPECT_EQ(NormaliseNameForMatching("Sîti Aminah"), "sîti aminah");
  EXPECT_EQ(NormaliseNameForMatching("عبد الله"), "عبد الله");
  EXPECT_NE(NormaliseNameForMatching("Sîti"), NormaliseNameForMatching("Siti"));
}

TEST(DuplicateKeyTest, SameNormalisedNameBirthDateAndVillage) {
  std::string key = DuplicateKey("Siti Nur'aini", "1990-01-31", "16.06.01.2001");
  EXPECT_EQ(key.size(), 16u);
  EXPECT_EQ(key, DuplicateKey("SITI  NURAINI", "1990-01-31", "16.06.01.2001"));
  EXPECT_NE(key, DuplicateKey("Siti Nur'aini", "1990-01-30", "16.06.01.2001"));
  EXPECT_NE(key, DuplicateKey("Siti Nur'aini", "1990-01-31", "16.06.01.2002"));
  EXPECT_NE(key, DuplicateKey("Siti Aminah", "1990-01-31", "16.06.01.2001"));
}

TEST(DuplicateKeyTest, NothingToMatchOnGivesNoKey) {
  EXPECT_EQ(DuplicateKey("", "1990-01-31", "16.06.01.2001"), "");
  EXPECT_EQ(DuplicateKey("...", "1990-01-31", "16.06.01.2001"), "");
  EXPECT_EQ(DuplicateKey("Siti", "", "16.06.01.2001"), "");
  EXPECT_EQ(DuplicateKey("Siti", "1990-01-31", ""), "");
}

}  // namespace
}  // namespace wahana::registry
