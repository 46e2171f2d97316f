// Cases end to end: the real suite (Redis, the services, the gateway) called over HTTP as an
// operator's browser would: a case from intake to closure with its history, refused steps that
// change nothing, lists, the registry checks, the registry's archive reaching the case, and
// reporting following the status changes.

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "support/suite.h"

namespace wahana::testing {
namespace {

using nlohmann::json;

class CaseE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    suite_ = new Suite(std::map<std::string, std::string>{{"WAHANA_CASE_OVERDUE_DAYS", "1"}});
    ASSERT_TRUE(suite_->Start()) << "suite not ready within 60 s";
  }
  static void TearDownTestSuite() {
    delete suite_;
    suite_ = nullptr;
  }
  static HttpResponse Call(const std::string& method, const std::string& target,
                           const json& body = json()) {
    return suite_->Call(method, target, body.is_null() ? "" : body.dump());
  }
  static json Json(const HttpResponse& r) { return Suite::Json(r); }

  // A beneficiary and a worker serving Sekayu, made through the registry's API.
  static std::string Beneficiary(const std::string& nik) {
    json b = {{"nik", nik},
              {"fullName", "Mak Ijah"},
              {"sex", "FEMALE"},
              {"birthDate", "1948-03-17"},
              {"villageCode", "16.06.01.2001"},
              {"ppksCategories", {"LANJUT_USIA_TELANTAR"}}};
    HttpResponse r = Call("POST", "/v1/beneficiaries", b);
    EXPECT_EQ(r.status, 200) << r.body;
    return Json(r).value("id", "");
  }
  static std::string Worker(const std::string& nik, int cap) {
    json w = {{"kind", "TKSK"},
              {"nik", nik},
              {"fullName", "Ahmad Fauzi"},
              {"villageCode", "16.06.01.2001"},
              {"subdistrictCodes", {"16.06.01"}},
              {"caseloadCap", cap}};
    HttpResponse r = Call("POST", "/v1/workers", w);
    EXPECT_EQ(r.status, 200) << r.body;
    return Json(r).value("id", "");
  }
  static json NewCase(const std::string& beneficiary) {
    HttpResponse r = Call("POST", "/v1/cases",
                          {{"villageCode", "16.06.01.2001"},
                           {"category", "LANJUT_USIA_TELANTAR"},
                           {"kind", "INDIVIDUAL"},
                           {"beneficiaryId", beneficiary},
                           {"reporter", {{"kind", "PUBLIC"}, {"name", "kader PKK"}}},
                           {"summary", "Lansia hidup sendiri, dilaporkan kader PKK"}});
    EXPECT_EQ(r.status, 200) << r.body;
    return Json(r);
  }
  // POST /v1/cases/<id><suffix> with `body`, carrying the etag of the case as read just before
  // (as a client does) unless `body` names one; expects `status`; returns the body.
  static json Step(const std::string& id, const std::string& suffix, json body, int status = 200) {
    if (!body.contains("etag")) body["etag"] = Json(Call("GET", "/v1/cases/" + id))["etag"];
    HttpResponse r = Call("POST", "/v1/cases/" + id + suffix, body);
    EXPECT_EQ(r.status, status) << suffix << ": " << r.body;
    return Json(r);
  }
  static json History(const std::string& id) {
    HttpResponse r = Call("GET", "/v1/cases/" + id + "/history");
    EXPECT_EQ(r.status, 200) << r.body;
    return Json(r);
  }
  static int64_t StatusCount(const std::string& region, const std::string& status) {
    json counts = Json(Call("GET", "/v1/reports/caseCounts?region=" + region));
    for (const json& row : counts["byStatus"]) {
      if (row.value("status", "") == status) return Suite::Int64(row, "count");
    }
    return 0;
  }

  static Suite* suite_;
};

Suite* CaseE2eTest::suite_ = nullptr;

