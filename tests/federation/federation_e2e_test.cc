// A province (16) and one of its districts (16.06) as two whole suites on one machine, linked as
// deploy/local/run-federation.sh links them: the district's cases show in the province's reports
// within seconds, both sides show the link, and a province away for a while misses nothing.

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/crypto/ed25519_key.h"
#include "nlohmann/json.hpp"
#include "support/redis_server.h"
#include "support/suite.h"
#include "wahana/federation/v1/federation.grpc.pb.h"

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
    absl::StatusOr<Ed25519PrivateKey> province_key = Ed25519PrivateKey::Generate();
    ASSERT_TRUE(key.ok() && province_key.ok());
    WriteFile(dir_ + "/district_key.pem", key->PemOf());
    WriteFile(dir_ + "/province_key.pem", province_key->PemOf());
    WriteFile(dir_ + "/province_public.pem", province_key->PublicKey().PemOf());
    json district = {{"region", "16.06"}, {"publicKey", key->PublicKey().PemOf()}};
    WriteFile(dir_ + "/districts.json", json::array({district}).dump());
    // The deployments call each other with TLS only (peer_tls.h): one self-signed certificate
    // for 127.0.0.1, each side's CA.
    const std::string make_cert =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
        "-subj /CN=wahana-federation-test -addext subjectAltName=IP:127.0.0.1 -keyout " +
        dir_ + "/tls_key.pem -out " + dir_ + "/tls_cert.pem 2>/dev/null";
    ASSERT_EQ(system(make_cert.c_str()), 0) << make_cert;
    province_tls_port_ = FreePort();
    do {
      district_tls_port_ = FreePort();
    } while (district_tls_port_ == province_tls_port_);
    const std::map<std::string, std::string> tls = {
        {"WAHANA_FEDERATION_TLS_CERT_FILE", dir_ + "/tls_cert.pem"},
        {"WAHANA_FEDERATION_TLS_KEY_FILE", dir_ + "/tls_key.pem"},
        {"WAHANA_FEDERATION_TLS_CA_FILE", dir_ + "/tls_cert.pem"}};
    std::map<std::string, std::string> province_env = {
        {"WAHANA_REGION", "16"},
        {"WAHANA_FEDERATION_DISTRICTS_FILE", dir_ + "/districts.json"},
        {"WAHANA_FEDERATION_KEY_FILE", dir_ + "/province_key.pem"},
        {"WAHANA_FEDERATION_LOOKUP_DEADLINE_MS", "2000"},
        {"WAHANA_FEDERATION_TLS_PORT", std::to_string(province_tls_port_)}};
    province_env.insert(tls.begin(), tls.end());
    province_ = new Suite(province_env);
    ASSERT_TRUE(province_->Start());
    std::map<std::string, std::string> district_env = {
        {"WAHANA_REGION", "16.06"},
        {"WAHANA_PROVINCE_ADDR", "127.0.0.1:" + std::to_string(province_tls_port_)},
        {"WAHANA_FEDERATION_KEY_FILE", dir_ + "/district_key.pem"},
        {"WAHANA_PROVINCE_PUBLIC_KEY_FILE", dir_ + "/province_public.pem"},
        // Retries come quickly in a test; production waits longer.
        {"WAHANA_FEDERATION_DEADLINE_MS", "2000"},
        {"WAHANA_FEDERATION_TLS_PORT", std::to_string(district_tls_port_)}};
    district_env.insert(tls.begin(), tls.end());
    district_ = new Suite(district_env);
    ASSERT_TRUE(district_->Start());
    // The district's address is known now: the province registers it and restarts its
    // federation service to read it.
    district["address"] = "127.0.0.1:" + std::to_string(district_tls_port_);
    WriteFile(dir_ + "/districts.json", json::array({district}).dump());
    province_->RestartService("federation");
    ASSERT_TRUE(PollFor(std::chrono::seconds(20),
                        [] { return province_->CallAnonymously("GET", "/readyz").status == 200; }));
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
    // Polled while a federation service restarts: an answer other than 200 is no link yet.
    HttpResponse status = suite.Call("GET", "/v1/federation/status");
    json body = status.status == 200 ? Suite::Json(status) : json();
    return body.contains("links") && !body["links"].empty() ? body["links"][0] : json();
  }

  static std::string dir_;
  static int province_tls_port_;
  static int district_tls_port_;
  static Suite* province_;
  static Suite* district_;
};

