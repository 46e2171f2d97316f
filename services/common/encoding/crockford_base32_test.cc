#include "common/encoding/crockford_base32.h"

#include <gtest/gtest.h>

#include <string>

namespace wahana {
namespace {

TEST(CrockfordBase32Test, EncodesFiveBitsACharacterMostSignificantFirst) {
  EXPECT_EQ(CrockfordBase32Encode(""), "");
  EXPECT_EQ(CrockfordBase32Encode(std::string(1, '\xFF')), "ZW");  // 11111 111(00)
  EXPECT_EQ(CrockfordBase32Encode(std::string(5, '\0')), "00000000");
  EXPECT_EQ(CrockfordBase32Encode("\x08\x42\x10\x84\x21"), "11111111");
}

TEST(CrockfordBase32Test, EveryLengthRoundTrips) {
  std::string bytes;
  for (int n = 0; n < 40; ++n) {
    const std::string text = CrockfordBase32Encode(bytes);
    EXPECT_EQ(text.size(), (bytes.size() * 8 + 4) / 5);
    std::optional<std::string> decoded = CrockfordBase32Decode(text);
    ASSERT_TRUE(decoded.has_value()) << text;
    EXPECT_EQ(*decoded, bytes);
    bytes.push_back(static_cast<char>(n * 37 + 11));
  }
}

TEST(CrockfordBase32Test, DecodingIsStrict) {
  EXPECT_FALSE(CrockfordBase32Decode("zw").has_value());  // lower case: callers normalise
  EXPECT_FALSE(CrockfordBase32Decode("ZU").has_value());  // U is not a digit
  EXPECT_FALSE(CrockfordBase32Decode("OO").has_value());  // nor are I, L and O
  EXPECT_FALSE(CrockfordBase32Decode("Z").has_value());   // no byte count gives one digit
  EXPECT_FALSE(CrockfordBase32Decode("ZX").has_value());  // padding bits not zero
  EXPECT_TRUE(CrockfordBase32Decode("ZW").has_value());
}

}  // namespace
}  // namespace wahana
