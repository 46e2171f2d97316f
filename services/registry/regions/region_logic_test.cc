#include "registry/regions/region_logic.h"

#include <gtest/gtest.h>

#include <map>

namespace wahana::registry {
namespace {

using wahana::registry::v1::ListRegionsRequest;
using wahana::registry::v1::ListRegionsResponse;
using wahana::registry::v1::Region;

// An in-memory store with the same contract as the Redis one.
class FakeRegionStore : public RegionStore {
 public:
  void Add(const std::string& code, const std::string& parent, const std::string& name) {
    Region r;
    r.set_code(code);
    r.set_parent_code(parent);
    r.set_name(name);
    regions_[code] = r;
  }
  absl::StatusOr<Region> Get(const std::string& code) override {
    auto it = regions_.find(code);
    if (it == regions_.end()) return absl::NotFoundError("region " + code + " not found");
    return it->second;
  }
  absl::StatusOr<Page> ListChildren(const std::string& parent, const std::string& after,
                                    int limit) override {
    if (!parent.empty() && !regions_.count(parent)) return absl::NotFoundError("no parent");
    Page page;
    for (const auto& [code, r] : regions_) {
      if (r.parent_code() != parent) continue;
      ++page.total;
      if (code <= after) continue;
      if (static_cast<int>(page.regions.size()) == limit) {
        page.more = true;
        continue;
      }
      page.regions.push_back(r);
    }
    return page;
  }
  absl::StatusOr<bool> LoadIfNewer(const RegionCatalog&, const std::string&) override {
    return false;
  }

 private:
  std::map<std::string, Region> regions_;
};

class RegionLogicTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_.Add("16", "", "Sumatera Selatan");
    store_.Add("16.06", "16", "Kabupaten Musi Banyuasin");
    for (int i = 1; i <= 5; ++i)
      store_.Add("16.06.0" + std::to_string(i), "16.06", "K" + std::to_string(i));
  }
  FakeRegionStore store_;
  RegionLogic logic_{store_};
};

TEST_F(RegionLogicTest, PagesWalkAllChildrenOnce) {
  ListRegionsRequest request;
  request.set_parent("16.06");
  request.set_page_size(2);
  std::vector<std::string> seen;
  for (int pages = 0; pages < 10; ++pages) {
    ListRegionsResponse response;
    ASSERT_TRUE(logic_.ListRegions(request, &response).ok());
    EXPECT_EQ(response.total_size(), 5);
    for (const auto& r : response.regions()) seen.push_back(r.code());
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  EXPECT_EQ(seen,
            (std::vector<std::string>{"16.06.01", "16.06.02", "16.06.03", "16.06.04", "16.06.05"}));
}

TEST_F(RegionLogicTest, BadInputsNameTheField) {
  wahana::registry::v1::GetRegionRequest get;
  get.set_code("16-06");
  Region region;
  absl::Status s = logic_.GetRegion(get, &region);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message().substr(0, 4), "code");

  get.set_code("16.07");
  EXPECT_EQ(logic_.GetRegion(get, &region).code(), absl::StatusCode::kNotFound);

  ListRegionsRequest list;
  ListRegionsResponse response;
  list.set_parent("16.06");
  list.set_page_size(-1);
  s = logic_.ListRegions(list, &response);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message().substr(0, 8), "pageSize");

  list.set_page_size(1);
  list.set_page_token("garbage!");
  s = logic_.ListRegions(list, &response);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message().substr(0, 9), "pageToken");
}

TEST_F(RegionLogicTest, TokenFromAnotherParentIsRefused) {
  ListRegionsRequest request;
  request.set_parent("16.06");
  request.set_page_size(1);
  ListRegionsResponse response;
  ASSERT_TRUE(logic_.ListRegions(request, &response).ok());
  ASSERT_FALSE(response.next_page_token().empty());
  ListRegionsRequest other;
  other.set_parent("16");
  other.set_page_token(response.next_page_token());
  EXPECT_EQ(logic_.ListRegions(other, &response).code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(RegionLogicTest, EmptyParentListsProvincesAndLargePagesAreCut) {
  ListRegionsRequest request;
  request.set_page_size(100000);
  ListRegionsResponse response;
  ASSERT_TRUE(logic_.ListRegions(request, &response).ok());
  ASSERT_EQ(response.regions_size(), 1);
  EXPECT_EQ(response.regions(0).code(), "16");
}

}  // namespace
}  // namespace wahana::registry
