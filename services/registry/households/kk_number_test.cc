#include "registry/households/kk_number.h"

#include <gtest/gtest.h>

#include <set>

namespace wahana::registry {
namespace {

class KnownRegions : public RegionStore {
 public:
  std::set<std::string> codes{"16", "16.06", "16.06.01"};
  absl::StatusOr<wahana::registry::v1::Region> Get(const std::string& code) override {
    if (!codes.count(code)) return absl::NotFoundError(code);
    return wahana::registry::v1::Region();
  }
  absl::StatusOr<Page> ListChildren(const std::string&, const std::string&, int) override {
    return Page();
  }
  absl::StatusOr<bool> LoadIfNewer(const RegionCatalog&, const std::string&) override {
    return false;
  }
};

TEST(KkNumberTest, SixteenDigitsAndNothingElse) {
  EXPECT_TRUE(CheckKkNumber("1606010101200001").ok());
  EXPECT_EQ(CheckKkNumber("16060101012000011").message(),
            "kkNumber: must be 16 digits (got 17 characters)");
  EXPECT_EQ(CheckKkNumber("1606 10101200001").message(),
            "kkNumber: must be 16 digits, nothing else");
  EXPECT_EQ(CheckKkNumber("16060101012000１", "guardian.kkNumber").code(),
            absl::StatusCode::kInvalidArgument);  // a full-width digit is more than one byte
}

TEST(KkNumberTest, AnUnknownKecamatanIsAFinding) {
  KnownRegions store;
  RegionRules rules(store, "16.06");
  auto known = KkNumberFinding("1606010101200001", rules);
  ASSERT_TRUE(known.ok());
  EXPECT_FALSE(known->has_value());
  auto unknown = KkNumberFinding("1606990101200001", rules);
  ASSERT_TRUE(unknown.ok());
  ASSERT_TRUE(unknown->has_value());
  EXPECT_EQ((*unknown)->code(), "KK_SUBDISTRICT_UNKNOWN");
  EXPECT_EQ((*unknown)->field(), "kkNumber");
  EXPECT_EQ((*unknown)->message(),
            "kecamatan 160699 (first 6 digits) is not in today's region list");
}

}  // namespace
}  // namespace wahana::registry
