#include "registry/beneficiaries/cached_region_store.h"

#include <gtest/gtest.h>

#include "registry/beneficiaries/test_regions.h"

namespace wahana::registry {
namespace {

TEST(CachedRegionStoreTest, RemembersRegionsAndUnknownCodesUntilTheyExpire) {
  testing::FakeRegionStore base;
  absl::Time now = absl::FromUnixSeconds(1000);
  CachedRegionStore cache(base, absl::Minutes(1), 100, [&now] { return now; });
  EXPECT_TRUE(cache.Get("16.06").ok());
  EXPECT_TRUE(cache.Get("16.06").ok());
  EXPECT_TRUE(absl::IsNotFound(cache.Get("99").status()));
  EXPECT_TRUE(absl::IsNotFound(cache.Get("99").status()));
  EXPECT_EQ(base.reads, 2);
  now += absl::Seconds(61);
  EXPECT_TRUE(cache.Get("16.06").ok());
  EXPECT_EQ(base.reads, 3);
}

TEST(CachedRegionStoreTest, ErrorsAreNotRemembered) {
  testing::FakeRegionStore base;
  CachedRegionStore cache(base, absl::Minutes(1));
  base.down = absl::UnavailableError("redis down");
  EXPECT_TRUE(absl::IsUnavailable(cache.Get("16.06").status()));
  base.down = absl::OkStatus();
  EXPECT_TRUE(cache.Get("16.06").ok());
  EXPECT_EQ(base.reads, 2);
}

TEST(CachedRegionStoreTest, StaysWithinItsSize) {
  testing::FakeRegionStore base;
  CachedRegionStore cache(base, absl::Minutes(1), 4);
  for (const char* code : {"1", "2", "3", "4", "5", "6"}) {
    EXPECT_TRUE(absl::IsNotFound(cache.Get(code).status()));
  }
  EXPECT_TRUE(absl::IsNotFound(cache.Get("6").status()));
  EXPECT_EQ(base.reads, 6);  // the last one is still remembered
}

}  // namespace
}  // namespace wahana::registry
