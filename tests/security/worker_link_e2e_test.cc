// Issue 4's least data for the case's assigned worker, through the whole suite as processes: an
// ADMIN registers two workers, gives FIELD_WORKER API keys linked to them (workerId) and one
// without a link, and opens a case assigned to the first worker with a confidential note. The
// assigned worker's key reads the note's text in the case history; the other field workers' keys
// (another worker, no worker) get it masked, and the case's audit trail names the worker the
// reading key acts as. Also: the key API refuses links it cannot bear and lists the one it made.

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "support/suite.h"
#include "support/suite_test.h"

namespace wahana::testing {
namespace {

using nlohmann::json;

constexpr char kSecretNote[] = "rahasia: korban KDRT, pelaku serumah";

class WorkerLinkE2eTest : public SuiteTest {
 protected:
  // As the bootstrap ADMIN; expects `status`; the body.
  static json Admin(const std::string& method, const std::string& target, const json& body,
                    int status = 200) {
    HttpResponse r = suite_->Call(method, target, body.is_null() ? "" : body.dump());
    EXPECT_EQ(r.status, status) << method << " " << target << ": " << r.body;
    return Suite::Json(r);
  }
  static std::string Worker(const std::string& nik, const std::string& name) {
    return Admin("POST", "/v1/workers",
                 {{"kind", "TKSK"},
                  {"nik", nik},
                  {"fullName", name},
                  {"villageCode", "16.06.01.2001"},
                  {"subdistrictCodes", {"16.06.01"}}})
        .value("id", "");
  }
  // A FIELD_WORKER key for Sekayu, linked to `worker_id` unless it is empty; its secret.
  static std::string FieldWorkerKey(const std::string& name, const std::string& worker_id) {
    json body = {{"name", name}, {"role", "FIELD_WORKER"}, {"regionScope", "16.06.01"}};
    if (!worker_id.empty()) body["workerId"] = worker_id;
    json created = Admin("POST", "/v1/apiKeys", body);
    EXPECT_EQ(created["key"].value("workerId", "?"), worker_id) << created.dump();
    return created.value("secret", "");
  }
  // The confidential notes' texts in the case's history, read with `secret`.
  static std::vector<std::string> ConfidentialNotes(const std::string& secret,
                                                    const std::string& case_id) {
    HttpResponse r = suite_->Call("GET", "/v1/cases/" + case_id + "/history", "",
                                  {{"Authorization", "Bearer " + secret}});
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> texts;
    const json actions = Suite::Json(r)["actions"];
    for (const json& action : actions) {
      if (action.contains("note") && action["note"].is_object() &&
          action["note"].value("confidential", false)) {
        texts.push_back(action["note"].value("text", ""));
      }
    }
    return texts;
  }
};

TEST_F(WorkerLinkE2eTest, TheAssignedWorkerReadsTheConfidentialNotesOthersGetThemMasked) {
  const std::string assigned = Worker("1606011505800001", "Ahmad Fauzi");
  const std::string other = Worker("1606011505800002", "Siti Aminah");
  ASSERT_FALSE(assigned.empty());
  ASSERT_FALSE(other.empty());
  const std::string assigned_key = FieldWorkerKey("Ahmad (TKSK Sekayu)", assigned);
  const std::string other_key = FieldWorkerKey("Siti (TKSK Sekayu)", other);
  const std::string unlinked_key = FieldWorkerKey("Pendamping tanpa tautan", "");

  const std::string beneficiary = Admin("POST", "/v1/beneficiaries",
                                        {{"nik", "1606015703480001"},
                                         {"fullName", "Mak Ijah"},
                                         {"sex", "FEMALE"},
                                         {"birthDate", "1948-03-17"},
                                         {"villageCode", "16.06.01.2001"},
                                         {"ppksCategories", {"LANJUT_USIA_TELANTAR"}}})
                                      .value("id", "");
  json c = Admin("POST", "/v1/cases",
                 {{"villageCode", "16.06.01.2001"},
                  {"category", "LANJUT_USIA_TELANTAR"},
                  {"kind", "INDIVIDUAL"},
                  {"beneficiaryId", beneficiary},
                  {"reporter", {{"kind", "PUBLIC"}, {"name", "kader PKK"}}},
                  {"summary", "Lansia hidup sendiri, dilaporkan kader PKK"}});
  const std::string case_id = c.value("id", "");
  ASSERT_FALSE(case_id.empty()) << c.dump();
  // Each step carries the etag of the case as read (required).
  const json assigned_case = Admin("POST", "/v1/cases/" + case_id + ":assign",
                                   {{"etag", c.value("etag", "")}, {"workerId", assigned}});
  EXPECT_EQ(assigned_case.value("assigneeWorkerId", ""), assigned);
  Admin("POST", "/v1/cases/" + case_id + "/notes",
        {{"etag", assigned_case.value("etag", "")}, {"text", kSecretNote}, {"confidential", true}});

  // The ADMIN reads it, as before.
  EXPECT_EQ(ConfidentialNotes(suite_->admin_key(), case_id), std::vector<std::string>{kSecretNote});
  // The case's assigned worker, through the key linked to them, reads it too.
  EXPECT_EQ(ConfidentialNotes(assigned_key, case_id), std::vector<std::string>{kSecretNote});
  // Another worker's key and a key linked to no worker: the note is there, its text is not.
  EXPECT_EQ(ConfidentialNotes(other_key, case_id), std::vector<std::string>{""});
  EXPECT_EQ(ConfidentialNotes(unlinked_key, case_id), std::vector<std::string>{""});

  // The case's audit trail names the worker the reading key acts as.
  const std::string assigned_principal = "apikey:" + assigned_key.substr(3, 16);
  std::string seen_worker = "<no entry>";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    HttpResponse r = suite_->Call("GET", "/v1/audit?subject=cases/" + case_id);
    if (r.status == 200) {
      const json entries = Suite::Json(r)["entries"];
      for (const json& entry : entries) {
        if (entry.value("principalId", "") == assigned_principal) {
          seen_worker = entry.value("workerId", "");
        }
      }
    }
    if (seen_worker != "<no entry>") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(seen_worker, assigned);
}

TEST_F(WorkerLinkE2eTest, TheKeyApiChecksTheLinkWithTheRegistry) {
  const std::string worker = Worker("1606011505800003", "Rudi Hartono");
  ASSERT_FALSE(worker.empty());
  // Not a FIELD_WORKER key, not an id, unknown, outside the key's scope.
  struct Refusal {
    json body;
    int status;
  };
  auto body = [](const std::string& role, const std::string& scope, const std::string& id) {
    return json{{"name", "x"}, {"role", role}, {"regionScope", scope}, {"workerId", id}};
  };
  for (const Refusal& refusal : {
           Refusal{body("OPERATOR", "16.06.01", worker), 400},
           Refusal{body("FIELD_WORKER", "16.06.01", "ahmad"), 400},
           Refusal{body("FIELD_WORKER", "16.06.01", "01HZX5J6Q0W6Z9V3K8N2M4P7ZZ"), 404},
           Refusal{body("FIELD_WORKER", "16.06.02", worker), 400},
       }) {
    json refused = Admin("POST", "/v1/apiKeys", refusal.body, refusal.status);
    EXPECT_EQ(refused.value("message", "").rfind("workerId: ", 0), 0u) << refused.dump();
  }
  // The list shows the link of the one key made.
  FieldWorkerKey("Rudi (TKSK Sekayu)", worker);
  int linked = 0;
  const json keys = Admin("GET", "/v1/apiKeys", json())["keys"];
  for (const json& key : keys) {
    if (key.value("workerId", "") == worker) ++linked;
  }
  EXPECT_EQ(linked, 1);
}

}  // namespace
}  // namespace wahana::testing
