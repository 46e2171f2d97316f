#include "gateway/tools/token_request.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"

namespace wahana {
namespace {

using Options = std::map<std::string, std::string>;

absl::StatusOr<TokenRequest> Parse(const Options& options,
                                   const std::vector<std::string>& positional = {}) {
  return ParseTokenRequest(options, positional, "16.06", "sari", 300);
}

// The error's message, which must name `flag`.
void ExpectRefused(const absl::StatusOr<TokenRequest>& request, absl::string_view flag) {
  ASSERT_FALSE(request.ok());
  EXPECT_EQ(request.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(request.status().message(), flag)) << request.status();
}

TEST(TokenRequestTest, DefaultsToTheDeploymentRegionTheUserAndTheLifetimeSetting) {
  absl::StatusOr<TokenRequest> request = Parse({{"role", "OPERATOR"}});
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->principal.role, Role::kOperator);
  EXPECT_EQ(request->principal.region_scope, "16.06");
  EXPECT_EQ(request->principal.subject, "cli:sari");
  EXPECT_EQ(request->principal.worker_id, "");
  EXPECT_EQ(request->lifetime_s, 300);
}

TEST(TokenRequestTest, TakesEveryOption) {
  absl::StatusOr<TokenRequest> request = Parse(
      {{"role", "ADMIN"}, {"scope", "16.06.01"}, {"subject", "ops:backup"}, {"lifetime", "60"}});
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->principal.role, Role::kAdmin);
  EXPECT_EQ(request->principal.region_scope, "16.06.01");
  EXPECT_EQ(request->principal.subject, "ops:backup");
  EXPECT_EQ(request->lifetime_s, 60);
}

TEST(TokenRequestTest, AcceptsAScopeHoldingTheRegionAsCreateDoes) {
  absl::StatusOr<TokenRequest> request = Parse({{"role", "PROVINCE_VIEWER"}, {"scope", "16"}});
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->principal.region_scope, "16");
}

TEST(TokenRequestTest, RefusesAMissingOrUnknownRole) {
  ExpectRefused(Parse({}), "--role");
  ExpectRefused(Parse({{"role", "operator"}}), "--role");
  ExpectRefused(Parse({{"role", ""}}), "--role");
}

TEST(TokenRequestTest, RefusesAMalformedScopeOrOneOutsideTheRegion) {
  ExpectRefused(Parse({{"role", "ADMIN"}, {"scope", "16.6"}}), "--scope");
  ExpectRefused(Parse({{"role", "ADMIN"}, {"scope", ""}}), "--scope");
  ExpectRefused(Parse({{"role", "ADMIN"}, {"scope", "16.07"}}), "--scope");
  ExpectRefused(Parse({{"role", "ADMIN"}, {"scope", "17"}}), "--scope");
}

TEST(TokenRequestTest, RefusesALifetimeOutOfRangeOrNotANumber) {
  ExpectRefused(Parse({{"role", "ADMIN"}, {"lifetime", "9"}}), "--lifetime");
  ExpectRefused(Parse({{"role", "ADMIN"}, {"lifetime", "86401"}}), "--lifetime");
  ExpectRefused(Parse({{"role", "ADMIN"}, {"lifetime", "5m"}}), "--lifetime");
  ExpectRefused(Parse({{"role", "ADMIN"}, {"lifetime", "-300"}}), "--lifetime");
  EXPECT_TRUE(Parse({{"role", "ADMIN"}, {"lifetime", "86400"}}).ok());
  EXPECT_TRUE(Parse({{"role", "ADMIN"}, {"lifetime", "10"}}).ok());
}

TEST(TokenRequestTest, RefusesAnEmptySubject) {
  ExpectRefused(Parse({{"role", "ADMIN"}, {"subject", ""}}), "--subject");
}

TEST(TokenRequestTest, RefusesUnknownOptionsAndStrayArguments) {
  ExpectRefused(Parse({{"role", "ADMIN"}, {"worker", "01JD"}}), "--worker");
  ExpectRefused(Parse({{"role", "ADMIN"}}, {"extra"}), "extra");
}

}  // namespace
}  // namespace wahana
