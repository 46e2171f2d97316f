#include "gateway/openapi.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "gateway/gateway_config.h"

namespace wahana {
namespace {

using nlohmann::json;

// Every routed service of the real protos, as the gateway fronts them.
const RouteTable& AllRoutes() {
  static const RouteTable* table = [] {
    std::vector<std::string> services;
    for (const BackendSetting& b : BackendSettings()) services.push_back(b.service);
    auto built = RouteTable::Build(services);
    EXPECT_TRUE(built.ok()) << built.status();
    return new RouteTable(std::move(built).value());
  }();
  return *table;
}

// Calls `visit` for every "$ref" value anywhere in `node`.
void ForEachRef(const json& node, const std::function<void(const std::string&)>& visit) {
  if (node.is_object()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (it.key() == "$ref" && it.value().is_string()) visit(it.value().get<std::string>());
      ForEachRef(it.value(), visit);
    }
  } else if (node.is_array()) {
    for (const json& item : node) ForEachRef(item, visit);
  }
}

TEST(OpenApiTest, EveryRouteIsAnOperation) {
  const RouteTable& routes = AllRoutes();
  ASSERT_GT(routes.routes().size(), 10u);
  json doc = BuildOpenApi(routes.routes());
  EXPECT_EQ(doc["openapi"], "3.0.3");
  // The text round-trips as JSON.
  json reparsed = json::parse(doc.dump());
  EXPECT_EQ(reparsed, doc);
  for (const Route& route : routes.routes()) {
    std::string path = route.path.text();
    const json& item = doc["paths"][path];
    std::string method = absl::AsciiStrToLower(route.http_method);
    ASSERT_TRUE(item.contains(method)) << method << " " << path;
    EXPECT_EQ(item[method]["summary"], route.method->full_name());
  }
}

TEST(OpenApiTest, ListsTheTokenIssuerWhenItIsServed) {
  json without = BuildOpenApi(AllRoutes().routes());
  EXPECT_FALSE(without["paths"].contains("/v1/tokens"));
  json doc = BuildOpenApi(AllRoutes().routes(), /*token_routes=*/true);
  const json& issue = doc["paths"]["/v1/tokens"]["post"];
  EXPECT_TRUE(issue["requestBody"]["content"].contains("application/x-www-form-urlencoded"));
  EXPECT_TRUE(issue["responses"].contains("200"));
  EXPECT_TRUE(issue["responses"].contains("401"));
  EXPECT_TRUE(doc["paths"]["/.well-known/jwks.json"].contains("get"));
  EXPECT_EQ(doc["components"]["securitySchemes"]["clientBasic"]["scheme"], "basic");
  EXPECT_EQ(json::parse(doc.dump()), doc);
}

TEST(OpenApiTest, EveryReferenceResolves) {
  json doc = BuildOpenApi(AllRoutes().routes());
  const json& schemas = doc["components"]["schemas"];
  int refs = 0;
  ForEachRef(doc, [&](const std::string& ref) {
    ++refs;
    const std::string prefix = "#/components/schemas/";
    ASSERT_EQ(ref.rfind(prefix, 0), 0u) << ref;
    EXPECT_TRUE(schemas.contains(ref.substr(prefix.size()))) << ref;
  });
  EXPECT_GT(refs, 20);
}

TEST(OpenApiTest, ParametersBodiesAndResponses) {
  json doc = BuildOpenApi(AllRoutes().routes());
  const json& get_region = doc["paths"]["/v1/regions/{code}"]["get"];
  EXPECT_EQ(get_region["operationId"], "RegistryService_GetRegion");
  ASSERT_EQ(get_region["parameters"].size(), 1u);
  EXPECT_EQ(get_region["parameters"][0]["name"], "code");
  EXPECT_EQ(get_region["parameters"][0]["in"], "path");
  EXPECT_EQ(get_region["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/wahana.registry.v1.Region");
  EXPECT_EQ(get_region["responses"]["default"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/google.rpc.Status");

  // Query parameters by their JSON names.
  const json& list = doc["paths"]["/v1/regions"]["get"];
  std::set<std::string> names;
  for (const json& p : list["parameters"]) {
    EXPECT_EQ(p["in"], "query");
    names.insert(p["name"].get<std::string>());
  }
  EXPECT_EQ(names, (std::set<std::string>{"parent", "pageSize", "pageToken"}));

  // A body naming a field: that field's message.
  const json& create = doc["paths"]["/v1/cases"]["post"];
  EXPECT_EQ(create["requestBody"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/wahana.cases.v1.Case");
  // A patch: the path variable is a nested field.
  const json& patch = doc["paths"]["/v1/institutions/{institution.id}"]["patch"];
  EXPECT_EQ(patch["parameters"][0]["name"], "institution.id");

  // A reply answered raw (HttpBody: a QR image) is bytes of its own type, not JSON.
  const json& qr = doc["paths"]["/v1/events/{event_id}/participants/{id}/checkInQr"]["get"];
  const json& qr_ok = qr["responses"]["200"]["content"];
  EXPECT_FALSE(qr_ok.contains("application/json")) << qr_ok;
  EXPECT_EQ(qr_ok["*/*"]["schema"]["format"], "binary") << qr_ok;
  EXPECT_TRUE(qr["responses"]["default"]["content"].contains("application/json"));
}

TEST(OpenApiTest, SchemasFollowProtobufsJsonMapping) {
  json doc = BuildOpenApi(AllRoutes().routes());
  const json& schemas = doc["components"]["schemas"];
  const json& kase = schemas["wahana.cases.v1.Case"]["properties"];
  EXPECT_EQ(kase["createTime"]["type"], "string");  // lowerCamelCase
  EXPECT_EQ(kase["createTime"]["format"], "date-time");
  EXPECT_EQ(kase["status"]["type"], "string");
  EXPECT_NE(std::find(kase["status"]["enum"].begin(), kase["status"]["enum"].end(), "INTAKE"),
            kase["status"]["enum"].end());
  const json& regions = schemas["wahana.registry.v1.ListRegionsResponse"]["properties"];
  EXPECT_EQ(regions["regions"]["type"], "array");
  EXPECT_EQ(regions["regions"]["items"]["$ref"], "#/components/schemas/wahana.registry.v1.Region");
  // 64-bit integers are strings in protobuf's JSON.
  bool found_int64 = false;
  for (const auto& [name, schema] : schemas.items()) {
    for (const auto& [field, property] : schema["properties"].items()) {
      if (property.contains("format") && property["format"] == "int64" &&
          property["type"] == "string") {
        found_int64 = true;
      }
    }
  }
  EXPECT_TRUE(found_int64);
  EXPECT_EQ(doc["components"]["securitySchemes"]["bearerAuth"]["scheme"], "bearer");
}

}  // namespace
}  // namespace wahana
