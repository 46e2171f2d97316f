// End to end: the real processes (Redis, the four services, the gateway) on free ports, called over
// HTTP as a user would.

#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/redis/redis_client.h"
#include "support/suite.h"

namespace wahana::testing {
namespace {

using nlohmann::json;

class SuiteTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    suite_ = new Suite();
    ASSERT_TRUE(suite_->Start()) << "suite not ready within 60 s";
    http_port_ = suite_->http_port();
  }
  static void TearDownTestSuite() {
    delete suite_;
    suite_ = nullptr;
  }
  static json Json(const HttpResponse& r) { return Suite::Json(r); }
  static int64_t Int64(const json& object, const char* name) { return Suite::Int64(object, name); }

  static Suite* suite_;
  static int http_port_;
};

Suite* SuiteTest::suite_ = nullptr;
int SuiteTest::http_port_ = 0;

TEST_F(SuiteTest, HealthAndReadiness) {
  EXPECT_EQ(suite_->Call("GET", "/healthz").status, 200);
  EXPECT_EQ(suite_->Call("GET", "/readyz").status, 200);
}

TEST_F(SuiteTest, RegionByCode) {
  HttpResponse r = suite_->Call("GET", "/v1/regions/16.06");
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
    HttpResponse r = suite_->Call("GET", target);
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
  HttpResponse bad = suite_->Call("GET", "/v1/regions/16-06");
  EXPECT_EQ(bad.status, 400) << bad.body;
  json body = Json(bad);
  EXPECT_EQ(body["code"], 3);  // INVALID_ARGUMENT
  EXPECT_NE(body["message"].get<std::string>().find("code"), std::string::npos);
  HttpResponse unknown = suite_->Call("GET", "/v1/regions/16.99");
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  EXPECT_EQ(Json(unknown)["code"], 5);  // NOT_FOUND
}

TEST_F(SuiteTest, BadRequestsGetClearErrorsAndTheGatewayKeepsServing) {
  EXPECT_EQ(suite_->Call("GET", "/v1/nothing-here").status, 404);
  EXPECT_EQ(suite_->Call("POST", "/v1/cases", "{not json").status, 400);
  HttpResponse unknown_field =
      suite_->Call("POST", "/v1/cases", R"({"villageCode":"16.06.01.2001","colour":1})");
  EXPECT_EQ(unknown_field.status, 400);
  EXPECT_NE(unknown_field.body.find("colour"), std::string::npos) << unknown_field.body;
  HttpResponse wrong_type = suite_->Call("POST", "/v1/cases", R"({"summary":42})");
  EXPECT_EQ(wrong_type.status, 400) << wrong_type.body;
  HttpResponse huge =
      suite_->Call("POST", "/v1/cases", "{\"summary\":\"" + std::string(2 << 20, 'x') + "\"}");
  EXPECT_EQ(huge.status, 413);
  EXPECT_EQ(suite_->Call("GET", "/v1/regions/16.06").status, 200);
}

