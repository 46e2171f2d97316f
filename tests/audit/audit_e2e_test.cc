// The audit trail through the whole suite as processes (issue 4): an operator reads and writes a
// case and a beneficiary through the gateway; a supervisor's GET /v1/audit?subject=... shows who,
// role, action, outcome, request id and client address; an operator is refused (403), another
// subdistrict's supervisor sees nothing (404); a refused read is on the trail with its outcome;
// the person's data export (UU 27/2022 art. 32) holds the record, household, cases and both
// services' trails and is audited itself; a list naming cases of two subdistricts shows each
// supervisor only its own; an index edited in Redis shows nothing foreign; a direct gRPC
// caller's x-forwarded-for is not recorded; `wahana-audit verify` passes the untouched trails and
// names a removed entry, a moved head, a foreign index entry, a rewritten readable copy or a
// forged second entry in one message.

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "support/child_process.h"
#include "support/suite.h"
#include "support/suite_test.h"
#include "support/test_auth.h"
#include "wahana/audit/v1/audit.pb.h"
#include "wahana/cases/v1/case.grpc.pb.h"

namespace wahana::testing {
namespace {

using nlohmann::json;

constexpr char kVillage[] = "16.06.01.2001";
constexpr char kOtherVillage[] = "16.06.02.2001";

class AuditE2eTest : public SuiteTest {
 protected:
  static void SetUpTestSuite() {
    SuiteTest::SetUpTestSuite();
    if (started_) Work();
  }

  static HttpResponse As(const Principal& principal, const std::string& method,
                         const std::string& target, const json& body = nullptr,
                         const std::string& request_id = "") {
    std::map<std::string, std::string> headers = {
        {"Authorization", "Bearer " + TestToken(principal)}};
    if (!request_id.empty()) headers["X-Request-Id"] = request_id;
    return suite_->Call(method, target, body.is_null() ? "" : body.dump(), headers);
  }

