#include "common/storage/page_token.h"

#include <gtest/gtest.h>

namespace wahana {
namespace {

TEST(PageTokenTest, PageSizesDefaultAndAreBounded) {
  EXPECT_EQ(*ResolvePageSize(0), kDefaultPageSize);
  EXPECT_EQ(*ResolvePageSize(1), 1);
  EXPECT_EQ(*ResolvePageSize(500), 500);
  absl::StatusOr<int> big = ResolvePageSize(501);
  EXPECT_EQ(big.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(big.status().message(), "pageSize: at most 500");
  EXPECT_EQ(ResolvePageSize(-1).status().message(), "pageSize: must not be negative");
}

TEST(PageTokenTest, ATokenCarriesItsPositionForItsQueryOnly) {
  std::string token = EncodePageToken("beneficiary\n16.06\n\nlive\n", "16.06.01.2001.|X1");
  EXPECT_EQ(
      token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos)
      << "URL-safe: " << token;
  absl::StatusOr<std::string> position = DecodePageToken(token, "beneficiary\n16.06\n\nlive\n");
  ASSERT_TRUE(position.ok()) << position.status();
  EXPECT_EQ(*position, "16.06.01.2001.|X1");

  absl::StatusOr<std::string> other = DecodePageToken(token, "beneficiary\n16.06.01\n\nlive\n");
  EXPECT_EQ(other.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(other.status().message(),
            "pageToken: belongs to another query (keep the filters of the first page)");
}

TEST(PageTokenTest, GarbageIsInvalidArgument) {
  for (const char* garbage : {"", "!!!", "bm9wZQ", "MTpub3BlCg"}) {
    absl::StatusOr<std::string> position = DecodePageToken(garbage, "q");
    EXPECT_EQ(position.status().code(), absl::StatusCode::kInvalidArgument) << garbage;
    EXPECT_EQ(position.status().message(), "pageToken: not a page token of this list") << garbage;
  }
}

}  // namespace
}  // namespace wahana
