#include "gateway/rate_limiter.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace wahana {
namespace {

using std::chrono::milliseconds;

class RateLimiterTest : public ::testing::Test {
 protected:
  RateLimiter Make(int64_t per_second, int64_t burst, size_t max_keys = 100) {
    return RateLimiter({per_second, burst, max_keys}, [this] { return now_; });
  }
  void Advance(milliseconds d) { now_ += d; }

  std::chrono::steady_clock::time_point now_{std::chrono::seconds(1000)};
};

TEST_F(RateLimiterTest, AllowsTheBurstThenRefusesWithTheWaitForOneToken) {
  RateLimiter limiter = Make(2, 3);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Acquire("alice").allowed) << i;
  RateLimiter::Decision refused = limiter.Acquire("alice");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, milliseconds(500));  // 2 tokens a second
  EXPECT_EQ(RetryAfterSeconds(refused.retry_after), 1);
}

TEST_F(RateLimiterTest, RefillsWithTimeButNeverBeyondTheBurst) {
  RateLimiter limiter = Make(10, 2);
  EXPECT_TRUE(limiter.Acquire("k").allowed);
  EXPECT_TRUE(limiter.Acquire("k").allowed);
  EXPECT_FALSE(limiter.Acquire("k").allowed);
  Advance(milliseconds(100));  // one token
  EXPECT_TRUE(limiter.Acquire("k").allowed);
  EXPECT_FALSE(limiter.Acquire("k").allowed);
  Advance(std::chrono::hours(1));  // capped at the burst
  EXPECT_TRUE(limiter.Acquire("k").allowed);
  EXPECT_TRUE(limiter.Acquire("k").allowed);
  EXPECT_FALSE(limiter.Acquire("k").allowed);
}

TEST_F(RateLimiterTest, KeysHaveTheirOwnBuckets) {
  RateLimiter limiter = Make(1, 1);
  EXPECT_TRUE(limiter.Acquire("alice").allowed);
  EXPECT_FALSE(limiter.Acquire("alice").allowed);
  EXPECT_TRUE(limiter.Acquire("bob").allowed);
}

TEST_F(RateLimiterTest, RetryAfterRoundsUpToWholeSeconds) {
  RateLimiter limiter = Make(1, 1);
  EXPECT_TRUE(limiter.Acquire("k").allowed);
  Advance(milliseconds(100));
  RateLimiter::Decision refused = limiter.Acquire("k");
  EXPECT_EQ(refused.retry_after, milliseconds(900));
  EXPECT_EQ(RetryAfterSeconds(refused.retry_after), 1);
  EXPECT_EQ(RetryAfterSeconds(milliseconds(1001)), 2);
  EXPECT_EQ(RetryAfterSeconds(milliseconds(0)), 1);
}

TEST_F(RateLimiterTest, MemoryIsBoundedByMaxKeys) {
  RateLimiter limiter = Make(1, 1, /*max_keys=*/3);
  for (int i = 0; i < 100; ++i) limiter.Acquire("client-" + std::to_string(i));
  EXPECT_LE(limiter.size(), 3u);
}

TEST_F(RateLimiterTest, RefilledBucketsAreDropped) {
  RateLimiter limiter = Make(10, 5);
  for (int i = 0; i < 10; ++i) limiter.Acquire("idle-" + std::to_string(i));
  EXPECT_EQ(limiter.size(), 10u);
  Advance(std::chrono::seconds(1));  // every bucket is full again
  for (int i = 0; i < 10; ++i) limiter.Acquire("active");
  EXPECT_LE(limiter.size(), 1u);
}

TEST_F(RateLimiterTest, APeriodOfAMinuteRefillsPerMinute) {
  RateLimiter limiter({30, 30, 100, std::chrono::seconds(60)}, [this] { return now_; });
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(limiter.Acquire("10.0.0.7").allowed) << i;
  RateLimiter::Decision refused = limiter.Acquire("10.0.0.7");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, milliseconds(2000));  // 30 a minute: one every 2 s
  Advance(milliseconds(2000));
  EXPECT_TRUE(limiter.Acquire("10.0.0.7").allowed);
  EXPECT_FALSE(limiter.Acquire("10.0.0.7").allowed);
}

TEST_F(RateLimiterTest, CheckAnswersAsAcquireWouldWithoutTakingAToken) {
  RateLimiter limiter = Make(1, 2);
  EXPECT_TRUE(limiter.Check("k").allowed);
  EXPECT_EQ(limiter.size(), 0u) << "a check keeps no bucket";
  EXPECT_TRUE(limiter.Acquire("k").allowed);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(limiter.Check("k").allowed);
  EXPECT_TRUE(limiter.Acquire("k").allowed);
  RateLimiter::Decision checked = limiter.Check("k");
  EXPECT_FALSE(checked.allowed);
  EXPECT_EQ(checked.retry_after, milliseconds(1000));
  Advance(milliseconds(1000));
  EXPECT_TRUE(limiter.Check("k").allowed);
  EXPECT_TRUE(limiter.Acquire("k").allowed);
  EXPECT_FALSE(limiter.Check("k").allowed);
}

TEST_F(RateLimiterTest, ZeroRateDisables) {
  RateLimiter limiter = Make(0, 1);
  EXPECT_FALSE(limiter.enabled());
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(limiter.Acquire("k").allowed);
  EXPECT_EQ(limiter.size(), 0u);
}

}  // namespace
}  // namespace wahana
