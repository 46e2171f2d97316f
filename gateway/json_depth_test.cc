#include "gateway/json_depth.h"

#include <gtest/gtest.h>

#include <string>

namespace wahana {
namespace {

std::string Nested(int levels) { return std::string(levels, '[') + std::string(levels, ']'); }

TEST(JsonDepthTest, AcceptsBodiesAtTheLimit) {
  EXPECT_TRUE(CheckJsonDepth("", 3).ok());
  EXPECT_TRUE(CheckJsonDepth(R"({"a":1})", 1).ok());
  EXPECT_TRUE(CheckJsonDepth(Nested(32), 32).ok());
  EXPECT_TRUE(CheckJsonDepth(R"({"a":{"b":[1,2]},"c":{"d":[]}})", 3).ok());
}

TEST(JsonDepthTest, RefusesOneLevelMoreAndNamesTheLimit) {
  absl::Status status = CheckJsonDepth(Nested(33), 32);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("32"), absl::string_view::npos) << status.message();
  EXPECT_EQ(CheckJsonDepth(R"({"a":{"b":[1]}})", 2).code(), absl::StatusCode::kInvalidArgument);
}

TEST(JsonDepthTest, BracketsInsideStringsDoNotCount) {
  EXPECT_TRUE(CheckJsonDepth(R"({"a":"[[[[{{{{"})", 1).ok());
  // An escaped quote does not end the string.
  EXPECT_TRUE(CheckJsonDepth(R"({"a":"\"[[[[\\"})", 1).ok());
  EXPECT_FALSE(CheckJsonDepth(R"({"a":"\\",[[[]]]})", 3).ok());
}

TEST(JsonDepthTest, UnbalancedClosersDoNotHideNesting) {
  EXPECT_FALSE(CheckJsonDepth("]]]]" + Nested(4), 3).ok());
}

TEST(JsonDepthTest, ZeroDisables) { EXPECT_TRUE(CheckJsonDepth(Nested(1000), 0).ok()); }

}  // namespace
}  // namespace wahana
