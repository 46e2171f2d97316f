// The OWASP API Security Top 10 (2023) against the whole suite as processes: one test per item
// that applies, named after it; for an item that does not apply, a comment says why.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_split.h"
#include "common/registry/registry_records.h"
#include "gateway/gateway_config.h"
#include "gateway/route_table.h"
#include "support/suite.h"
#include "support/suite_test.h"
#include "support/test_auth.h"

namespace wahana::testing {
namespace {

using nlohmann::json;

constexpr char kVillage[] = "16.06.01.2001";

class OwaspApiTop10E2eTest : public SuiteTest {
 protected:
  static std::map<std::string, std::string> Bearer(const std::string& token) {
    return {{"Authorization", "Bearer " + token}};
  }
  static std::map<std::string, std::string> As(Role role, const std::string& scope = "16.06") {
    return Bearer(TestToken(Principal{"owasp:" + std::string(RoleName(role)), "", role, scope}));
  }
  // As the bootstrap ADMIN; expects 200.
  // The etag of case `id` as read now (every step of a case requires it).
  static std::string CaseEtag(const std::string& id) {
    return Admin("GET", "/v1/cases/" + id, nullptr).value("etag", "");
  }
  static json Admin(const std::string& method, const std::string& target, const json& body) {
    HttpResponse r = suite_->Call(method, target, body.is_null() ? "" : body.dump());
    EXPECT_EQ(r.status, 200) << method << " " << target << ": " << r.body;
    return Suite::Json(r);
  }
  static std::string NewBeneficiary(const std::string& nik) {
    return Admin("POST", "/v1/beneficiaries",
                 {{"nik", nik},
                  {"fullName", "Warga Uji OWASP"},
                  {"sex", "FEMALE"},
                  {"birthDate", "1960-01-01"},
                  {"villageCode", kVillage},
                  {"ppksCategories", {"FAKIR_MISKIN"}}})
        .value("id", "");
  }
  static json NewCase(const json& extra = json::object()) {
    json body = {{"villageCode", kVillage},
                 {"category", "ANAK_TELANTAR"},
                 {"kind", "INDIVIDUAL"},
                 {"reporter", {{"kind", "PUBLIC"}, {"name", "Pelapor OWASP"}, {"contact", "0812"}}},
                 {"summary", "Kasus uji OWASP"}};
    body.update(extra);
    return Admin("POST", "/v1/cases", body);
  }
};

// API1: another region's record by its id is absent, with the words of an unknown id.
TEST_F(OwaspApiTop10E2eTest, API1_BrokenObjectLevelAuthorization) {
  const std::string c = NewCase().value("id", "");
  const std::string b = NewBeneficiary("1606015703480101");
  const std::string e = Admin("POST", "/v1/events",
                              {{"kind", "SOSIALISASI"},
                               {"title", "Sosialisasi OWASP"},
                               {"regionCode", kVillage},
                               {"startTime", "2026-06-01T02:00:00Z"}})
                            .value("id", "");
  const auto lais = As(Role::kAdmin, "16.06.02");
  for (const std::string& target : {"/v1/cases/" + c, "/v1/cases/" + c + "/history",
                                    "/v1/events/" + e, "/v1/beneficiaries/" + b}) {
    HttpResponse r = suite_->Call("GET", target, "", lais);
    EXPECT_EQ(r.status, 404) << target << ": " << r.body;
    EXPECT_EQ(r.body.find("OWASP"), std::string::npos) << r.body;
  }
  HttpResponse refused = suite_->Call("GET", "/v1/cases/" + c, "", lais);
  const std::string unknown_id = "01HZX5J6Q0W6Z9V3K8N2M4P7Q9";
  HttpResponse unknown = suite_->Call("GET", "/v1/cases/" + unknown_id);
  ASSERT_EQ(unknown.status, 404);
  EXPECT_EQ(Suite::Json(refused)["message"], "case " + c + " not found");
  EXPECT_EQ(Suite::Json(unknown)["message"], "case " + unknown_id + " not found");
  // Changing it is as blind.
  HttpResponse note =
      suite_->Call("POST", "/v1/cases/" + c + "/notes", R"({"etag":"1","text":"x"})", lais);
  EXPECT_EQ(note.status, 404) << note.body;
  EXPECT_EQ(Admin("GET", "/v1/cases/" + c, nullptr)["noteCount"].get<int>(), 0);
}

// API2: missing, malformed, forged, expired and unsigned credentials are all 401.
TEST_F(OwaspApiTop10E2eTest, API2_BrokenAuthentication) {
  const Principal admin = TestAdmin();
  auto expired_minter = TestTokenMinter();
  absl::StatusOr<std::string> expired = expired_minter->MintAt(admin, absl::Now() - absl::Hours(2));
  ASSERT_TRUE(expired.ok()) << expired.status();
  const std::string good = TestToken(admin);
  std::vector<std::string> parts = absl::StrSplit(good, '.');
  ASSERT_EQ(parts.size(), 3u);
  const std::string alg_none =
      absl::WebSafeBase64Escape(R"({"alg":"none","typ":"JWT"})") + "." + parts[1] + ".";
  const std::string other_secret =
      *(*TokenMinter::Create("an-entirely-different-secret-0123456789", absl::Minutes(5)))
           ->Mint(admin);
  // The payload of a VIEWER with an ADMIN's signature.
  std::vector<std::string> viewer_parts =
      absl::StrSplit(TestToken(Principal{"x", "", Role::kViewer, "16.06"}), '.');
  const std::string spliced = parts[0] + "." + viewer_parts[1] + "." + parts[2];

  for (const auto& headers : std::vector<std::map<std::string, std::string>>{
           {},
           {{"Authorization", "Bearer"}},
           {{"Authorization", "Bearer not-a-token"}},
           {{"Authorization", "Bearer " + *expired}},
           {{"Authorization", "Bearer " + alg_none}},
           {{"Authorization", "Bearer " + other_secret}},
           {{"Authorization", "Bearer " + spliced}},
           {{"X-Api-Key", "wk_0123456789abcdef_notarealsecretnotarealsecret"}},
           // Well signed, but posing as an API key, a process of the suite, or the suite itself.
           Bearer(TestToken(Principal{"apikey:b5a206a471baba01", "", Role::kAdmin, "16.06"})),
           Bearer(TestToken(Principal{"service:registry", "", Role::kAdmin, "16.06"})),
           Bearer(TestToken(Principal{" System", "", Role::kAdmin, "16.06"})),
           Bearer(TestToken(Principal{"owasp:client", "", Role::kSystem, "16.06"})),
       }) {
    HttpResponse r = suite_->CallAnonymously("GET", "/v1/cases", "", headers);
    EXPECT_EQ(r.status, 401) << (headers.empty() ? "none" : headers.begin()->second) << ": "
                             << r.body;
    EXPECT_EQ(r.headers.count("www-authenticate"), 1u);
  }
  EXPECT_EQ(suite_->CallAnonymously("GET", "/v1/cases", "", Bearer(good)).status, 200);
}

// API3: fields the server sets cannot be set by a client; roles without personal data get it
// masked or left out.
TEST_F(OwaspApiTop10E2eTest, API3_BrokenObjectPropertyLevelAuthorization) {
  json c = NewCase({{"id", "01ARZ3NDEKTSV4RRFFQ69G5FAV"},
                    {"number", "99.99-1999-999999"},
                    {"status", "CLOSED"},
                    {"etag", "42"},
                    {"assigneeWorkerId", "01HZX5J6Q0W6Z9V3K8N2M4P7W1"},
                    {"noteCount", 7},
                    {"subjectArchived", true},
                    {"plan", {{"approved", true}, {"approvedBy", "me"}}}});
  EXPECT_NE(c.value("id", ""), "01ARZ3NDEKTSV4RRFFQ69G5FAV");
  EXPECT_NE(c.value("number", ""), "99.99-1999-999999");
  EXPECT_EQ(c.value("status", ""), "INTAKE");
  EXPECT_EQ(c.value("etag", ""), "1");
  // The gateway writes every field, defaults included: the server's values, not the client's.
  EXPECT_EQ(c.value("assigneeWorkerId", ""), "");
  EXPECT_EQ(c.value("noteCount", -1), 0);
  EXPECT_EQ(c.value("subjectArchived", true), false);
  EXPECT_EQ(c.value("plan", json::object()).value("approved", false), false);
  EXPECT_EQ(c.value("plan", json::object()).value("approvedBy", ""), "");
  const std::string id = c.value("id", "");
  // A server field in an update mask is refused (registry).
  const std::string inst =
      Admin("POST", "/v1/institutions",
            {{"kind", "PKK"}, {"name", "PKK OWASP"}, {"villageCode", kVillage}})
          .value("id", "");
  EXPECT_EQ(suite_
                ->Call("PATCH", "/v1/institutions/" + inst + "?updateMask=archived",
                       R"({"etag":"1","archived":true})")
                .status,
            400);

  // A VIEWER: the NIK masked, the reporter of a case and confidential notes left out.
  const std::string b = NewBeneficiary("1606015703480102");
  HttpResponse person = suite_->Call("GET", "/v1/beneficiaries/" + b, "", As(Role::kViewer));
  ASSERT_EQ(person.status, 200) << person.body;
  EXPECT_EQ(person.body.find("1606015703480102"), std::string::npos) << person.body;
  Admin("POST", "/v1/cases/" + id + "/notes",
        {{"etag", CaseEtag(id)}, {"text", "rahasia keluarga"}, {"confidential", true}});
  HttpResponse read = suite_->Call("GET", "/v1/cases/" + id, "", As(Role::kViewer));
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(read.body.find("Pelapor OWASP"), std::string::npos) << read.body;
  HttpResponse history =
      suite_->Call("GET", "/v1/cases/" + id + "/history", "", As(Role::kOperator));
  ASSERT_EQ(history.status, 200) << history.body;
  EXPECT_EQ(history.body.find("rahasia keluarga"), std::string::npos) << history.body;
  HttpResponse supervisor =
      suite_->Call("GET", "/v1/cases/" + id + "/history", "", As(Role::kSupervisor));
  EXPECT_NE(supervisor.body.find("rahasia keluarga"), std::string::npos) << supervisor.body;
}

// API4: body size, page size, JSON depth and the per-principal rate are bounded.
TEST_F(OwaspApiTop10E2eTest, API4_UnrestrictedResourceConsumption) {
  std::string huge = R"({"summary":")" + std::string((1 << 20) + 16, 'a') + R"("})";
  EXPECT_EQ(suite_->Call("POST", "/v1/cases", huge).status, 413);
  EXPECT_EQ(suite_->Call("GET", "/v1/cases?pageSize=501").status, 400);
  EXPECT_EQ(suite_->Call("GET", "/v1/beneficiaries?pageSize=501").status, 400);
  std::string deep = R"({"summary":)" + std::string(200, '[') + std::string(200, ']') + "}";
  HttpResponse nested = suite_->Call("POST", "/v1/cases", deep);
  EXPECT_EQ(nested.status, 400) << nested.body;

  // A tiny rate in a suite of its own: the bucket empties, 429 says when to come back.
  Suite limited({{"WAHANA_RATE_LIMIT_PER_SECOND", "1"}, {"WAHANA_RATE_LIMIT_BURST", "3"}});
  ASSERT_TRUE(limited.Start());
  HttpResponse last;
  for (int i = 0; i < 10 && last.status != 429; ++i)
    last = limited.Call("GET", "/v1/regions/16.06");
  ASSERT_EQ(last.status, 429) << last.body;
  ASSERT_EQ(last.headers.count("retry-after"), 1u);
  EXPECT_GE(std::stoi(last.headers.at("retry-after")), 1);
}

// API5: functions above a role are refused, whatever the record.
TEST_F(OwaspApiTop10E2eTest, API5_BrokenFunctionLevelAuthorization) {
  HttpResponse key =
      suite_->Call("POST", "/v1/apiKeys", R"({"name":"x","role":"ADMIN","regionScope":"16.06"})",
                   As(Role::kOperator));
  EXPECT_EQ(key.status, 403) << key.body;
  EXPECT_EQ(suite_->Call("GET", "/v1/apiKeys", "", As(Role::kSupervisor)).status, 403);
  HttpResponse write = suite_->Call("POST", "/v1/cases",
                                    json({{"villageCode", kVillage},
                                          {"category", "ANAK_TELANTAR"},
                                          {"kind", "INDIVIDUAL"},
                                          {"summary", "x"}})
                                        .dump(),
                                    As(Role::kViewer));
  EXPECT_EQ(write.status, 403) << write.body;
  const std::string id = NewCase().value("id", "");
  EXPECT_EQ(suite_
                ->Call("POST", "/v1/cases/" + id + ":assess", R"({"etag":"1","problem":"x"})",
                       As(Role::kViewer))
                .status,
            403);
  // An operator runs cases but approves no plan.
  Admin("POST", "/v1/cases/" + id + ":assess", {{"etag", CaseEtag(id)}, {"problem", "x"}});
  Admin("POST", "/v1/cases/" + id + ":plan",
        {{"etag", CaseEtag(id)}, {"goals", {{{"goal", "sekolah"}}}}});
  const std::string approve = json({{"etag", CaseEtag(id)}}).dump();
  EXPECT_EQ(
      suite_->Call("POST", "/v1/cases/" + id + ":approvePlan", approve, As(Role::kOperator)).status,
      403);
  EXPECT_EQ(suite_->Call("POST", "/v1/cases/" + id + ":approvePlan", approve, As(Role::kSupervisor))
                .status,
            200);
}

// API6 (unrestricted access to sensitive business flows) does not apply as such: the suite has no
// flow whose automated use harms the business by itself (no purchase, booking or sign-up); the
// flows that matter (case intake, imports) need a role that may create in the region (API5) and
// are bounded per principal by the rate limit (API4).

// API7 (server-side request forgery) does not apply: no route fetches a URL or host a client
// supplies; the gateway and the services call only the addresses of their configuration.

// API8: security headers on every answer, CORS off unless configured, errors without internals.
TEST_F(OwaspApiTop10E2eTest, API8_SecurityMisconfiguration) {
  for (const HttpResponse& r :
       {suite_->Call("GET", "/v1/regions/16.06"), suite_->Call("GET", "/v1/nothing-here"),
        suite_->CallAnonymously("GET", "/v1/cases"), suite_->Call("POST", "/v1/cases", "{")}) {
    EXPECT_EQ(r.headers.count("x-content-type-options"), 1u) << r.status;
    EXPECT_EQ(r.headers.count("x-frame-options"), 1u) << r.status;
    EXPECT_EQ(r.headers.count("content-security-policy"), 1u) << r.status;
    EXPECT_EQ(r.headers.count("cache-control"), 1u) << r.status;
    EXPECT_EQ(r.headers.count("access-control-allow-origin"), 0u) << r.status;
    for (const char* internal : {"/work/", ".cc", "std::", "terminate", "exception", "Traceback",
                                 "redis", "hiredis", "127.0.0.1"}) {
      EXPECT_EQ(r.body.find(internal), std::string::npos) << internal << " in " << r.body;
    }
  }
  HttpResponse preflight = suite_->CallAnonymously(
      "OPTIONS", "/v1/cases", "",
      {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(preflight.headers.count("access-control-allow-origin"), 0u);
  HttpResponse cross =
      suite_->Call("GET", "/v1/regions/16.06", "", {{"Origin", "https://evil.example"}});
  EXPECT_EQ(cross.headers.count("access-control-allow-origin"), 0u);
}

// API9: /openapi.json documents every route the gateway serves, and nothing undocumented answers.
TEST_F(OwaspApiTop10E2eTest, API9_ImproperInventoryManagement) {
  HttpResponse doc = suite_->CallAnonymously("GET", "/openapi.json");
  ASSERT_EQ(doc.status, 200);
  json paths = Suite::Json(doc).value("paths", json::object());
  std::vector<std::string> services;
  for (const BackendSetting& b : BackendSettings()) {
    if (std::string(b.address_setting) != "WAHANA_ECHO_ADDR") services.push_back(b.service);
  }
  services.push_back("wahana.auth.v1.ApiKeyService");
  services.push_back("wahana.audit.v1.AuditService");  // routed per subject (audit_routing.h)
  absl::StatusOr<RouteTable> table = RouteTable::Build(services);
  ASSERT_TRUE(table.ok()) << table.status();
  size_t operations = 0;
  for (const auto& [path, methods] : paths.items()) operations += methods.size();
  EXPECT_EQ(operations, table->routes().size()) << "documented operations vs routes";
  for (const Route& route : table->routes()) {
    std::string method = route.http_method;
    for (char& ch : method) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    EXPECT_TRUE(paths.contains(route.path.text()) && paths[route.path.text()].contains(method))
        << route.http_method << " " << route.path.text() << " is not documented";
  }
  // Old versions, debug and test routes, and the benchmark echo are not served.
  for (const char* target :
       {"/v2/cases", "/v0/cases", "/v1/echo", "/debug", "/v1/admin", "/v1/cases/x/y/z", "/.env"}) {
    HttpResponse r = suite_->Call("GET", target);
    EXPECT_EQ(r.status, 404) << target << ": " << r.body;
    r = suite_->Call("POST", target, "{}");
    EXPECT_TRUE(r.status == 404 || r.status == 405) << target << ": " << r.status;
  }
}

// API10: what the case service consumes from the registry is validated (an unknown subject is
// refused naming the field, not taken on trust), and its calls to the registry are bounded by a
// deadline.
TEST_F(OwaspApiTop10E2eTest, API10_UnsafeConsumptionOfApis) {
  HttpResponse unknown = suite_->Call("POST", "/v1/cases",
                                      json({{"villageCode", kVillage},
                                            {"category", "ANAK_TELANTAR"},
                                            {"kind", "INDIVIDUAL"},
                                            {"beneficiaryId", "01HZX5J6Q0W6Z9V3K8N2M4P7Q9"},
                                            {"summary", "subjek tidak dikenal"}})
                                          .dump());
  // 404 naming the field: an unknown subject answers as one the caller may not read.
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  EXPECT_EQ(Suite::Json(unknown).value("message", "").rfind("beneficiaryId:", 0), 0u)
      << unknown.body;

  // A "registry" that accepts connections and never answers: the call ends at its deadline.
  int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(::listen(listener, 16), 0);
  socklen_t length = sizeof(address);
  ASSERT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length), 0);
  GrpcRegistryRecords silent("127.0.0.1:" + std::to_string(ntohs(address.sin_port)),
                             std::chrono::milliseconds(300));
  auto start = std::chrono::steady_clock::now();
  absl::StatusOr<registry::v1::Beneficiary> got =
      silent.GetBeneficiary("01HZX5J6Q0W6Z9V3K8N2M4P7Q9");
  auto took = std::chrono::steady_clock::now() - start;
  ::close(listener);
  EXPECT_EQ(got.status().code(), absl::StatusCode::kUnavailable) << got.status();
  EXPECT_LT(took, std::chrono::seconds(3)) << "the registry call was not bounded";
}

}  // namespace
}  // namespace wahana::testing
