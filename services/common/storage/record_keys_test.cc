#include "common/storage/record_keys.h"

#include <gtest/gtest.h>

namespace wahana {
namespace {

TEST(RecordKeysTest, TheSoleKindOfAServiceIsNamedAsTheServiceAndOwnsItsRequestIds) {
  RecordKeys keys = RecordKeys::SoleKind("case", "16.06");
  EXPECT_EQ(keys.Record("01J0000000000000000000000A"),
            "case:{16.06}:case:01J0000000000000000000000A");
  EXPECT_EQ(keys.Request("intake-7f3a"), "case:{16.06}:request:intake-7f3a");
  EXPECT_EQ(keys.Stream(), "case:{16.06}:stream");
  EXPECT_EQ(keys.kind(), "case");
  EXPECT_EQ(keys.region(), "16.06");
}

TEST(RecordKeysTest, KindsOfOneServiceShareItsStreamButNotTheirRequestIds) {
  RecordKeys workers("registry", "worker", "16.06");
  RecordKeys households("registry", "household", "16.06");
  EXPECT_EQ(workers.Record("W1"), "registry:{16.06}:worker:W1");
  EXPECT_EQ(workers.Request("r1"), "registry:{16.06}:request:worker:r1");
  EXPECT_NE(workers.Request("r1"), households.Request("r1"));
  EXPECT_EQ(workers.Stream(), households.Stream());
  EXPECT_EQ(workers.Stream(), "registry:{16.06}:stream");
}

TEST(RecordKeysTest, IndexesAreTheKindsOwnAndApartFromItsRecords) {
  RecordKeys keys("registry", "beneficiary", "16.06");
  EXPECT_EQ(keys.Index("live"), "registry:{16.06}:index:beneficiary:live");
  EXPECT_EQ(keys.Index("unique:nik"), "registry:{16.06}:index:beneficiary:unique:nik");
  EXPECT_EQ(keys.RecordPrefix(), "registry:{16.06}:beneficiary:");
  EXPECT_EQ(keys.Index("live").rfind(keys.RecordPrefix(), 0), std::string::npos);
}

TEST(RecordKeysTest, EveryKeyCarriesTheRegionAsItsHashTag) {
  RecordKeys keys("registry", "institution", "16");
  for (const std::string& key :
       {keys.Record("x"), keys.Request("y"), keys.Stream(), keys.Index("live")}) {
    EXPECT_NE(key.find(":{16}:"), std::string::npos) << key;
  }
}

}  // namespace
}  // namespace wahana
