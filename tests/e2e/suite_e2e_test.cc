// End to end: the real processes (Redis, the four services, the gateway) on free ports, called over
// HTTP as a user would.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>
#include <thread>

#include "child_process.h"
#include "http_client.h"
#include "support/redis_server.h"

namespace wahana::testing {
namespace {

using nlohmann::json;

class SuiteTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    redis_ = new RedisServer();
    http_port_ = FreePort();
    std::map<std::string, std::string> common = {
        {"WAHANA_REGION", "16.06"},
        {"WAHANA_REDIS_PORT", std::to_string(redis_->port())},
        {"WAHANA_BUS_CLAIM_IDLE_MS", "1000"},
    };
    struct Spec {
      const char* name;
      const char* binary;
      const char* addr_setting;
    };
    const Spec specs[] = {
        {"registry", WAHANA_REGISTRY_BIN, "WAHANA_REGISTRY_ADDR"},
        {"case", WAHANA_CASE_BIN, "WAHANA_CASE_ADDR"},
        {"event", WAHANA_EVENT_BIN, "WAHANA_EVENT_ADDR"},
        {"reporting", WAHANA_REPORTING_BIN, "WAHANA_REPORTING_ADDR"},
    };
    std::map<std::string, std::string> addresses;
    for (const Spec& s : specs) addresses[s.addr_setting] = "127.0.0.1:" + std::to_string(FreePort());
    for (const Spec& s : specs) {
      auto env = common;
      env.insert(addresses.begin(), addresses.end());
      std::string address = addresses[s.addr_setting];
      env["WAHANA_GRPC_PORT"] = address.substr(address.find(':') + 1);
      processes_->push_back(std::make_unique<ChildProcess>(
          s.binary, env, redis_->dir() + "/" + s.name + ".log"));
    }
    auto env = common;
    env.insert(addresses.begin(), addresses.end());
    env["WAHANA_HTTP_PORT"] = std::to_string(http_port_);
    processes_->push_back(
        std::make_unique<ChildProcess>(WAHANA_GATEWAY_BIN, env, redis_->dir() + "/gateway.log"));

    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (HttpCall(http_port_, "GET", "/readyz").status != 200) {
      if (std::chrono::steady_clock::now() > deadline) {
        for (auto& p : *processes_) std::cerr << p->log_path() << ":\n" << p->LogTail() << "\n";
        FAIL() << "suite not ready within 60 s";
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }

  static void TearDownTestSuite() {
    // Gateway first, then the services: the order the runner uses.
    for (auto it = processes_->rbegin(); it != processes_->rend(); ++it) (*it)->Stop();
    processes_->clear();
    delete redis_;
    redis_ = nullptr;
  }

  static json Json(const HttpResponse& r) { return json::parse(r.body, nullptr, false); }
  // protobuf's JSON mapping writes int64 as a string.
  static int64_t Int64(const json& object, const char* name) {
    if (!object.is_object() || !object.contains(name)) return 0;
    const json& v = object[name];
    return v.is_string() ? std::stoll(v.get<std::string>()) : v.get<int64_t>();
  }

  static RedisServer* redis_;
  static int http_port_;
  static std::vector<std::unique_ptr<ChildProcess>>* processes_;
};

RedisServer* SuiteTest::redis_ = nullptr;
int SuiteTest::http_port_ = 0;
std::vector<std::unique_ptr<ChildProcess>>* SuiteTest::processes_ =
    new std::vector<std::unique_ptr<ChildProcess>>();

TEST_F(SuiteTest, HealthAndReadiness) {
  EXPECT_EQ(HttpCall(http_port_, "GET", "/healthz").status, 200);
  EXPECT_EQ(HttpCall(http_port_, "GET", "/readyz").status, 200);
}

TEST_F(SuiteTest, RegionByCode) {
  HttpResponse r = HttpCall(http_port_, "GET", "/v1/regions/16.06");
  ASSERT_EQ(r.status, 200) << r.body;
  json body = Json(r);
  EXPECT_EQ(body["code"], "16.06");
  EXPECT_EQ(body["name"], "Kabupaten Musi Banyuasin");
  EXPECT_EQ(body["level"], "REGENCY");
  EXPECT_EQ(body["parentCode"], "16");
}

TEST_F(SuiteTest, ChildrenOfMusiBanyuasinArePagedKecamatan) {
  std::vector<std::string> codes;
  std::string token;
  for (int page = 0; page < 10; ++page) {
    std::string target = "/v1/regions?parent=16.06&pageSize=4";
    if (!token.empty()) target += "&pageToken=" + token;
    HttpResponse r = HttpCall(http_port_, "GET", target);
    ASSERT_EQ(r.status, 200) << r.body;
    json body = Json(r);
    EXPECT_EQ(body["totalSize"], 15);
    for (const auto& region : body["regions"]) {
      EXPECT_EQ(region["level"], "SUBDISTRICT");
      EXPECT_EQ(region["parentCode"], "16.06");
      codes.push_back(region["code"]);
    }
    token = body.value("nextPageToken", "");
    if (token.empty()) break;
  }
  ASSERT_EQ(codes.size(), 15u);
  EXPECT_EQ(codes.front(), "16.06.01");
  EXPECT_TRUE(std::is_sorted(codes.begin(), codes.end()));
}

TEST_F(SuiteTest, MalformedCodeIs400AndUnknownIs404) {
  HttpResponse bad = HttpCall(http_port_, "GET", "/v1/regions/16-06");
  EXPECT_EQ(bad.status, 400) << bad.body;
  json body = Json(bad);
  EXPECT_EQ(body["code"], 3);  // INVALID_ARGUMENT
  EXPECT_NE(body["message"].get<std::string>().find("code"), std::string::npos);
  HttpResponse unknown = HttpCall(http_port_, "GET", "/v1/regions/16.99");
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  EXPECT_EQ(Json(unknown)["code"], 5);  // NOT_FOUND
}

TEST_F(SuiteTest, BadRequestsGetClearErrorsAndTheGatewayKeepsServing) {
  EXPECT_EQ(HttpCall(http_port_, "GET", "/v1/nothing-here").status, 404);
  EXPECT_EQ(HttpCall(http_port_, "POST", "/v1/cases", "{not json").status, 400);
  HttpResponse unknown_field =
      HttpCall(http_port_, "POST", "/v1/cases", R"({"villageCode":"16.06.01.2001","colour":1})");
  EXPECT_EQ(unknown_field.status, 400);
  EXPECT_NE(unknown_field.body.find("colour"), std::string::npos) << unknown_field.body;
  HttpResponse wrong_type = HttpCall(http_port_, "POST", "/v1/cases", R"({"summary":42})");
  EXPECT_EQ(wrong_type.status, 400) << wrong_type.body;
  HttpResponse huge =
      HttpCall(http_port_, "POST", "/v1/cases", "{\"summary\":\"" + std::string(2 << 20, 'x') + "\"}");
  EXPECT_EQ(huge.status, 413);
  EXPECT_EQ(HttpCall(http_port_, "GET", "/v1/regions/16.06").status, 200);
}

TEST_F(SuiteTest, CaseCreatedIsReadBackAndCountedByReporting) {
  int64_t total_before = Int64(Json(HttpCall(http_port_, "GET", "/v1/reports/caseCounts?region=16.06.01")), "total");
  json intake = {{"villageCode", "16.06.01.2001"},
                 {"category", "LANJUT_USIA_TELANTAR"},
                 {"kind", "INDIVIDUAL"},
                 {"summary", "Kakek hidup sendiri, dilaporkan PKK desa"}};
  HttpResponse created =
      HttpCall(http_port_, "POST", "/v1/cases?requestId=e2e-case-1", intake.dump());
  ASSERT_EQ(created.status, 200) << created.body;
  json c = Json(created);
  EXPECT_EQ(c["status"], "INTAKE");
  EXPECT_EQ(c["villageCode"], "16.06.01.2001");
  std::string number = c["number"];
  EXPECT_EQ(number.rfind("16.06-", 0), 0u) << number;

  HttpResponse again =
      HttpCall(http_port_, "POST", "/v1/cases?requestId=e2e-case-1", intake.dump());
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(Json(again)["id"], c["id"]);

  HttpResponse read = HttpCall(http_port_, "GET", "/v1/cases/" + c["id"].get<std::string>());
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(Json(read)["summary"], "Kakek hidup sendiri, dilaporkan PKK desa");

  // Reporting applies the stream message asynchronously: poll, bounded.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  int64_t total = total_before;
  while (std::chrono::steady_clock::now() < deadline) {
    json counts = Json(HttpCall(http_port_, "GET", "/v1/reports/caseCounts?region=16.06.01"));
    total = Int64(counts, "total");
    if (total == total_before + 1) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(total, total_before + 1);
}

TEST_F(SuiteTest, CaseInAnotherRegencyIsRefused) {
  json intake = {{"villageCode", "11.01.01.2001"},
                 {"category", "ANAK_TELANTAR"},
                 {"kind", "INDIVIDUAL"},
                 {"summary", "outside the deployment"}};
  HttpResponse r = HttpCall(http_port_, "POST", "/v1/cases", intake.dump());
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("villageCode"), std::string::npos) << r.body;
}

}  // namespace
}  // namespace wahana::testing