TEST_F(SuiteTest, CaseCreatedIsReadBackAndCountedByReporting) {
  int64_t total_before =
      Int64(Json(suite_->Call("GET", "/v1/reports/caseCounts?region=16.06.01")), "total");
  json intake = {{"villageCode", "16.06.01.2001"},
                 {"category", "LANJUT_USIA_TELANTAR"},
                 {"kind", "INDIVIDUAL"},
                 {"summary", "Kakek hidup sendiri, dilaporkan PKK desa"}};
  HttpResponse created = suite_->Call("POST", "/v1/cases?requestId=e2e-case-1", intake.dump());
  ASSERT_EQ(created.status, 200) << created.body;
  json c = Json(created);
  EXPECT_EQ(c["status"], "INTAKE");
  EXPECT_EQ(c["villageCode"], "16.06.01.2001");
  std::string number = c["number"];
  EXPECT_EQ(number.rfind("16.06-", 0), 0u) << number;

  HttpResponse again = suite_->Call("POST", "/v1/cases?requestId=e2e-case-1", intake.dump());
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(Json(again)["id"], c["id"]);

  HttpResponse read = suite_->Call("GET", "/v1/cases/" + c["id"].get<std::string>());
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(Json(read)["summary"], "Kakek hidup sendiri, dilaporkan PKK desa");

  // Reporting applies the stream message asynchronously: poll, bounded.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  int64_t total = total_before;
  while (std::chrono::steady_clock::now() < deadline) {
    json counts = Json(suite_->Call("GET", "/v1/reports/caseCounts?region=16.06.01"));
    total = Int64(counts, "total");
    if (total == total_before + 1) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(total, total_before + 1);
}

// The pivot through the gateway: a new case appears in its subdistrict's row (named from the
// registry's regions), the answer says how fresh it is, the CSV export carries the same numbers,
// bad parameters are named, and the status page shows the consumer.
TEST_F(SuiteTest, CaseReportCountsANewCaseBySubdistrictAsJsonAndCsv) {
  const std::string year =
      std::to_string(absl::ToCivilYear(absl::Now(), absl::FixedTimeZone(7 * 3600)).year());
  const std::string target = "/v1/reports/cases?region=16.06&period=" + year + "&groupBy=region";
  auto sekayu = [](const json& report) -> int64_t {
    for (const json& row : report["rows"]) {
      if (row["key"] == "16.06.01") return std::stoll(row["count"].get<std::string>());
    }
    return 0;
  };
  HttpResponse first = suite_->Call("GET", target);
  ASSERT_EQ(first.status, 200) << first.body;
  const int64_t before = sekayu(Json(first));
  json intake = {{"villageCode", "16.06.01.2001"},
                 {"category", "ANAK_JALANAN"},
                 {"kind", "INDIVIDUAL"},
                 {"summary", "Anak jalanan di simpang pasar Sekayu"}};
  ASSERT_EQ(suite_->Call("POST", "/v1/cases?requestId=e2e-report-1", intake.dump()).status, 200);

  json report;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (std::chrono::steady_clock::now() < deadline) {
    report = Json(suite_->Call("GET", target));
    // Counted, and the message acknowledged (the count moves a moment before the ack).
    if (sekayu(report) == before + 1 && report["lag"] == "0") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(sekayu(report), before + 1) << report.dump();
  int64_t sum = 0;
  for (const json& row : report["rows"]) {
    if (row["key"] == "16.06.01") {
      EXPECT_EQ(row["label"], "Sekayu");
    }
    sum += std::stoll(row["count"].get<std::string>());
  }
  EXPECT_EQ(std::to_string(sum), report["total"]);
  EXPECT_TRUE(report.contains("asOf")) << report.dump();
  EXPECT_EQ(report["lag"], "0");

  HttpResponse csv = suite_->Call("GET", target + "&format=csv");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.headers["content-type"].rfind("text/csv", 0), 0u) << csv.headers["content-type"];
  EXPECT_EQ(csv.body.rfind("key,label,count\r\n", 0), 0u) << csv.body;
  EXPECT_NE(csv.body.find("16.06.01,Sekayu," + std::to_string(before + 1) + "\r\n"),
            std::string::npos)
      << csv.body;

  HttpResponse bad =
      suite_->Call("GET", "/v1/reports/cases?region=16.06&period=" + year + "&groupBy=sex");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("groupBy"), std::string::npos) << bad.body;
  HttpResponse bad_period =
      suite_->Call("GET", "/v1/reports/cases?region=16.06&period=2026-Q7&groupBy=status");
  EXPECT_EQ(bad_period.status, 400);
  EXPECT_NE(bad_period.body.find("period"), std::string::npos) << bad_period.body;
  HttpResponse outside =
      suite_->Call("GET", "/v1/reports/cases?region=17.01&period=" + year + "&groupBy=status");
  EXPECT_EQ(outside.status, 403) << outside.body;
  EXPECT_NE(outside.body.find("region"), std::string::npos) << outside.body;

  HttpResponse status = suite_->Call("GET", "/v1/reports/status");
  ASSERT_EQ(status.status, 200) << status.body;
  json consumer = Json(status)["consumers"][0];
  EXPECT_EQ(consumer["stream"], "case:{16.06}:stream");
  EXPECT_EQ(consumer["group"], "reporting");
  EXPECT_EQ(consumer["deadLetters"], "0");
}