std::string FederationTest::dir_;
int FederationTest::province_tls_port_ = 0;
int FederationTest::district_tls_port_ = 0;
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
  // The same at each side's /metrics, for alerting.
  HttpResponse metrics = HttpCall(province_->MetricsPort("federation"), "GET", "/metrics");
  EXPECT_NE(
      metrics.body.find(
          R"(wahana_federation_link_messages{channel="aggregates",direction="inbound",peer="16.06"})"),
      std::string::npos)
      << metrics.body;
  HttpResponse district_metrics = HttpCall(district_->MetricsPort("federation"), "GET", "/metrics");
  EXPECT_NE(
      district_metrics.body.find(
          R"(wahana_federation_link_backlog{channel="aggregates",direction="outbound",peer="16"} 0)"),
      std::string::npos)
      << district_metrics.body;
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

// The district's relay killed (SIGKILL) while batches flow, restarted: every change arrives once.
TEST_F(FederationTest, ARelayKilledMidBatchDoubleCountsNothing) {
  std::thread creating([] {
    for (int i = 0; i < 40; ++i) CreateCase("fed-kill-" + std::to_string(i));
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  district_->StopService("federation", /*grace_ms=*/0);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  district_->RestartService("federation");
  creating.join();
  ASSERT_TRUE(PollFor(std::chrono::seconds(10),
                      [] { return Suite::Int64(LinkOf(*district_), "backlog") == 0; }));
  const int64_t district_total = DistrictTotal();
  EXPECT_TRUE(
      PollFor(std::chrono::seconds(30), [&] { return ProvinceRowOf("16.06") == district_total; }))
      << "province row 16.06: " << ProvinceRowOf("16.06") << ", district: " << district_total;
  std::this_thread::sleep_for(std::chrono::seconds(1));
  EXPECT_EQ(ProvinceRowOf("16.06"), district_total);

  // A province's counters cannot be rebuilt from its own records: the rebuild refuses.
  std::string output;
  EXPECT_EQ(province_->RunServiceCommand("reporting", "--rebuild", &output), 2) << output;
  EXPECT_NE(output.find("districts' figures"), std::string::npos) << output;
  EXPECT_EQ(ProvinceRowOf("16.06"), district_total);
}

// A case the district refers to the province opens a case there, once, naming where it came from.
TEST_F(FederationTest, ACaseReferredToTheProvinceOpensACaseThere) {
  json intake = {{"villageCode", "16.06.01.2001"},
                 {"category", "LANJUT_USIA_TELANTAR"},
                 {"kind", "INDIVIDUAL"},
                 {"summary", "Nenek hidup sendiri, butuh panti werdha"}};
  HttpResponse created = district_->Call("POST", "/v1/cases?requestId=fed-refer-1", intake.dump());
  ASSERT_EQ(created.status, 200) << created.body;
  json c = Suite::Json(created);
  const std::string id = c["id"];
  json refer = {{"etag", c["etag"]},
                {"target", "REFERRAL_PROVINCE"},
                {"reason", "Perlu layanan panti sosial tresna werdha"}};
  HttpResponse referred = district_->Call("POST", "/v1/cases/" + id + ":refer", refer.dump());
  ASSERT_EQ(referred.status, 200) << referred.body;

  auto opened = [&]() -> std::vector<json> {
    json list = Suite::Json(province_->Call("GET", "/v1/cases?region=16.06&pageSize=100"));
    std::vector<json> found;
    if (!list.contains("cases")) return found;
    for (const json& one : list["cases"]) {
      if (one.contains("referredFrom") && one["referredFrom"]["caseId"] == id) found.push_back(one);
    }
    return found;
  };
  // A relay restarted after a kill waits out its predecessor's lease (15 s) first.
  ASSERT_TRUE(PollFor(std::chrono::seconds(30), [&] { return !opened().empty(); }))
      << "no case opened at the province for the referral";
  json at_province = opened().front();
  EXPECT_EQ(at_province["referredFrom"]["region"], "16.06");
  EXPECT_EQ(at_province["referredFrom"]["caseNumber"], c["number"]);
  EXPECT_EQ(at_province["referredFrom"]["reason"], "Perlu layanan panti sosial tresna werdha");
  EXPECT_EQ(at_province["villageCode"], "16.06.01.2001");
  EXPECT_EQ(at_province["category"], "LANJUT_USIA_TELANTAR");
  EXPECT_EQ(at_province["status"], "INTAKE");
  // Once, however often the district's relay sends it.
  std::this_thread::sleep_for(std::chrono::seconds(1));
  EXPECT_EQ(opened().size(), 1u);

  // The province answers; the answer shows in the district's case, then the outcome.
  const std::string province_case = at_province["id"];
  auto answer = [&](const std::string& status, const std::string& text) {
    json now = Suite::Json(province_->Call("GET", "/v1/cases/" + province_case));
    json body = {{"etag", now["etag"]},
                 {"status", status},
                 {"answer", text},
                 {"reason", "Kapasitas panti tersedia"}};
    return province_->Call("POST", "/v1/cases/" + province_case + ":answerReferral", body.dump());
  };
  HttpResponse accepted = answer("REFERRAL_ACCEPTED", "Diterima di PSTW Budi Luhur");
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(Suite::Json(accepted)["referredFrom"]["status"], "REFERRAL_ACCEPTED");
  auto referral_at_district = [&]() -> json {
    json now = Suite::Json(district_->Call("GET", "/v1/cases/" + id));
    return now.contains("referrals") && !now["referrals"].empty() ? now["referrals"][0] : json();
  };
  ASSERT_TRUE(PollFor(std::chrono::seconds(30), [&] {
    return referral_at_district().value("status", "") == "REFERRAL_ACCEPTED";
  })) << referral_at_district().dump();
  EXPECT_EQ(referral_at_district()["answer"], "Diterima di PSTW Budi Luhur");
  json history = Suite::Json(district_->Call("GET", "/v1/cases/" + id + "/history"));
  ASSERT_TRUE(history.contains("actions")) << history.dump();
  const json& last = history["actions"].back();
  EXPECT_EQ(last["type"], "ACTION_UPDATE_REFERRAL");
  EXPECT_EQ(last["actor"], "province:16");
  EXPECT_NE(last.value("reason", "").find(at_province["number"].get<std::string>()),
            std::string::npos)
      << last.dump();

  // A decided referral is not decided again; its outcome follows.
  EXPECT_EQ(answer("REFERRAL_REJECTED", "Tidak jadi").status, 400);
  HttpResponse completed = answer("REFERRAL_COMPLETED", "Selesai, kembali ke keluarga");
  ASSERT_EQ(completed.status, 200) << completed.body;
  ASSERT_TRUE(PollFor(std::chrono::seconds(30), [&] {
    return referral_at_district().value("status", "") == "REFERRAL_COMPLETED";
  })) << referral_at_district().dump();
  // The province's link to the district shows the two answers.
  json status = Suite::Json(province_->Call("GET", "/v1/federation/status"));
  bool shown = false;
  for (const json& link : status["links"]) {
    if (link["direction"] == "outbound" && link["peer"] == "16.06" &&
        link["channel"] == "CHANNEL_REFERRAL_ANSWERS") {
      shown = Suite::Int64(link, "messages") == 2;
    }
  }
  EXPECT_TRUE(shown) << status.dump();
}

// Between deployments the federation port speaks TLS only: a plain call does not get through, a
// call with the certificate's CA reaches the service (which then wants a signature).
TEST_F(FederationTest, DeploymentsReachEachOtherOnlyWithTls) {
  const std::string target = "127.0.0.1:" + std::to_string(province_tls_port_);
  wahana::federation::v1::SignedBatch unsigned_batch;
  unsigned_batch.set_origin("16.06");
  auto call = [&](std::shared_ptr<grpc::ChannelCredentials> credentials) {
    auto stub = wahana::federation::v1::FederationService::NewStub(
        grpc::CreateChannel(target, std::move(credentials)));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    wahana::federation::v1::DeliverResponse response;
    return stub->Deliver(&context, unsigned_batch, &response).error_code();
  };
  EXPECT_EQ(call(grpc::InsecureChannelCredentials()), grpc::StatusCode::UNAVAILABLE);
  std::ifstream in(dir_ + "/tls_cert.pem");
  std::stringstream cert;
  cert << in.rdbuf();
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = cert.str();
  EXPECT_EQ(call(grpc::SslCredentials(options)), grpc::StatusCode::UNAUTHENTICATED);
}

// A province finds a person in its districts by NIK, says who did not answer, and both sides keep
// the question in their audit trails.
TEST_F(FederationTest, AProvinceLooksANikUpInItsDistricts) {
  const std::string nik = "1606015708790001";
  json siti = {{"nik", nik},
               {"kkNumber", "1606010101100001"},
               {"fullName", "Siti Nur'aini"},
               {"sex", "FEMALE"},
               {"birthDate", "1979-08-17"},
               {"villageCode", "16.06.01.2001"},
               {"address", "Dusun II RT 003"},
               {"ppksCategories", {"FAKIR_MISKIN"}}};
  HttpResponse created =
      district_->Call("POST", "/v1/beneficiaries?requestId=fed-siti", siti.dump());
  ASSERT_EQ(created.status, 200) << created.body;
  const std::string id = Suite::Json(created)["id"];

  HttpResponse found = province_->Call("GET", "/v1/federation/beneficiaries:lookup?nik=" + nik);
  ASSERT_EQ(found.status, 200) << found.body;
  json lookup = Suite::Json(found);
  ASSERT_EQ(lookup["matches"].size(), 1u) << found.body;
  EXPECT_EQ(lookup["matches"][0]["region"], "16.06");
  EXPECT_EQ(lookup["matches"][0]["id"], id);
  EXPECT_EQ(lookup["matches"][0]["fullName"], "Siti Nur'aini");
  EXPECT_EQ(lookup["matches"][0]["villageCode"], "16.06.01.2001");
  EXPECT_EQ(found.body.find("1979"), std::string::npos) << "least data: no birth date";
  EXPECT_EQ(lookup["asked"], json::array({"16.06"}));
  EXPECT_EQ(lookup["unanswered"], json::array()) << found.body;

  json nobody = Suite::Json(
      province_->Call("GET", "/v1/federation/beneficiaries:lookup?nik=1606015708790009"));
  EXPECT_EQ(nobody["matches"], json::array()) << nobody.dump();
  HttpResponse malformed = province_->Call("GET", "/v1/federation/beneficiaries:lookup?nik=1606");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_NE(malformed.body.find("nik"), std::string::npos) << malformed.body;
  // Who may not see NIKs may not look them up.
  HttpResponse viewer_key = province_->Call(
      "POST", "/v1/apiKeys", R"({"name":"Pengamat","role":"VIEWER","regionScope":"16"})");
  ASSERT_EQ(viewer_key.status, 200) << viewer_key.body;
  const std::string viewer = Suite::Json(viewer_key)["secret"];
  EXPECT_EQ(province_
                ->Call("GET", "/v1/federation/beneficiaries:lookup?nik=" + nik, "",
                       {{"Authorization", "Bearer " + viewer}})
                .status,
            403);
  // A district looks nobody up in others.
  EXPECT_EQ(district_->Call("GET", "/v1/federation/beneficiaries:lookup?nik=" + nik).status, 400);

  // Both trails hold the question: the province's with who asked, the district's registry's with
  // the read its federation service made.
  auto province_trail =
      province_->redis().Client()->Command({"XRANGE", "federation:{16}:audit", "-", "+"});
  ASSERT_TRUE(province_trail.ok());
  bool asked_logged = false;
  for (const RedisReply& entry : province_trail->elements) {
    for (const RedisReply& field : entry.elements[1].elements) {
      asked_logged = asked_logged || (field.str.find("LookupBeneficiary") != std::string::npos &&
                                      field.str.find("apikey:") != std::string::npos);
    }
  }
  EXPECT_TRUE(asked_logged) << "no LookupBeneficiary entry with its asker in the province's trail";
  auto district_trail =
      district_->redis().Client()->Command({"XRANGE", "registry:{16.06}:audit", "-", "+"});
  ASSERT_TRUE(district_trail.ok());
  bool read_logged = false;
  for (const RedisReply& entry : district_trail->elements) {
    for (const RedisReply& field : entry.elements[1].elements) {
      read_logged = read_logged || (field.str.find("LookupBeneficiary") != std::string::npos &&
                                    field.str.find("service:federation") != std::string::npos);
    }
  }
  EXPECT_TRUE(read_logged) << "no look-up by service:federation in the district registry's trail";

  // A district away is named, within the deadline.
  district_->StopService("federation", /*grace_ms=*/0);
  const auto start = std::chrono::steady_clock::now();
  json away = Suite::Json(province_->Call("GET", "/v1/federation/beneficiaries:lookup?nik=" + nik));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
  EXPECT_EQ(away["unanswered"], json::array({"16.06"})) << away.dump();
  EXPECT_EQ(away["matches"], json::array());
  district_->RestartService("federation");
}

}  // namespace
}  // namespace wahana::testing
