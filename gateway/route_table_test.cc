#include "gateway/route_table.h"

#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>

#include "gateway/test_descriptors.h"

namespace wahana {
namespace {

using Bindings = std::vector<PathBinding>;
using Strings = std::vector<std::string>;

TEST(RouteTableTest, BuildsFromTheGeneratedDescriptorsOfTheRealServices) {
  auto table =
      RouteTable::Build({"wahana.registry.v1.RegistryService", "wahana.cases.v1.CaseService"});
  ASSERT_TRUE(table.ok()) << table.status();
  // Every method of both services carries one google.api.http rule.
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  ASSERT_EQ(table->routes().size(),
            static_cast<size_t>(
                pool->FindServiceByName("wahana.registry.v1.RegistryService")->method_count() +
                pool->FindServiceByName("wahana.cases.v1.CaseService")->method_count()));

  RouteTable::Match m = table->Find("GET", "/v1/regions/16.06.01.2001");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->grpc_method, "/wahana.registry.v1.RegistryService/GetRegion");
  EXPECT_EQ(m.route->backend, 0u);
  EXPECT_EQ(m.bindings, (Bindings{{"code", "16.06.01.2001"}}));
  EXPECT_EQ(m.route->request_prototype->GetDescriptor()->full_name(),
            "wahana.registry.v1.GetRegionRequest");

  m = table->Find("GET", "/v1/regions");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->method->name(), "ListRegions");

  m = table->Find("POST", "/v1/cases");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->body, "case");
  EXPECT_EQ(m.route->backend, 1u);
}

TEST(RouteTableTest, UnknownPathHasNoRouteAndNoAllowedMethods) {
  auto table = RouteTable::Build({"wahana.registry.v1.RegistryService"});
  ASSERT_TRUE(table.ok());
  RouteTable::Match m = table->Find("GET", "/v1/nothing");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.allowed.empty());
  m = table->Find("GET", "/v1/cases/1");  // the case service is not fronted here
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.allowed.empty());
}

TEST(RouteTableTest, KnownPathWithAnotherMethodListsTheAllowedOnes) {
  auto table = RouteTable::Build({"wahana.registry.v1.RegistryService"});
  ASSERT_TRUE(table.ok());
  RouteTable::Match m = table->Find("DELETE", "/v1/regions/16.06");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allowed, Strings{"GET"});
}

TEST(RouteTableTest, UnknownServiceIsNotFound) {
  auto table = RouteTable::Build({"wahana.nothing.v1.NoService"});
  EXPECT_EQ(table.status().code(), absl::StatusCode::kNotFound);
}

TEST(RouteTableTest, EveryRuleKindAndAdditionalBindings) {
  auto table = RouteTable::Build({"wahana.gwtest.v1.ThingService"}, &testing::ThingPool());
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->routes().size(), 10u);

  RouteTable::Match m = table->Find("GET", "/v1/inner/16.06/things/t1");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->method->name(), "GetThing");
  EXPECT_EQ(m.bindings, (Bindings{{"inner.region_code", "16.06"}, {"id", "t1"}}));

  for (const auto& [method, name] :
       std::vector<std::pair<std::string, std::string>>{{"GET", "GetThing"},
                                                        {"PATCH", "UpdateThing"},
                                                        {"DELETE", "DeleteThing"},
                                                        {"HEAD", "HeadThing"}}) {
    m = table->Find(method, "/v1/things/t1");
    ASSERT_NE(m.route, nullptr) << method;
    EXPECT_EQ(m.route->method->name(), name);
  }
  m = table->Find("POST", "/v1/things/t1");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allowed, (Strings{"GET", "PATCH", "DELETE", "HEAD"}));

  m = table->Find("PATCH", "/v1/things/t1");
  EXPECT_EQ(m.route->body, "inner");
  m = table->Find("GET", "/v1/shelves/s1/books/b1");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.bindings, (Bindings{{"id", "shelves/s1/books/b1"}}));
}

TEST(RouteTableTest, VerbRoutesWinOverPlainVariables) {
  auto table = RouteTable::Build({"wahana.gwtest.v1.ThingService"}, &testing::ThingPool());
  ASSERT_TRUE(table.ok());
  RouteTable::Match m = table->Find("POST", "/v1/things/16.06.01:assign");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->method->name(), "AssignThing");
  EXPECT_EQ(m.bindings, (Bindings{{"id", "16.06.01"}}));

  // The path belongs to :assign, so GET is "method not allowed", not GetThing("x:assign").
  m = table->Find("GET", "/v1/things/x:assign");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allowed, Strings{"POST"});

  m = table->Find("GET", "/v1/things:lookup");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->method->name(), "LookupThing");
  m = table->Find("GET", "/v1/things");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->method->name(), "ListThings");
  // An unknown verb falls back to the plain templates: here GetThing with id "x:close".
  m = table->Find("GET", "/v1/things/x:close");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.bindings, (Bindings{{"id", "x:close"}}));
}

}  // namespace
}  // namespace wahana