// The record reports through the gateway: an institution registered over HTTP appears in the
// institutions report (the registry's stream, consumed by reporting), as JSON and as CSV, and the
// status page shows the registry and event consumers beside the case one.
TEST_F(SuiteTest, InstitutionReportCountsANewInstitutionByKind) {
  const std::string target = "/v1/reports/institutions?region=16.06.01&groupBy=kind";
  auto karang_taruna = [](const json& report) -> int64_t {
    for (const json& row : report["rows"]) {
      if (row["key"] == "KARANG_TARUNA") return std::stoll(row["count"].get<std::string>());
    }
    return -1;
  };
  HttpResponse first = suite_->Call("GET", target);
  ASSERT_EQ(first.status, 200) << first.body;
  const int64_t before = karang_taruna(Json(first));
  ASSERT_GE(before, 0) << first.body;
  json institution = {{"kind", "KARANG_TARUNA"},
                      {"name", "Karang Taruna Laporan E2E"},
                      {"villageCode", "16.06.01.2001"}};
  HttpResponse created =
      suite_->Call("POST", "/v1/institutions?requestId=e2e-report-inst-1", institution.dump());
  ASSERT_EQ(created.status, 200) << created.body;

  json report;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (std::chrono::steady_clock::now() < deadline) {
    report = Json(suite_->Call("GET", target));
    if (karang_taruna(report) == before + 1 && report["lag"] == "0") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(karang_taruna(report), before + 1) << report.dump();
  EXPECT_EQ(report["lag"], "0");

  HttpResponse csv = suite_->Call("GET", target + "&format=csv");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_NE(csv.body.find("KARANG_TARUNA,Karang Taruna," + std::to_string(before + 1) + "\r\n"),
            std::string::npos)
      << csv.body;
  HttpResponse bad = suite_->Call("GET", "/v1/reports/institutions?region=16.06&groupBy=ageBand");
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("groupBy"), std::string::npos) << bad.body;

  json status = Json(suite_->Call("GET", "/v1/reports/status"));
  std::set<std::string> streams;
  for (const json& consumer : status["consumers"]) streams.insert(consumer["stream"]);
  EXPECT_EQ(streams, (std::set<std::string>{"case:{16.06}:stream", "registry:{16.06}:stream",
                                            "event:{16.06}:stream"}));
}

// The indicators through the gateway: a new case counts in the KPIs of its intake year, and the
// SPM lists the five services with their target.
TEST_F(SuiteTest, KpisCountANewCaseAndTheSpmListsFiveServices) {
  const std::string year =
      std::to_string(absl::ToCivilYear(absl::Now(), absl::FixedTimeZone(7 * 3600)).year());
  const std::string target = "/v1/reports/kpis?region=16.06.01&period=" + year;
  HttpResponse first = suite_->Call("GET", target);
  ASSERT_EQ(first.status, 200) << first.body;
  const int64_t before = std::stoll(Json(first)["openCases"].get<std::string>());
  json intake = {{"villageCode", "16.06.01.2001"},
                 {"category", "LANJUT_USIA_TELANTAR"},
                 {"kind", "INDIVIDUAL"},
                 {"summary", "Nenek tinggal sendiri, laporan KPI"}};
  ASSERT_EQ(suite_->Call("POST", "/v1/cases?requestId=e2e-kpi-1", intake.dump()).status, 200);
  json kpis;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (std::chrono::steady_clock::now() < deadline) {
    kpis = Json(suite_->Call("GET", target));
    if (std::stoll(kpis["openCases"].get<std::string>()) == before + 1 && kpis["lag"] == "0") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(std::stoll(kpis["openCases"].get<std::string>()), before + 1) << kpis.dump();
  EXPECT_EQ(kpis["lag"], "0");

  HttpResponse spm = suite_->Call("GET", "/v1/reports/spm?region=16.06&year=" + year);
  ASSERT_EQ(spm.status, 200) << spm.body;
  json services = Json(spm)["services"];
  ASSERT_EQ(services.size(), 5u) << spm.body;
  EXPECT_EQ(services[2]["service"], "SPM_LANJUT_USIA_TELANTAR");
  EXPECT_EQ(services[2]["target"], "100");
  HttpResponse no_year = suite_->Call("GET", "/v1/reports/spm?region=16.06");
  EXPECT_EQ(no_year.status, 400);
  EXPECT_NE(no_year.body.find("year"), std::string::npos) << no_year.body;
}

TEST_F(SuiteTest, CaseInAnotherRegencyIsRefused) {
  json intake = {{"villageCode", "11.01.01.2001"},
                 {"category", "ANAK_TELANTAR"},
                 {"kind", "INDIVIDUAL"},
                 {"summary", "outside the deployment"}};
  HttpResponse r = suite_->Call("POST", "/v1/cases", intake.dump());
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("villageCode"), std::string::npos) << r.body;
}

