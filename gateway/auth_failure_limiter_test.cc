#include "gateway/auth_failure_limiter.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace wahana {
namespace {

using std::chrono::milliseconds;

class AuthFailureLimiterTest : public ::testing::Test {
 protected:
  AuthFailureLimiter Make(int64_t per_minute, size_t max_addresses = 100) {
    return AuthFailureLimiter({per_minute, max_addresses}, [this] { return now_; });
  }
  void Advance(milliseconds d) { now_ += d; }

  std::chrono::steady_clock::time_point now_{std::chrono::seconds(1000)};
};

TEST_F(AuthFailureLimiterTest, NFailuresAMinuteThenRefusedWithTheWait) {
  AuthFailureLimiter limiter = Make(30);
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(limiter.Failed("10.0.0.7").allowed) << i;
  RateLimiter::Decision refused = limiter.Failed("10.0.0.7");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, milliseconds(2000));  // one failure back every 2 s
  Advance(milliseconds(2000));
  EXPECT_TRUE(limiter.Failed("10.0.0.7").allowed);
  EXPECT_FALSE(limiter.Failed("10.0.0.7").allowed);
  // Another address has its own failures.
  EXPECT_TRUE(limiter.Failed("10.0.0.8").allowed);
}

TEST_F(AuthFailureLimiterTest, PrincipalsKnownToTheAddressKeepWorking) {
  AuthFailureLimiter limiter = Make(2);
  ASSERT_TRUE(limiter.Succeeded("10.0.0.7", "apikey:operator").allowed);
  ASSERT_TRUE(limiter.Failed("10.0.0.7").allowed);
  ASSERT_TRUE(limiter.Failed("10.0.0.7").allowed);
  ASSERT_FALSE(limiter.Failed("10.0.0.7").allowed);

  EXPECT_TRUE(limiter.Succeeded("10.0.0.7", "apikey:operator").allowed);
  // A principal new to the address is refused as a failure is: a guess that happens to be right
  // looks like any other.
  RateLimiter::Decision guessed = limiter.Succeeded("10.0.0.7", "apikey:admin");
  EXPECT_FALSE(guessed.allowed);
  EXPECT_EQ(guessed.retry_after, limiter.Failed("10.0.0.7").retry_after);
  // From its own address, or once the address has a failure left, it works.
  EXPECT_TRUE(limiter.Succeeded("10.0.0.9", "apikey:admin").allowed);
  Advance(std::chrono::seconds(30));
  EXPECT_TRUE(limiter.Succeeded("10.0.0.7", "apikey:admin").allowed);
}

TEST_F(AuthFailureLimiterTest, ZeroDisables) {
  AuthFailureLimiter limiter = Make(0);
  EXPECT_FALSE(limiter.enabled());
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(limiter.Failed("10.0.0.7").allowed);
  EXPECT_TRUE(limiter.Succeeded("10.0.0.7", "apikey:admin").allowed);
  EXPECT_EQ(limiter.remembered(), 0u);
}

TEST_F(AuthFailureLimiterTest, MemoryIsBounded) {
  AuthFailureLimiter limiter = Make(5, /*max_addresses=*/3);
  for (int i = 0; i < 100; ++i) {
    const std::string address = "10.0.1." + std::to_string(i);
    limiter.Failed(address).allowed;
    ASSERT_TRUE(limiter.Succeeded(address, "apikey:" + std::to_string(i)).allowed);
  }
  EXPECT_LE(limiter.remembered(), 3u);
}

}  // namespace
}  // namespace wahana
