// The registry's region store against a real Redis: the shipped data loads once, reads page
// through it, and a new data release replaces the old one whole.

#include <gtest/gtest.h>

#include "common/bus/envelope.h"
#include "registry/regions/redis_region_store.h"
#include "registry/regions/region_catalog.h"
#include "support/redis_server.h"

namespace wahana::registry {
namespace {

using wahana::registry::v1::Region;

Region MakeRegion(const std::string& code, const std::string& parent, const std::string& name) {
  Region r;
  r.set_code(code);
  r.set_parent_code(parent);
  r.set_name(name);
  return r;
}

TEST(RegionStoreRedisTest, ShippedDataLoadsOnceAndServesMusiBanyuasin) {
  wahana::testing::RedisServer server;
  auto redis = server.Client();
  RedisRegionStore store(*redis);
  auto catalog = LoadRegionCatalog(WAHANA_REGIONS_SOURCE_DIR);
  ASSERT_TRUE(catalog.ok()) << catalog.status();

  auto loaded = store.LoadIfNewer(*catalog, "16.06");
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_TRUE(*loaded);
  auto again = store.LoadIfNewer(*catalog, "16.06");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again) << "the same data version must not load twice";

  // One RegionsLoaded message per real load.
  auto length = redis->Command({"XLEN", RedisRegionStore::kStreamKey});
  ASSERT_TRUE(length.ok());
  EXPECT_EQ(length->integer, 1);
  auto entries = redis->Command({"XRANGE", RedisRegionStore::kStreamKey, "-", "+"});
  ASSERT_TRUE(entries.ok());
  std::vector<std::string> fields;
  for (const auto& f : entries->elements[0].elements[1].elements) fields.push_back(f.str);
  auto envelope = ParseEntryFields(fields);
  ASSERT_TRUE(envelope.ok());
  EXPECT_EQ(envelope->type(), "wahana.registry.v1.RegionsLoaded");
  EXPECT_EQ(envelope->origin_region(), "16.06");

  auto musi = store.Get("16.06");
  ASSERT_TRUE(musi.ok());
  EXPECT_EQ(musi->name(), "Kabupaten Musi Banyuasin");
  EXPECT_EQ(store.Get("16.99").status().code(), absl::StatusCode::kNotFound);

  auto page = store.ListChildren("16.06", "", 500);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 15);
  EXPECT_EQ(page->regions.size(), 15u);
  EXPECT_FALSE(page->more);
  int villages = 0;
  for (const Region& kecamatan : page->regions) {
    auto children = store.ListChildren(kecamatan.code(), "", 500);
    ASSERT_TRUE(children.ok());
    villages += children->total;
  }
  EXPECT_EQ(villages, 242);  // Musi Banyuasin: 229 desa + 13 kelurahan

  auto provinces = store.ListChildren("", "", 500);
  ASSERT_TRUE(provinces.ok());
  EXPECT_EQ(provinces->total, 38);
  EXPECT_EQ(store.ListChildren("16.99", "", 10).status().code(), absl::StatusCode::kNotFound);
}

TEST(RegionStoreRedisTest, NewReleaseReplacesTheOldOneWhole) {
  wahana::testing::RedisServer server;
  auto redis = server.Client();
  RedisRegionStore store(*redis);
  RegionCatalog v1;
  v1.version = "v1";
  v1.regions = {MakeRegion("16", "", "Sumatera Selatan"), MakeRegion("16.06", "16", "Musi"),
                MakeRegion("16.06.01", "16.06", "Sekayu"), MakeRegion("16.06.02", "16.06", "Lais")};
  ASSERT_TRUE(store.LoadIfNewer(v1, "16.06").ok());
  RegionCatalog v2;
  v2.version = "v2";  // 16.06.02 gone, 16.06.03 new, a name changed
  v2.regions = {MakeRegion("16", "", "Sumatera Selatan"),
                MakeRegion("16.06", "16", "Kabupaten Musi Banyuasin"),
                MakeRegion("16.06.01", "16.06", "Sekayu"),
                MakeRegion("16.06.03", "16.06", "Babat Toman")};
  auto loaded = store.LoadIfNewer(v2, "16.06");
  ASSERT_TRUE(loaded.ok() && *loaded);
  EXPECT_EQ(store.Get("16.06.02").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store.Get("16.06")->name(), "Kabupaten Musi Banyuasin");
  auto page = store.ListChildren("16.06", "", 10);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->regions.size(), 2u);
  EXPECT_EQ(page->regions[0].code(), "16.06.01");
  EXPECT_EQ(page->regions[1].code(), "16.06.03");
}

TEST(RegionStoreRedisTest, PagesFollowTheLastCode) {
  wahana::testing::RedisServer server;
  auto redis = server.Client();
  RedisRegionStore store(*redis);
  RegionCatalog catalog;
  catalog.version = "pages";
  catalog.regions = {MakeRegion("16", "", "S")};
  for (int i = 1; i <= 9; ++i) {
    catalog.regions.push_back(
        MakeRegion("16.0" + std::to_string(i), "16", "R" + std::to_string(i)));
  }
  ASSERT_TRUE(store.LoadIfNewer(catalog, "16").ok());
  auto first = store.ListChildren("16", "", 4);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->more);
  EXPECT_EQ(first->regions.back().code(), "16.04");
  auto last = store.ListChildren("16", "16.08", 4);
  ASSERT_TRUE(last.ok());
  ASSERT_EQ(last->regions.size(), 1u);
  EXPECT_EQ(last->regions[0].code(), "16.09");
  EXPECT_FALSE(last->more);
  EXPECT_EQ(last->total, 9);
}

}  // namespace
}  // namespace wahana::registry