  // The operator's day: a beneficiary and a case created, read, changed; a refused read.
  static void Work() {
    HttpResponse b = As(kOperator, "POST", "/v1/beneficiaries",
                        {{"nik", "1606015703480091"},
                         {"fullName", "Ibu Jejak Audit"},
                         {"sex", "FEMALE"},
                         {"birthDate", "1948-03-17"},
                         {"villageCode", kVillage},
                         {"ppksCategories", {"LANJUT_USIA_TELANTAR"}}},
                        "audit-e2e-create-beneficiary");
    ASSERT_EQ(b.status, 200) << b.body;
    beneficiary_ = Suite::Json(b).value("id", "");
    HttpResponse c = As(kOperator, "POST", "/v1/cases",
                        {{"villageCode", kVillage},
                         {"category", "LANJUT_USIA_TELANTAR"},
                         {"kind", "INDIVIDUAL"},
                         {"beneficiaryId", beneficiary_},
                         {"summary", "Kasus jejak audit"}},
                        "audit-e2e-create-case");
    ASSERT_EQ(c.status, 200) << c.body;
    case_ = Suite::Json(c).value("id", "");
    ASSERT_EQ(As(kOperator, "GET", "/v1/cases/" + case_, nullptr, "audit-e2e-get-case").status,
              200);
    ASSERT_EQ(As(kOperator, "GET", "/v1/beneficiaries/" + beneficiary_, nullptr,
                 "audit-e2e-get-beneficiary")
                  .status,
              200);
    HttpResponse noted =
        As(kOperator, "POST", "/v1/cases/" + case_ + "/notes",
           {{"etag", Suite::Json(As(kOperator, "GET", "/v1/cases/" + case_)).value("etag", "")},
            {"text", "kunjungan rumah"}},
           "audit-e2e-note");
    ASSERT_EQ(noted.status, 200) << noted.body;
    HttpResponse h = As(kOperator, "POST", "/v1/households",
                        {{"kkNumber", "1606010101200091"},
                         {"villageCode", kVillage},
                         {"address", "Dusun Jejak"},
                         {"members", {{{"beneficiaryId", beneficiary_}, {"relation", "HEAD"}}}}});
    ASSERT_EQ(h.status, 200) << h.body;
    household_ = Suite::Json(h).value("id", "");
    // An institution (no personal data): its writes are audited, its reads are not.
    HttpResponse i =
        As(kOperator, "POST", "/v1/institutions",
           {{"kind", "PKK"}, {"name", "TP PKK Jejak Audit"}, {"villageCode", kVillage}},
           "audit-e2e-create-institution");
    ASSERT_EQ(i.status, 200) << i.body;
    institution_ = Suite::Json(i).value("id", "");
    ASSERT_EQ(As(kOperator, "GET", "/v1/institutions/" + institution_, nullptr,
                 "audit-e2e-get-institution")
                  .status,
              200);
    // A network (no personal data) and a worker (personal data: its NIK): both writes audited,
    // and the worker's read too.
    HttpResponse n = As(kOperator, "POST", "/v1/networks",
                        {{"kind", "RW"},
                         {"rw", "009"},
                         {"name", "WKSBM RW 009 Jejak Audit"},
                         {"villageCode", kVillage}},
                        "audit-e2e-create-network");
    ASSERT_EQ(n.status, 200) << n.body;
    network_ = Suite::Json(n).value("id", "");
    ASSERT_EQ(
        As(kOperator, "GET", "/v1/networks/" + network_, nullptr, "audit-e2e-get-network").status,
        200);
    HttpResponse w = As(kOperator, "POST", "/v1/workers",
                        {{"kind", "PSM"},
                         {"nik", "1606011203850091"},
                         {"fullName", "Pekerja Jejak Audit"},
                         {"villageCode", kVillage}},
                        "audit-e2e-create-worker");
    ASSERT_EQ(w.status, 200) << w.body;
    worker_ = Suite::Json(w).value("id", "");
    ASSERT_EQ(
        As(kOperator, "GET", "/v1/workers/" + worker_, nullptr, "audit-e2e-get-worker").status,
        200);
    // An API key made and revoked by the admin: both on the gateway's trail.
    HttpResponse k =
        As(kAdmin, "POST", "/v1/apiKeys",
           {{"name", "Aplikasi Puskesmas"}, {"role", "VIEWER"}, {"regionScope", "16.06"}},
           "audit-e2e-create-key");
    ASSERT_EQ(k.status, 200) << k.body;
    api_key_ = Suite::Json(k)["key"].value("id", "");
    api_key_secret_ = Suite::Json(k).value("secret", "");
    ASSERT_EQ(
        As(kAdmin, "DELETE", "/v1/apiKeys/" + api_key_, nullptr, "audit-e2e-revoke-key").status,
        200);
    // Another subdistrict's operator may not see the case: 404, and on the trail.
    ASSERT_EQ(As(kOtherOperator, "GET", "/v1/cases/" + case_, nullptr, "audit-e2e-refused").status,
              404);
    // A case in another subdistrict (Lais, 16.06.02), then one list naming both cases.
    HttpResponse ob = As(kOperator, "POST", "/v1/beneficiaries",
                         {{"nik", "1606025703480092"},
                          {"fullName", "Bapak Jejak Lais"},
                          {"sex", "MALE"},
                          {"birthDate", "1950-05-01"},
                          {"villageCode", kOtherVillage},
                          {"ppksCategories", {"LANJUT_USIA_TELANTAR"}}});
    ASSERT_EQ(ob.status, 200) << ob.body;
    HttpResponse oc = As(kOperator, "POST", "/v1/cases",
                         {{"villageCode", kOtherVillage},
                          {"category", "LANJUT_USIA_TELANTAR"},
                          {"kind", "INDIVIDUAL"},
                          {"beneficiaryId", Suite::Json(ob).value("id", "")},
                          {"summary", "Kasus jejak audit di Lais"}});
    ASSERT_EQ(oc.status, 200) << oc.body;
    other_case_ = Suite::Json(oc).value("id", "");
    HttpResponse list = As(kOperator, "GET", "/v1/cases?category=LANJUT_USIA_TELANTAR", nullptr,
                           "audit-e2e-list-cases");
    ASSERT_EQ(list.status, 200) << list.body;
    ASSERT_NE(list.body.find(other_case_), std::string::npos) << list.body;
    ASSERT_NE(list.body.find(case_), std::string::npos) << list.body;
  }

  static json Entries(const Principal& who, const std::string& subject, int* status = nullptr) {
    HttpResponse r = As(who, "GET", "/v1/audit?subject=" + subject);
    if (status != nullptr) *status = r.status;
    return Suite::Json(r);
  }

