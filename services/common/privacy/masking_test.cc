#include "common/privacy/masking.h"

#include <gtest/gtest.h>

namespace wahana {
namespace {

TEST(MaskingTest, KeepsRegencyAndSerial) {
  EXPECT_EQ(MaskIdentityNumber("1606012345670001"), "1606********0001");
  EXPECT_EQ(MaskIdentityNumber(""), "");
  EXPECT_EQ(MaskIdentityNumber("12345678"), "********");
  EXPECT_EQ(MaskIdentityNumber("123456789"), "1234*6789");
}

}  // namespace
}  // namespace wahana
