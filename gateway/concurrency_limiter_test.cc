#include "gateway/concurrency_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace wahana {
namespace {

TEST(ConcurrencyLimiterTest, ShedsBeyondTheCapAndAdmitsAgainAfterARelease) {
  ConcurrencyLimiter limiter(2);
  EXPECT_TRUE(limiter.TryAcquire());
  EXPECT_TRUE(limiter.TryAcquire());
  EXPECT_FALSE(limiter.TryAcquire());
  EXPECT_EQ(limiter.in_flight(), 2);  // a refusal counts nothing
  limiter.Release();
  EXPECT_TRUE(limiter.TryAcquire());
  EXPECT_FALSE(limiter.TryAcquire());
}

TEST(ConcurrencyLimiterTest, ZeroMeansNoCap) {
  ConcurrencyLimiter limiter(0);
  for (int i = 0; i < 10000; ++i) ASSERT_TRUE(limiter.TryAcquire());
  EXPECT_EQ(limiter.in_flight(), 10000);
}

TEST(ConcurrencyLimiterTest, NeverAdmitsMoreThanTheCapAcrossThreads) {
  ConcurrencyLimiter limiter(3);
  std::atomic<int> inside{0};
  std::atomic<int> most{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        if (!limiter.TryAcquire()) continue;
        int n = ++inside;
        int seen = most.load();
        while (n > seen && !most.compare_exchange_weak(seen, n)) {
        }
        --inside;
        limiter.Release();
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_LE(most.load(), 3);
  EXPECT_EQ(limiter.in_flight(), 0);
}

}  // namespace
}  // namespace wahana
