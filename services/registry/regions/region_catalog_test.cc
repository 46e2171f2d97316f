#include "registry/regions/region_catalog.h"

#include <gtest/gtest.h>

#include <map>

namespace wahana::registry {
namespace {

using wahana::registry::v1::Region;

TEST(RegionCatalogTest, ShippedDataHasAllOfIndonesia) {
  auto catalog = LoadRegionCatalog(WAHANA_REGIONS_SOURCE_DIR);
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  std::map<int, int> per_level;
  std::map<std::string, const Region*> by_code;
  for (const Region& r : catalog->regions) {
    ++per_level[r.level()];
    by_code[r.code()] = &r;
  }
  // Counts from the data's README (Kepmendagri 300.2.2-2138/2025).
  EXPECT_EQ(per_level[wahana::registry::v1::PROVINCE], 38);
  EXPECT_EQ(per_level[wahana::registry::v1::REGENCY], 514);
  EXPECT_EQ(per_level[wahana::registry::v1::SUBDISTRICT], 7285);
  EXPECT_EQ(per_level[wahana::registry::v1::VILLAGE], 83762);
  ASSERT_TRUE(by_code.count("16.06"));
  EXPECT_EQ(by_code["16.06"]->name(), "Kabupaten Musi Banyuasin");
  EXPECT_EQ(by_code["16.06"]->parent_code(), "16");
  // RFC 4180 quoting survives: "Soka""an" is Soka"an.
  ASSERT_TRUE(by_code.count("35.13.15.2017"));
  EXPECT_EQ(by_code["35.13.15.2017"]->name(), "Soka\"an");
  EXPECT_EQ(catalog->version.size(), 64u);
}

TEST(RegionCatalogTest, MissingFolderIsNotFound) {
  auto catalog = LoadRegionCatalog("/nonexistent/idn-area");
  EXPECT_EQ(catalog.status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace wahana::registry