TEST_F(CaseE2eTest, FromIntakeToClosureWithTheHistory) {
  std::string beneficiary = Beneficiary("1606015703480001");
  std::string worker = Worker("1606011505800001", 25);
  json c = NewCase(beneficiary);
  const std::string id = c["id"];
  EXPECT_EQ(c["status"], "INTAKE");
  EXPECT_EQ(c["etag"], "1");

  json assigned = Step(id, ":assign", {{"workerId", worker}, {"etag", "1"}});
  EXPECT_EQ(assigned["assigneeWorkerId"], worker);
  json assessed = Step(id, ":assess",
                       {{"riskScore", 70},
                        {"problem", "tidak ada yang merawat"},
                        {"needs", "permakanan, pendampingan"},
                        {"strengths", "tetangga peduli"},
                        {"needsOutsidePantiRehabilitation", true}});
  EXPECT_EQ(assessed["status"], "ASSESSMENT");
  EXPECT_EQ(assessed["assessment"]["riskScore"], 70);
  Step(id, ":plan",
       {{"goals",
         {{{"goal", "makan teratur"}, {"services", "permakanan"}, {"responsible", "TKSK"}}}}});
  EXPECT_EQ(Step(id, ":approvePlan", json::object())["status"], "INTERVENTION");
  Step(id, ":recordService",
       {{"service",
         {{"spmService", "SPM_LANJUT_USIA_TELANTAR"},
          {"component", "permakanan"},
          {"date", "2026-05-04"},
          {"provider", "Dinsos"}}}});
  Step(id, "/notes", {{"text", "kunjungan rumah"}, {"confidential", true}});
  EXPECT_EQ(Step(id, ":terminate", {{"terminationReason", "GOAL_REACHED"}})["status"],
            "TERMINATED");
  json closed = Step(id, ":close", {{"reason", "tujuan tercapai"}});
  EXPECT_EQ(closed["status"], "CLOSED");
  EXPECT_EQ(closed["etag"], "9");

  json history = History(id);
  ASSERT_EQ(history["actions"].size(), 9u) << history.dump();
  EXPECT_EQ(history["actions"][0]["type"], "ACTION_CREATE");
  EXPECT_EQ(history["actions"][1]["type"], "ACTION_ASSIGN");
  EXPECT_EQ(history["actions"][8]["type"], "ACTION_CLOSE");
  EXPECT_EQ(history["actions"][8]["reason"], "tujuan tercapai");
  EXPECT_FALSE(history["actions"][8].value("actor", "").empty());

  // Reporting follows the status: the case is counted as CLOSED, no longer as INTAKE.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (std::chrono::steady_clock::now() < deadline &&
         StatusCount("16.06.01.2001", "CLOSED") < 1) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(StatusCount("16.06.01.2001", "CLOSED"), 1);
  EXPECT_EQ(StatusCount("16.06.01.2001", "INTAKE"), 0);

  // Reopened: back to ASSESSMENT.
  EXPECT_EQ(Step(id, ":reopen", json::object())["status"], "ASSESSMENT");
}

TEST_F(CaseE2eTest, RefusedStepsAreClear4xxAndChangeNothing) {
  json c = NewCase("");
  const std::string id = c["id"];

  json wrong = Step(id, ":close", json::object(), 400);
  EXPECT_NE(wrong.dump().find("allowed steps"), std::string::npos) << wrong.dump();
  Step(id, ":assess", {{"riskScore", 101}, {"problem", "x"}}, 400);
  // An unknown worker: 404 naming the field, as one the caller may not read (a reference is a
  // read).
  json unknown_worker = Step(id, ":assign", {{"workerId", "01HZX5J6Q0W6Z9V3K8N2M4P7ZZ"}}, 404);
  EXPECT_NE(unknown_worker.dump().find("workerId"), std::string::npos) << unknown_worker.dump();
  Step(id, "/notes", {{"text", "pertama"}, {"etag", "1"}});
  Step(id, "/notes", {{"text", "layar lama"}, {"etag", "1"}}, 409);
  EXPECT_EQ(
      Call("POST", "/v1/cases/01HZX5J6Q0W6Z9V3K8N2M4P7ZZ:assess", {{"problem", "x"}, {"etag", "1"}})
          .status,
      404);
  // Without the etag of the case as read: 400 naming etag, before anything is read or written.
  HttpResponse no_etag = Call("POST", "/v1/cases/" + id + ":assess", {{"problem", "x"}});
  EXPECT_EQ(no_etag.status, 400) << no_etag.body;
  EXPECT_NE(no_etag.body.find("etag: required"), std::string::npos) << no_etag.body;
  HttpResponse stale =
      Call("POST", "/v1/cases/" + id + ":assess", {{"problem", "x"}, {"etag", "1"}});
  EXPECT_EQ(stale.status, 409) << stale.body;

  json history = History(id);
  EXPECT_EQ(history["actions"].size(), 2u) << "create and the one accepted note";
  EXPECT_EQ(Json(Call("GET", "/v1/cases/" + id))["etag"], "2");

  // Unknown subject, category outside 1-26, village outside the region.
  HttpResponse unknown = Call("POST", "/v1/cases",
                              {{"villageCode", "16.06.01.2001"},
                               {"category", "ANAK_TELANTAR"},
                               {"kind", "INDIVIDUAL"},
                               {"beneficiaryId", "01HZX5J6Q0W6Z9V3K8N2M4P7ZZ"},
                               {"summary", "x"}});
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  EXPECT_EQ(Json(unknown)["message"],
            "beneficiaryId: beneficiary 01HZX5J6Q0W6Z9V3K8N2M4P7ZZ not found");
  HttpResponse category = Call("POST", "/v1/cases",
                               {{"villageCode", "16.06.01.2001"},
                                {"category", 27},
                                {"kind", "INDIVIDUAL"},
                                {"summary", "x"}});
  EXPECT_EQ(category.status, 400) << category.body;
}

