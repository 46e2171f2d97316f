// A province (16) and one of its districts (16.06) as two whole suites on one machine, linked as
// deploy/local/run-federation.sh links them: the district's cases show in the province's reports
// within seconds, both sides show the link, and a province away for a while misses nothing.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/crypto/ed25519_key.h"
#include "nlohmann/json.hpp"
#include "support/suite.h"

namespace wahana::testing {
namespace {

using nlohmann::json;

std::string Year() {
  return std::to_string(absl::ToCivilYear(absl::Now(), absl::FixedTimeZone(7 * 3600)).year());
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
}

template <typename Condition>
bool PollFor(std::chrono::seconds limit, Condition condition) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return condition();
}

class FederationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char dir_template[] = "/tmp/wahana-federation-XXXXXX";
    dir_ = mkdtemp(dir_template);
    absl::StatusOr<Ed25519PrivateKey> key = Ed25519PrivateKey::Generate();
    ASSERT_TRUE(key.ok()) << key.status();
    WriteFile(dir_ + "/district_key.pem", key->PemOf());
    json districts = json::array({{{"region", "16.06"}, {"publicKey", key->PublicKey().PemOf()}}});
    WriteFile(dir_ + "/districts.json", districts.dump());

    province_ = new Suite(
        {{"WAHANA_REGION", "16"}, {"WAHANA_FEDERATION_DISTRICTS_FILE", dir_ + "/districts.json"}});
    ASSERT_TRUE(province_->Start());
    district_ = new Suite({{"WAHANA_REGION", "16.06"},
                           {"WAHANA_PROVINCE_ADDR", province_->GrpcAddress("federation")},
                           {"WAHANA_FEDERATION_KEY_FILE", dir_ + "/district_key.pem"},
                           // Retries come quickly in a test; production waits longer.
                           {"WAHANA_FEDERATION_DEADLINE_MS", "2000"}});
    ASSERT_TRUE(district_->Start());
  }
  static void TearDownTestSuite() {
    delete district_;
    delete province_;
    district_ = province_ = nullptr;
  }

  static void CreateCase(const std::string& request_id) {
    json intake = {{"villageCode", "16.06.01.2001"},
                   {"category", "ANAK_JALANAN"},
                   {"kind", "INDIVIDUAL"},
                   {"summary", "Anak jalanan di simpang pasar Sekayu"}};
    HttpResponse created =
        district_->Call("POST", "/v1/cases?requestId=" + request_id, intake.dump());
    ASSERT_EQ(created.status, 200) << created.body;
  }

  // The regency's row in the province's report by region (0 when absent).
  static int64_t ProvinceRowOf(const std::string& regency) {
    json report = Suite::Json(
        province_->Call("GET", "/v1/reports/cases?region=16&period=" + Year() + "&groupBy=region"));
    if (!report.contains("rows")) return -1;
    for (const json& row : report["rows"]) {
      if (row["key"] == regency) return std::stoll(row["count"].get<std::string>());
    }
    return 0;
  }

  // The district's own total for the year.
  static int64_t DistrictTotal() {
    json report = Suite::Json(district_->Call(
        "GET", "/v1/reports/cases?region=16.06&period=" + Year() + "&groupBy=status"));
    return report.contains("total") ? std::stoll(report["total"].get<std::string>()) : -1;
  }

  static json LinkOf(Suite& suite) {
    HttpResponse status = suite.Call("GET", "/v1/federation/status");
    EXPECT_EQ(status.status, 200) << status.body;
    json body = Suite::Json(status);
    return body.contains("links") && !body["links"].empty() ? body["links"][0] : json();
  }

  static std::string dir_;
  static Suite* province_;
  static Suite* district_;
};

std::string FederationTest::dir_;
Suite* FederationTest::province_ = nullptr;
Suite* FederationTest::district_ = nullptr;

TEST_F(FederationTest, DistrictCasesShowInTheProvincesReportWithinSeconds) {
  CreateCase("fed-live-1");
  CreateCase("fed-live-2");
  ASSERT_TRUE(PollFor(std::chrono::seconds(5), [] { return DistrictTotal() >= 2; }));
  const int64_t district_total = DistrictTotal();
  EXPECT_TRUE(
      PollFor(std::chrono::seconds(15), [&] { return ProvinceRowOf("16.06") == district_total; }))
      << "province row 16.06: " << ProvinceRowOf("16.06") << ", district: " << district_total;
  // Every regency of the province is a row; the others have nothing.
  EXPECT_EQ(ProvinceRowOf("16.07"), 0);
  // The same numbers through the province's other answers.
  json counts = Suite::Json(province_->Call("GET", "/v1/reports/caseCounts?region=16.06"));
  json own = Suite::Json(district_->Call("GET", "/v1/reports/caseCounts?region=16.06"));
  EXPECT_EQ(counts["total"], own["total"]) << counts.dump() << own.dump();

  json district_link = LinkOf(*district_);
  EXPECT_EQ(district_link["peer"], "16") << district_link.dump();
  EXPECT_EQ(district_link["direction"], "outbound");
  EXPECT_GE(Suite::Int64(district_link, "messages"), 2) << district_link.dump();
  json province_link = LinkOf(*province_);
  EXPECT_EQ(province_link["peer"], "16.06") << province_link.dump();
  EXPECT_EQ(province_link["direction"], "inbound");
  EXPECT_EQ(province_link["highWaterMark"], district_link["highWaterMark"]);
  // Reports-readers only: a token-less call is refused at the gateway.
  EXPECT_EQ(province_->CallAnonymously("GET", "/v1/federation/status").status, 401);
}

TEST_F(FederationTest, AProvinceAwayMissesNothingAndCountsEachMessageOnce) {
  province_->StopService("federation", /*grace_ms=*/0);
  CreateCase("fed-outage-1");
  CreateCase("fed-outage-2");
  CreateCase("fed-outage-3");
  // The district keeps working and says what waits.
  ASSERT_TRUE(PollFor(std::chrono::seconds(10), [] {
    json link = LinkOf(*district_);
    return Suite::Int64(link, "backlog") >= 3 && link.contains("lastError");
  })) << LinkOf(*district_).dump();
  const int64_t district_total = DistrictTotal();
  EXPECT_LT(ProvinceRowOf("16.06"), district_total);

  province_->RestartService("federation");
  EXPECT_TRUE(
      PollFor(std::chrono::seconds(45), [&] { return ProvinceRowOf("16.06") == district_total; }))
      << "province row 16.06: " << ProvinceRowOf("16.06") << ", district: " << district_total;
  EXPECT_TRUE(PollFor(std::chrono::seconds(10),
                      [] { return Suite::Int64(LinkOf(*district_), "backlog") == 0; }));
  // Nothing twice: a second look a moment later is the same.
  std::this_thread::sleep_for(std::chrono::seconds(1));
  EXPECT_EQ(ProvinceRowOf("16.06"), district_total);
}

}  // namespace
}  // namespace wahana::testing
