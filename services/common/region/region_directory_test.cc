#include "common/region/region_directory.h"

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <memory>

#include "absl/synchronization/notification.h"

namespace wahana {
namespace {

namespace registry_pb = wahana::registry::v1;

// A registry that knows two regions and counts the calls it gets; `hang` makes it block until the
// test releases it (to show the caller's deadline).
class FakeRegistry final : public registry_pb::RegistryService::Service {
 public:
  grpc::Status GetRegion(grpc::ServerContext* context, const registry_pb::GetRegionRequest* request,
                         registry_pb::Region* response) override {
    ++calls;
    if (hang) {
      release.WaitForNotification();
      return grpc::Status(grpc::StatusCode::CANCELLED, "released");
    }
    if (request->code() == "16.06.01.2001") {
      response->set_code(request->code());
      response->set_name("Bailangu");
      response->set_level(registry_pb::VILLAGE);
      response->set_parent_code("16.06.01");
      return grpc::Status::OK;
    }
    if (request->code() == "16.06") {
      response->set_code(request->code());
      response->set_name("Musi Banyuasin");
      response->set_level(registry_pb::REGENCY);
      response->set_parent_code("16");
      return grpc::Status::OK;
    }
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "no such region");
  }

  std::atomic<int> calls{0};
  std::atomic<bool> hang{false};
  absl::Notification release;
};

class RegionDirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&registry_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_NE(port_, 0);
  }
  void TearDown() override {
    if (!registry_.release.HasBeenNotified()) registry_.release.Notify();
    server_->Shutdown(std::chrono::system_clock::now());
  }
  std::string Address() const { return "127.0.0.1:" + std::to_string(port_); }

  FakeRegistry registry_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

TEST_F(RegionDirectoryTest, KnownRegionIsAnsweredAndCached) {
  GrpcRegionDirectory directory(Address());
  auto first = directory.GetRegion("16.06.01.2001", "villageCode");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->level, RegionLevelKind::kVillage);
  EXPECT_EQ(first->name, "Bailangu");
  EXPECT_EQ(first->parent_code, "16.06.01");
  auto second = directory.GetRegion("16.06.01.2001", "villageCode");
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->name, "Bailangu");
  EXPECT_EQ(registry_.calls.load(), 1) << "a positive answer is cached";
}

TEST_F(RegionDirectoryTest, UnknownRegionIsNotFoundNamingTheFieldAndNotCached) {
  GrpcRegionDirectory directory(Address());
  for (int i = 0; i < 2; ++i) {
    auto region = directory.GetRegion("16.06.01.2999", "villageCode");
    EXPECT_EQ(region.status().code(), absl::StatusCode::kNotFound);
    EXPECT_NE(region.status().message().find("villageCode"), absl::string_view::npos)
        << region.status();
  }
  EXPECT_EQ(registry_.calls.load(), 2);
}

TEST_F(RegionDirectoryTest, MalformedCodeIsInvalidWithoutACall) {
  GrpcRegionDirectory directory(Address());
  auto region = directory.GetRegion("16.6", "regionCode");
  EXPECT_EQ(region.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(region.status().message().rfind("regionCode:", 0), 0u) << region.status();
  EXPECT_EQ(registry_.calls.load(), 0);
}

TEST_F(RegionDirectoryTest, SlowRegistryIsUnavailableAfterTheDeadline) {
  registry_.hang = true;
  GrpcRegionDirectory directory(Address(), std::chrono::milliseconds(200));
  auto start = std::chrono::steady_clock::now();
  auto region = directory.GetRegion("16.06", "regionCode");
  EXPECT_EQ(region.status().code(), absl::StatusCode::kUnavailable) << region.status();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(RegionDirectoryDownTest, RegistryDownIsUnavailable) {
  GrpcRegionDirectory directory("127.0.0.1:1", std::chrono::milliseconds(2000));
  auto region = directory.GetRegion("16.06", "regionCode");
  EXPECT_EQ(region.status().code(), absl::StatusCode::kUnavailable) << region.status();
  EXPECT_NE(region.status().message().find("regionCode"), absl::string_view::npos);
}

class RequireRegionTest : public ::testing::Test {
 protected:
  RequireRegionTest() {
    directory_.Add("16.06").Add("16.06.01").Add("16.06.01.2001").Add("17.01.01.2001");
  }
  StaticRegionDirectory directory_;
};

TEST_F(RequireRegionTest, AcceptsAKnownRegionAtAnAllowedLevelInScope) {
  auto region = RequireRegion(directory_, "16.06.01.2001", "villageCode", "16.06",
                              {RegionLevelKind::kVillage});
  ASSERT_TRUE(region.ok()) << region.status();
  EXPECT_EQ(region->parent_code, "16.06.01");
}

TEST_F(RequireRegionTest, RefusesWithInvalidArgumentNamingTheField) {
  struct Case {
    const char* code;
    const char* why;
  };
  for (const Case& c :
       {Case{"16.06.01", "wrong level"}, Case{"17.01.01.2001", "out of scope"},
        Case{"16.06.01.2999", "unknown"}, Case{"16-06", "malformed"}, Case{"", "empty"}}) {
    auto region =
        RequireRegion(directory_, c.code, "villageCode", "16.06", {RegionLevelKind::kVillage});
    EXPECT_EQ(region.status().code(), absl::StatusCode::kInvalidArgument) << c.why;
    EXPECT_EQ(region.status().message().rfind("villageCode:", 0), 0u)
        << c.why << ": " << region.status();
  }
}

TEST_F(RequireRegionTest, SeveralLevelsMayBeAllowed) {
  for (const char* code : {"16.06", "16.06.01", "16.06.01.2001"}) {
    auto region = RequireRegion(
        directory_, code, "regionCode", "16.06",
        {RegionLevelKind::kVillage, RegionLevelKind::kSubdistrict, RegionLevelKind::kRegency});
    EXPECT_TRUE(region.ok()) << code << ": " << region.status();
  }
}

}  // namespace
}  // namespace wahana