TEST_F(CaseE2eTest, AssignRefusesAWorkerOverTheirCap) {
  std::string worker = Worker("1606011505800009", 1);
  json first = NewCase("");
  json second = NewCase("");
  Step(first["id"], ":assign", {{"workerId", worker}});
  json refused = Step(second["id"], ":assign", {{"workerId", worker}}, 400);
  EXPECT_NE(refused.dump().find("caseload cap"), std::string::npos) << refused.dump();
}

TEST_F(CaseE2eTest, ListsFilterAndPage) {
  json a = NewCase("");
  json b = NewCase("");
  Step(a["id"], ":assess", {{"problem", "p"}, {"riskScore", 10}});
  HttpResponse assessed = Call("GET", "/v1/cases?region=16.06.01&status=ASSESSMENT&pageSize=500");
  ASSERT_EQ(assessed.status, 200) << assessed.body;
  bool found = false;
  const json listed = Json(assessed);
  for (const json& c : listed["cases"]) {
    EXPECT_EQ(c["status"], "ASSESSMENT");
    found = found || c["id"] == a["id"];
  }
  EXPECT_TRUE(found) << assessed.body;

  HttpResponse page = Call("GET", "/v1/cases?pageSize=1");
  ASSERT_EQ(page.status, 200) << page.body;
  json p = Json(page);
  EXPECT_EQ(p["cases"].size(), 1u);
  ASSERT_TRUE(p.contains("nextPageToken"));
  HttpResponse next =
      Call("GET", "/v1/cases?pageSize=1&pageToken=" + p["nextPageToken"].get<std::string>());
  EXPECT_EQ(next.status, 200) << next.body;
  EXPECT_NE(Json(next)["cases"][0]["id"], p["cases"][0]["id"]);

  // Nothing is idle for a day yet.
  HttpResponse overdue = Call("GET", "/v1/cases?overdue=true");
  ASSERT_EQ(overdue.status, 200) << overdue.body;
  EXPECT_EQ(Json(overdue).value("cases", json::array()).size(), 0u);
  // Another regency lies outside the (bootstrap admin's) scope: refused, not narrowed.
  EXPECT_EQ(Call("GET", "/v1/cases?region=17.01").status, 403);
  EXPECT_EQ(Call("GET", "/v1/cases?region=16.6").status, 400);
  EXPECT_EQ(Call("GET", "/v1/cases?pageSize=501").status, 400);
}

TEST_F(CaseE2eTest, AnArchivedBeneficiaryAnnotatesItsCase) {
  std::string beneficiary = Beneficiary("1606015703480002");
  json c = NewCase(beneficiary);
  // Archived as read: every archive names the etag of the version it is based on.
  const std::string etag = Json(Call("GET", "/v1/beneficiaries/" + beneficiary)).value("etag", "");
  ASSERT_FALSE(etag.empty());
  HttpResponse archived = Call("POST", "/v1/beneficiaries/" + beneficiary + ":archive",
                               {{"etag", etag}, {"reason", "meninggal dunia"}});
  ASSERT_EQ(archived.status, 200) << archived.body;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  json read;
  while (std::chrono::steady_clock::now() < deadline) {
    read = Json(Call("GET", "/v1/cases/" + c["id"].get<std::string>()));
    if (read.value("subjectArchived", false)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(read.value("subjectArchived", false)) << read.dump();
  json history = History(c["id"]);
  ASSERT_EQ(history["actions"].size(), 2u);
  EXPECT_EQ(history["actions"][1]["type"], "ACTION_SUBJECT_ARCHIVED");
}

}  // namespace
}  // namespace wahana::testing