// The reporting group has applied and acked every message of every stream it reads (lag and
// pending 0; proto JSON leaves zeros out).
bool ReportingCaughtUp(const Suite& suite) {
  json status = Suite::Json(suite.Call("GET", "/v1/reports/status"));
  if (!status.contains("consumers") || status["consumers"].empty()) return false;
  for (const json& consumer : status["consumers"]) {
    if (Suite::Int64(consumer, "lag") != 0 || Suite::Int64(consumer, "pending") != 0) return false;
  }
  return true;
}

// `wahana-reporting --rebuild` as an operator runs it: a mix of cases made and moved through the
// gateway, the live answers kept, the aggregates corrupted, the rebuild run with the reporting
// service's own settings (reading the cases, the registry's institutions and the events through
// the services' gRPC APIs as that service), and every answer back exactly, the institutions
// report too (an archived institution stays uncounted); a case made after the rebuild counts once.
TEST_F(SuiteTest, RebuildEndsWithTheLiveAnswersAfterCorruption) {
  const char* villages[] = {"16.06.01.2001", "16.06.02.2001"};
  const char* categories[] = {"LANJUT_USIA_TELANTAR", "ANAK_JALANAN"};
  for (int i = 0; i < 12; ++i) {
    json intake = {{"villageCode", villages[i % 2]},
                   {"category", categories[(i / 2) % 2]},
                   {"kind", "INDIVIDUAL"},
                   {"summary", "Laporan warga untuk pembangunan ulang"}};
    HttpResponse created =
        suite_->Call("POST", "/v1/cases?requestId=e2e-rebuild-" + std::to_string(i), intake.dump());
    ASSERT_EQ(created.status, 200) << created.body;
    json c = Json(created);
    const std::string path = "/v1/cases/" + c["id"].get<std::string>();
    std::string etag = c["etag"];
    // Steps by i: 0, 1 none; 2-5 assessed; 6-9 terminated too; 10, 11 closed too.
    const std::vector<std::pair<std::string, json>> steps = {
        {":assess", {{"problem", "perlu pendampingan"}}},
        {":terminate", {{"terminationReason", "GOAL_REACHED"}}},
        {":close", json::object()}};
    const size_t take = i < 2 ? 0 : i < 6 ? 1 : i < 10 ? 2 : 3;
    for (size_t s = 0; s < take; ++s) {
      json body = steps[s].second;
      body["etag"] = etag;
      HttpResponse moved = suite_->Call("POST", path + steps[s].first, body.dump());
      ASSERT_EQ(moved.status, 200) << steps[s].first << ": " << moved.body;
      etag = Json(moved)["etag"];
    }
  }
  // Institutions in both subdistricts, one of them archived (the rebuild must not count it).
  for (int i = 0; i < 3; ++i) {
    json institution = {{"kind", "KARANG_TARUNA"},
                        {"name", "Karang Taruna Pembangunan Ulang " + std::to_string(i)},
                        {"villageCode", villages[i % 2]}};
    HttpResponse created =
        suite_->Call("POST", "/v1/institutions?requestId=e2e-rebuild-inst-" + std::to_string(i),
                     institution.dump());
    ASSERT_EQ(created.status, 200) << created.body;
    if (i != 2) continue;
    json c = Json(created);
    json archive = {{"etag", c["etag"]}};
    HttpResponse archived = suite_->Call(
        "POST", "/v1/institutions/" + c["id"].get<std::string>() + ":archive", archive.dump());
    ASSERT_EQ(archived.status, 200) << archived.body;
  }
  const std::string year =
      std::to_string(absl::ToCivilYear(absl::Now(), absl::FixedTimeZone(7 * 3600)).year());
  auto answers = [&] {
    std::vector<json> all;
    for (const char* region : {"16.06", "16.06.01", "16.06.02"}) {
      all.push_back(
          Json(suite_->Call("GET", std::string("/v1/reports/caseCounts?region=") + region)));
    }
    for (const char* group_by : {"category", "status", "kind", "region", "month"}) {
      json report = Json(suite_->Call(
          "GET", "/v1/reports/cases?region=16.06&period=" + year + "&groupBy=" + group_by));
      report.erase("asOf");
      report.erase("lag");
      all.push_back(report);
    }
    json institutions =
        Json(suite_->Call("GET", "/v1/reports/institutions?region=16.06&groupBy=region"));
    institutions.erase("asOf");
    institutions.erase("lag");
    all.push_back(institutions);
    return all;
  };
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (!ReportingCaughtUp(*suite_) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(ReportingCaughtUp(*suite_)) << "the reporting consumer did not catch up in 15 s";
  const std::vector<json> live = answers();
  ASSERT_GE(Int64(live[0], "total"), 12);

  std::unique_ptr<RedisClient> redis = suite_->redis().Client();
  ASSERT_TRUE(redis->Command({"DEL", "reporting:{16.06}:case_counts:16.06.01"}).ok());
  ASSERT_TRUE(
      redis->Command({"HINCRBY", "reporting:{16.06}:case_counts:16.06", "total", "3"}).ok());
  auto cells = redis->Command({"KEYS", "reporting:{16.06}:case_cells:*"});
  ASSERT_TRUE(cells.ok() && !cells->elements.empty());
  for (const RedisReply& key : cells->elements) ASSERT_TRUE(redis->Command({"DEL", key.str}).ok());
  auto institution_cells = redis->Command({"KEYS", "reporting:{16.06}:institution_cells:*"});
  ASSERT_TRUE(institution_cells.ok() && !institution_cells->elements.empty());
  for (const RedisReply& key : institution_cells->elements) {
    ASSERT_TRUE(redis->Command({"DEL", key.str}).ok());
  }
  ASSERT_TRUE(redis->Command({"DEL", "reporting:{16.06}:counted:institution"}).ok());
  ASSERT_NE(answers(), live) << "the corruption changed no answer";

  std::string output;
  ASSERT_EQ(suite_->RunServiceCommand("reporting", "--rebuild", &output), 0) << output;
  std::cout << output;  // the summary line, in the test's log
  EXPECT_NE(output.find("rebuilt the reports of 16.06"), std::string::npos) << output;
  const std::vector<json> rebuilt = answers();
  for (size_t i = 0; i < live.size(); ++i) EXPECT_EQ(rebuilt[i], live[i]) << "answer " << i;

  json intake = {{"villageCode", "16.06.01.2001"},
                 {"category", "ANAK_JALANAN"},
                 {"kind", "INDIVIDUAL"},
                 {"summary", "Laporan sesudah pembangunan ulang"}};
  ASSERT_EQ(suite_->Call("POST", "/v1/cases?requestId=e2e-rebuild-after", intake.dump()).status,
            200);
  deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (!ReportingCaughtUp(*suite_) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(Int64(answers()[0], "total"), Int64(live[0], "total") + 1);
}

}  // namespace
}  // namespace wahana::testing