  // The entry of `action` with `request_id`, or null.
  static json Find(const json& entries, const std::string& action, const std::string& request_id) {
    for (const json& e : entries.value("entries", json::array())) {
      if (e.value("action", "") == action && e.value("requestId", "") == request_id) return e;
    }
    return nullptr;
  }

  // Runs wahana-audit with the suite's environment, as the deployment's read-only "audit" Redis
  // user; the exit code, output in `output`.
  static int RunAudit(const std::string& args, std::string* output) {
    std::string command = absl::StrCat(
        "env WAHANA_REGION=16.06 WAHANA_REDIS_HOST=127.0.0.1 WAHANA_REDIS_PORT=",
        suite_->redis().port(), " WAHANA_TOKEN_SECRET_FILE=", suite_->token_secret_file());
    for (const auto& [name, value] : suite_->RedisLogin("audit")) {
      absl::StrAppend(&command, " ", name, "='", value, "'");
    }
    absl::StrAppend(&command, " ", WAHANA_AUDIT_BIN, " ", args, " 2>&1");
    return RunCommand(command, output);
  }

  static inline const Principal kOperator{"e2e:operator-sekayu", "Operator Sekayu", Role::kOperator,
                                          "16.06"};
  static inline const Principal kOtherOperator{"e2e:operator-lais", "", Role::kOperator,
                                               "16.06.02"};
  static inline const Principal kSupervisor{"e2e:supervisor", "", Role::kSupervisor, "16.06"};
  static inline const Principal kOtherSupervisor{"e2e:supervisor-lais", "", Role::kSupervisor,
                                                 "16.06.02"};
  static inline const Principal kAdmin{"e2e:admin", "", Role::kAdmin, "16.06"};
  static inline const Principal kSekayuSupervisor{"e2e:supervisor-sekayu", "", Role::kSupervisor,
                                                  "16.06.01"};
  static inline std::string beneficiary_, case_, other_case_, household_, institution_, network_,
      worker_, api_key_, api_key_secret_;
};

TEST_F(AuditE2eTest, SupervisorSeesWhoDidWhatToACase) {
  int status = 0;
  json entries = Entries(kSupervisor, "cases/" + case_, &status);
  ASSERT_EQ(status, 200) << entries.dump();
  json get = Find(entries, "GetCase", "audit-e2e-get-case");
  ASSERT_FALSE(get.is_null()) << entries.dump(2);
  EXPECT_EQ(get.value("principalId", ""), "e2e:operator-sekayu");
  EXPECT_EQ(get.value("principalName", ""), "Operator Sekayu");
  EXPECT_EQ(get.value("role", ""), "OPERATOR");
  EXPECT_EQ(get.value("subject", ""), "cases/" + case_);
  EXPECT_EQ(get.value("recordRegion", ""), kVillage);
  EXPECT_EQ(get.value("outcomeCode", ""), "OK");
  EXPECT_EQ(get.value("service", ""), "case");
  // The HTTP client, as the gateway saw it; the gRPC peer is the gateway.
  EXPECT_EQ(get.value("clientAddress", ""), "127.0.0.1");
  EXPECT_NE(get.value("peer", "").find("127.0.0.1"), std::string::npos);
  EXPECT_FALSE(get.value("time", "").empty());

  json create = Find(entries, "CreateCase", "audit-e2e-create-case");
  ASSERT_FALSE(create.is_null()) << entries.dump(2);
  EXPECT_EQ(create.value("outcomeCode", ""), "OK");
  json note = Find(entries, "AddCaseNote", "audit-e2e-note");
  ASSERT_FALSE(note.is_null()) << entries.dump(2);
  EXPECT_EQ(note.value("outcomeCode", ""), "OK");
  // Oldest first.
  EXPECT_LT(Suite::Int64(create, "sequence"), Suite::Int64(get, "sequence"));
}

TEST_F(AuditE2eTest, RefusedReadIsOnTheTrailWithItsOutcome) {
  json entries = Entries(kSupervisor, "cases/" + case_);
  json refused = Find(entries, "GetCase", "audit-e2e-refused");
  ASSERT_FALSE(refused.is_null()) << entries.dump(2);
  EXPECT_EQ(refused.value("principalId", ""), "e2e:operator-lais");
  EXPECT_EQ(refused.value("regionScope", ""), "16.06.02");
  EXPECT_EQ(refused.value("outcomeCode", ""), "NOT_FOUND");
}

TEST_F(AuditE2eTest, SupervisorSeesTheBeneficiarysTrailOnTheRegistry) {
  int status = 0;
  json entries = Entries(kSupervisor, "beneficiaries/" + beneficiary_, &status);
  ASSERT_EQ(status, 200) << entries.dump();
  json create = Find(entries, "CreateBeneficiary", "audit-e2e-create-beneficiary");
  ASSERT_FALSE(create.is_null()) << entries.dump(2);
  EXPECT_EQ(create.value("service", ""), "registry");
  EXPECT_EQ(create.value("role", ""), "OPERATOR");
  json get = Find(entries, "GetBeneficiary", "audit-e2e-get-beneficiary");
  ASSERT_FALSE(get.is_null()) << entries.dump(2);
  EXPECT_EQ(get.value("clientAddress", ""), "127.0.0.1");
  // The trail names no personal identifier: the NIK is not in it.
  EXPECT_EQ(entries.dump().find("1606015703480091"), std::string::npos);
}

TEST_F(AuditE2eTest, OthersAreRefused) {
  int status = 0;
  json body = Entries(kOperator, "cases/" + case_, &status);
  EXPECT_EQ(status, 403) << body.dump();
  body = Entries(kOtherSupervisor, "cases/" + case_, &status);
  EXPECT_EQ(status, 404) << body.dump();
  EXPECT_EQ(body.dump().find("e2e:operator"), std::string::npos);
  body = Entries(kSupervisor, "reports/x", &status);
  EXPECT_EQ(status, 400) << body.dump();
  EXPECT_NE(body.dump().find("subject"), std::string::npos) << body.dump();
  body = Entries(kSupervisor, "cases/01NOSUCHCASE", &status);
  EXPECT_EQ(status, 404) << body.dump();
}

TEST_F(AuditE2eTest, PersonalDataExportHoldsTheRecordCasesAndTrailAndIsAudited) {
  HttpResponse r = As(kOperator, "GET", "/v1/beneficiaries/" + beneficiary_ + ":exportPersonalData",
                      nullptr, "audit-e2e-export");
  ASSERT_EQ(r.status, 200) << r.body;
  json out = Suite::Json(r);
  EXPECT_EQ(out["beneficiary"].value("nik", ""), "1606015703480091");  // in full
  EXPECT_FALSE(out.value("exportTime", "").empty());
  ASSERT_EQ(out.value("households", json::array()).size(), 1u) << r.body;
  EXPECT_EQ(out["households"][0].value("id", ""), household_);
  ASSERT_EQ(out.value("cases", json::array()).size(), 1u) << r.body;
  EXPECT_EQ(out["cases"][0].value("id", ""), case_);
  json processing = {{"entries", out.value("processing", json::array())}};
  json created = Find(processing, "CreateBeneficiary", "audit-e2e-create-beneficiary");
  ASSERT_FALSE(created.is_null()) << r.body;
  EXPECT_EQ(created.value("service", ""), "registry");
  EXPECT_EQ(created.value("principalId", ""), "e2e:operator-sekayu");
  json case_created = Find(processing, "CreateCase", "audit-e2e-create-case");
  ASSERT_FALSE(case_created.is_null()) << r.body;
  EXPECT_EQ(case_created.value("service", ""), "case");
  EXPECT_FALSE(Find(processing, "GetCase", "audit-e2e-refused").is_null());
  // Staff addresses stay out of the person's copy, and so do the other records a list named.
  for (const json& e : processing["entries"]) {
    EXPECT_EQ(e.value("clientAddress", ""), "") << e.dump();
    EXPECT_EQ(e.value("peer", ""), "") << e.dump();
  }
  ASSERT_FALSE(Find(processing, "ListCases", "audit-e2e-list-cases").is_null()) << r.body;
  EXPECT_EQ(r.body.find(other_case_), std::string::npos) << r.body;

  // The export is on the registry's trail.
  json entries = Entries(kSupervisor, "beneficiaries/" + beneficiary_);
  json exported = Find(entries, "ExportPersonalData", "audit-e2e-export");
  ASSERT_FALSE(exported.is_null()) << entries.dump(2);
  EXPECT_EQ(exported.value("outcomeCode", ""), "OK");
  EXPECT_EQ(exported.value("recordRegion", ""), kVillage);

  // A VIEWER does not see personal data: 403; another subdistrict's operator: 404.
  const Principal viewer{"e2e:viewer", "", Role::kViewer, "16.06"};
  EXPECT_EQ(As(viewer, "GET", "/v1/beneficiaries/" + beneficiary_ + ":exportPersonalData").status,
            403);
  HttpResponse other =
      As(kOtherOperator, "GET", "/v1/beneficiaries/" + beneficiary_ + ":exportPersonalData");
  EXPECT_EQ(other.status, 404) << other.body;
  EXPECT_EQ(other.body.find("1606015703480091"), std::string::npos);
}

TEST_F(AuditE2eTest, ExportHoldsTheConflictsAndFamilyCasesOfThePerson) {
  HttpResponse b = As(kOperator, "POST", "/v1/beneficiaries",
                      {{"nik", "1606012005700092"},
                       {"fullName", "Bapak Pihak Pertama"},
                       {"sex", "MALE"},
                       {"birthDate", "1970-05-20"},
                       {"villageCode", kVillage},
                       {"ppksCategories", {"KORBAN_BENCANA_SOSIAL"}}});
  ASSERT_EQ(b.status, 200) << b.body;
  const std::string neighbour = Suite::Json(b).value("id", "");
  HttpResponse conflict = As(kOperator, "POST", "/v1/cases",
                             {{"villageCode", kVillage},
                              {"category", "KORBAN_BENCANA_SOSIAL"},
                              {"kind", "SOCIAL_CONFLICT"},
                              {"parties",
                               {{{"beneficiaryId", neighbour}, {"role", "pihak pertama"}},
                                {{"beneficiaryId", beneficiary_}, {"role", "pihak kedua"}}}},
                              {"summary", "Sengketa batas pekarangan"}});
  ASSERT_EQ(conflict.status, 200) << conflict.body;
  const std::string conflict_id = Suite::Json(conflict).value("id", "");
  HttpResponse family = As(kOperator, "POST", "/v1/cases",
                           {{"villageCode", kVillage},
                            {"category", "KELUARGA_BERMASALAH_SOSIAL_PSIKOLOGIS"},
                            {"kind", "FAMILY"},
                            {"householdId", household_},
                            {"summary", "Keluarga dalam krisis"}});
  ASSERT_EQ(family.status, 200) << family.body;
  const std::string family_id = Suite::Json(family).value("id", "");

  auto case_ids = [](const json& body) {
    std::set<std::string> ids;
    for (const json& c : body.value("cases", json::array())) ids.insert(c.value("id", ""));
    return ids;
  };
  // The person is the subject of one case, a party to the conflict, a member of the household.
  HttpResponse r =
      As(kOperator, "GET", "/v1/beneficiaries/" + beneficiary_ + ":exportPersonalData");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(case_ids(Suite::Json(r)), (std::set<std::string>{case_, conflict_id, family_id}))
      << r.body;
  json processing = {{"entries", Suite::Json(r).value("processing", json::array())}};
  bool conflict_trail = false;
  for (const json& e : processing["entries"]) {
    conflict_trail = conflict_trail || (e.value("action", "") == "CreateCase" &&
                                        e.dump().find(conflict_id) != std::string::npos);
  }
  EXPECT_TRUE(conflict_trail) << r.body;
  // The neighbour only shares the conflict.
  r = As(kOperator, "GET", "/v1/beneficiaries/" + neighbour + ":exportPersonalData");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(case_ids(Suite::Json(r)), (std::set<std::string>{conflict_id})) << r.body;

  // The same lookups as list filters.
  r = As(kOperator, "GET", "/v1/cases?householdId=" + household_);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(case_ids(Suite::Json(r)), (std::set<std::string>{family_id})) << r.body;
  r = As(kOperator, "GET", "/v1/cases?beneficiaryId=" + neighbour);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(case_ids(Suite::Json(r)), (std::set<std::string>{conflict_id})) << r.body;
  r = As(kOperator, "GET", "/v1/cases?beneficiaryId=" + neighbour + "&householdId=" + household_);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("householdId"), std::string::npos) << r.body;
}

// Last (gtest runs a file's tests in order): these break the trails.
TEST_F(AuditE2eTest, InstitutionWritesAreAuditedAndItsReadsAreNot) {
  int status = 0;
  json entries = Entries(kSupervisor, "institutions/" + institution_, &status);
  ASSERT_EQ(status, 200) << entries.dump();
  json create = Find(entries, "CreateInstitution", "audit-e2e-create-institution");
  ASSERT_FALSE(create.is_null()) << entries.dump(2);
  EXPECT_EQ(create.value("service", ""), "registry");
  EXPECT_EQ(create.value("principalId", ""), "e2e:operator-sekayu");
  EXPECT_EQ(create.value("outcomeCode", ""), "OK");
  EXPECT_TRUE(Find(entries, "GetInstitution", "audit-e2e-get-institution").is_null())
      << entries.dump(2);
}

TEST_F(AuditE2eTest, NetworkWritesAreAuditedAndItsReadsAreNot) {
  int status = 0;
  json entries = Entries(kSupervisor, "networks/" + network_, &status);
  ASSERT_EQ(status, 200) << entries.dump();
  json create = Find(entries, "CreateNetwork", "audit-e2e-create-network");
  ASSERT_FALSE(create.is_null()) << entries.dump(2);
  EXPECT_EQ(create.value("service", ""), "registry");
  EXPECT_EQ(create.value("outcomeCode", ""), "OK");
  EXPECT_TRUE(Find(entries, "GetNetwork", "audit-e2e-get-network").is_null()) << entries.dump(2);
}

TEST_F(AuditE2eTest, WorkerWritesAndReadsAreAuditedWithoutTheNik) {
  int status = 0;
  json entries = Entries(kSupervisor, "workers/" + worker_, &status);
  ASSERT_EQ(status, 200) << entries.dump();
  json create = Find(entries, "CreateWorker", "audit-e2e-create-worker");
  ASSERT_FALSE(create.is_null()) << entries.dump(2);
  EXPECT_EQ(create.value("service", ""), "registry");
  EXPECT_EQ(create.value("principalId", ""), "e2e:operator-sekayu");
  json get = Find(entries, "GetWorker", "audit-e2e-get-worker");
  ASSERT_FALSE(get.is_null()) << entries.dump(2);
  EXPECT_EQ(get.value("outcomeCode", ""), "OK");
  EXPECT_EQ(entries.dump().find("1606011203850091"), std::string::npos);
}

TEST_F(AuditE2eTest, ApiKeyChangesAreOnTheGatewaysTrailWithoutTheSecret) {
  int status = 0;
  json entries = Entries(kAdmin, "apiKeys/" + api_key_, &status);
  ASSERT_EQ(status, 200) << entries.dump();
  json create = Find(entries, "CreateApiKey", "audit-e2e-create-key");
  ASSERT_FALSE(create.is_null()) << entries.dump(2);
  EXPECT_EQ(create.value("service", ""), "gateway");
  EXPECT_EQ(create.value("principalId", ""), "e2e:admin");
  EXPECT_EQ(create.value("role", ""), "ADMIN");
  EXPECT_EQ(create.value("outcomeCode", ""), "OK");
  json revoke = Find(entries, "RevokeApiKey", "audit-e2e-revoke-key");
  ASSERT_FALSE(revoke.is_null()) << entries.dump(2);
  EXPECT_EQ(revoke.value("outcomeCode", ""), "OK");
  ASSERT_FALSE(api_key_secret_.empty());
  EXPECT_EQ(entries.dump().find(api_key_secret_), std::string::npos);
}

// A list named a case of Sekayu and one of Lais: each subdistrict's supervisor sees the entry
// under its own case, naming only that case; the regency's supervisor sees both names.
TEST_F(AuditE2eTest, ListedRecordsOutsideTheCallersScopeAreNotShown) {
  int status = 0;
  json entries = Entries(kSekayuSupervisor, "cases/" + case_, &status);
  ASSERT_EQ(status, 200) << entries.dump();
  json list = Find(entries, "ListCases", "audit-e2e-list-cases");
  ASSERT_FALSE(list.is_null()) << entries.dump(2);
  EXPECT_EQ(list.value("returnedSubjects", json::array()), json::array({"cases/" + case_}));
  EXPECT_EQ(entries.dump().find(other_case_), std::string::npos) << entries.dump(2);
  Entries(kSekayuSupervisor, "cases/" + other_case_, &status);
  EXPECT_EQ(status, 404);

  entries = Entries(kOtherSupervisor, "cases/" + other_case_, &status);
  ASSERT_EQ(status, 200) << entries.dump();
  list = Find(entries, "ListCases", "audit-e2e-list-cases");
  ASSERT_FALSE(list.is_null()) << entries.dump(2);
  EXPECT_EQ(list.value("returnedSubjects", json::array()), json::array({"cases/" + other_case_}));
  EXPECT_EQ(entries.dump().find(case_), std::string::npos) << entries.dump(2);

  list = Find(Entries(kSupervisor, "cases/" + case_), "ListCases", "audit-e2e-list-cases");
  ASSERT_FALSE(list.is_null());
  EXPECT_EQ(list.value("returnedSubjects", json::array()).size(), 2u) << list.dump();
}

// An index list edited in Redis to name the Lais case's creation under the Sekayu case: the
// reader judges each entry by its own subject and shows nothing of it; verify names the index.
TEST_F(AuditE2eTest, ForeignEntryInAnIndexIsNotShownAndVerifyNamesIt) {
  auto redis = suite_->redis().Client();
  const std::string index = "case:{16.06}:audit:subject:cases/" + case_;
  auto other =
      redis->Command({"LRANGE", "case:{16.06}:audit:subject:cases/" + other_case_, "0", "0"});
  ASSERT_TRUE(other.ok());
  ASSERT_EQ(other->elements.size(), 1u);
  const std::string foreign = other->elements[0].str;  // the Lais case's CreateCase
  ASSERT_TRUE(redis->Command({"RPUSH", index, foreign}).ok());

  for (const Principal& who : {kSekayuSupervisor, kSupervisor}) {
    int status = 0;
    json entries = Entries(who, "cases/" + case_, &status);
    ASSERT_EQ(status, 200) << entries.dump();
    for (const json& e : entries["entries"]) {
      EXPECT_NE(e.value("subject", ""), "cases/" + other_case_) << who.subject << ": " << e.dump();
    }
    // Only the regency's supervisor may read the Lais case's id, and only in the list's entry.
    if (who.subject == kSekayuSupervisor.subject) {
      EXPECT_EQ(entries.dump().find(other_case_), std::string::npos) << entries.dump(2);
    }
  }
  std::string output;
  EXPECT_EQ(RunAudit("verify --service=case", &output), 1) << output;
  EXPECT_NE(output.find(absl::StrCat("BROKEN: index ", index, ": entry ", foreign)),
            std::string::npos)
      << output;

  ASSERT_TRUE(redis->Command({"RPOP", index}).ok());
  EXPECT_EQ(RunAudit("verify --service=case", &output), 0) << output;
}

// x-forwarded-for is the gateway's to say: a caller reaching the case service directly with one
// is recorded at its own address.
TEST_F(AuditE2eTest, DirectCallersForwardedForIsNotRecorded) {
  auto stub = cases::v1::CaseService::NewStub(
      grpc::CreateChannel(suite_->GrpcAddress("case"), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  context.AddMetadata("authorization", "Bearer " + TestToken(kOperator));
  context.AddMetadata("x-forwarded-for", "203.0.113.9");
  context.AddMetadata("x-real-ip", "203.0.113.9");
  context.AddMetadata("x-request-id", "audit-e2e-direct");
  cases::v1::GetCaseRequest request;
  request.set_id(case_);
  cases::v1::Case response;
  grpc::Status status = stub->GetCase(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();

  json entries = Entries(kSupervisor, "cases/" + case_);
  json direct = Find(entries, "GetCase", "audit-e2e-direct");
  ASSERT_FALSE(direct.is_null()) << entries.dump(2);
  EXPECT_EQ(direct.value("clientAddress", ""), direct.value("peer", "")) << direct.dump();
  EXPECT_EQ(entries.dump().find("203.0.113.9"), std::string::npos);
  // Through the gateway the HTTP client's address is kept (SupervisorSeesWhoDidWhatToACase).
  EXPECT_EQ(Find(entries, "GetCase", "audit-e2e-get-case").value("clientAddress", ""), "127.0.0.1");
}

// The readable copies beside each entry are derived from the hashed bytes: rewriting `who` in
// Redis changes nothing the gateway shows, and verify names the entry.
TEST_F(AuditE2eTest, RewrittenWhoIsNotShownAndVerifyNamesIt) {
  auto redis = suite_->redis().Client();
  const std::string stream = "case:{16.06}:audit";
  auto range = redis->Command({"XRANGE", stream, "-", "+"});
  ASSERT_TRUE(range.ok());
  ASSERT_FALSE(range->elements.empty());
  const std::string first = range->elements[0].elements[0].str;
  // Rebuilds the stream with the same ids, the first entry's `who` set to `who` (unless empty),
  // and a second `entry` field put before its own when `forged` is not empty.
  auto rebuild = [&](const std::string& who, const std::string& forged) {
    ASSERT_TRUE(redis->Command({"DEL", stream}).ok());
    for (size_t i = 0; i < range->elements.size(); ++i) {
      std::vector<std::string> xadd = {"XADD", stream, range->elements[i].elements[0].str};
      if (i == 0 && !forged.empty()) {
        xadd.push_back("entry");
        xadd.push_back(forged);
      }
      const auto& pairs = range->elements[i].elements[1].elements;
      for (size_t f = 0; f + 1 < pairs.size(); f += 2) {
        xadd.push_back(pairs[f].str);
        xadd.push_back(i == 0 && pairs[f].str == "who" && !who.empty() ? who : pairs[f + 1].str);
      }
      ASSERT_TRUE(redis->Command(xadd).ok());
    }
  };
  rebuild("e2e:admin (ADMIN)", "");
  std::string output;
  EXPECT_EQ(RunAudit("verify --service=case", &output), 1) << output;
  EXPECT_NE(output.find(absl::StrCat("entry ", first,
                                     " (seq 1): altered: the readable who is not the entry's")),
            std::string::npos)
      << output;
  json create = Find(Entries(kSupervisor, "cases/" + case_), "CreateCase", "audit-e2e-create-case");
  ASSERT_FALSE(create.is_null());
  EXPECT_EQ(create.value("principalId", ""), "e2e:operator-sekayu");

  // A forged copy of the entry in the same message: verify names it, the gateway shows neither.
  const auto& pairs = range->elements[0].elements[1].elements;
  audit::v1::AuditEntry forged;
  for (size_t f = 0; f + 1 < pairs.size(); f += 2) {
    if (pairs[f].str == "entry") {
      ASSERT_TRUE(forged.ParseFromString(pairs[f + 1].str));
    }
  }
  ASSERT_EQ(forged.request_id(), "audit-e2e-create-case");
  forged.set_principal_id("e2e:forged");
  rebuild("", forged.SerializeAsString());
  EXPECT_EQ(RunAudit("verify --service=case", &output), 1) << output;
  EXPECT_NE(output.find(absl::StrCat("entry ", first,
                                     " (seq 1): altered: the message holds entry "
                                     "twice")),
            std::string::npos)
      << output;
  json entries = Entries(kSupervisor, "cases/" + case_);
  EXPECT_TRUE(Find(entries, "CreateCase", "audit-e2e-create-case").is_null()) << entries.dump(2);
  EXPECT_EQ(entries.dump().find("e2e:forged"), std::string::npos);

  rebuild("", "");
  EXPECT_EQ(RunAudit("verify --service=case", &output), 0) << output;
}

TEST_F(AuditE2eTest, VerifyPassesUntouchedTrailsAndNamesTampering) {
  std::string output;
  EXPECT_EQ(RunAudit("verify", &output), 0) << output;
  EXPECT_NE(output.find("case: OK:"), std::string::npos) << output;
  EXPECT_NE(output.find("registry: OK:"), std::string::npos) << output;
  EXPECT_NE(output.find("gateway: OK:"), std::string::npos) << output;

  auto redis = suite_->redis().Client();
  auto range = redis->Command({"XRANGE", "case:{16.06}:audit", "-", "+"});
  ASSERT_TRUE(range.ok());
  ASSERT_GE(range->elements.size(), 3u);
  const std::string removed = range->elements[1].elements[0].str;
  const std::string next = range->elements[2].elements[0].str;
  ASSERT_TRUE(redis->Command({"XDEL", "case:{16.06}:audit", removed}).ok());
  EXPECT_EQ(RunAudit("verify --service=case", &output), 1) << output;
  EXPECT_NE(output.find(absl::StrCat("BROKEN: entry ", next)), std::string::npos) << output;
  EXPECT_NE(output.find("missing"), std::string::npos) << output;

  ASSERT_TRUE(
      redis->Command({"HSET", "registry:{16.06}:audit:head", "hash", std::string(64, '0')}).ok());
  EXPECT_EQ(RunAudit("verify --service=registry", &output), 1) << output;
  EXPECT_NE(output.find("BROKEN: head"), std::string::npos) << output;
}

}  // namespace
}  // namespace wahana::testing
