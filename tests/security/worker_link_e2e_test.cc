// Issue 4's least data for the case's assigned worker, through the whole suite as processes: an
// ADMIN registers two workers, gives FIELD_WORKER API keys linked to them (workerId) and one
// without a link, and opens a case assigned to the first worker with a confidential note. The
// assigned worker's key reads the note's text in the case history; the other field workers' keys
// (another worker, no worker) get it masked, and the case's audit trail names the worker the
// reading key acts as. Also: the key API refuses links it cannot bear and lists the one it made.
// Issue 11 through the gateway: a FIELD_WORKER token of worker A may not :assign worker B's case
// to A (403, the case in Redis unchanged), works only on its own worker's cases, and a
// reassignment opens B's earlier confidential notes to A only when a SUPERVISOR says so
// (shareEarlierNotes).

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "support/suite.h"
#include "support/suite_test.h"
#include "support/test_auth.h"

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

// A token of `role` for Sekayu, acting as registry worker `worker_id` (FIELD_WORKER only).
std::map<std::string, std::string> TokenOf(Role role, const std::string& worker_id = "") {
  Principal p{"e2e:" + std::string(RoleName(role)) + ":" + worker_id, "", role, "16.06.01"};
  p.worker_id = worker_id;
  return {{"Authorization", "Bearer " + TestToken(p)}};
}

// The case as Redis holds it: its record's hash and its history's length (case_keys.h).
std::string StoredCase(Suite& suite, const std::string& id) {
  auto redis = suite.redis().Client();
  absl::StatusOr<RedisReply> record = redis->Command({"HGETALL", "case:{16.06}:case:" + id});
  absl::StatusOr<RedisReply> history = redis->Command({"LLEN", "case:{16.06}:history:" + id});
  EXPECT_TRUE(record.ok() && history.ok());
  if (!record.ok() || !history.ok()) return "";
  std::string out = std::to_string(history->integer);
  for (const RedisReply& e : record->elements) out += "|" + e.str;
  return out;
}

TEST_F(WorkerLinkE2eTest, AFieldWorkerNeitherAssignsNorWorksAnothersCaseNorReadsItsEarlierNotes) {
  const std::string a = Worker("1606011505800011", "Andi Pekerja A");
  const std::string b = Worker("1606011505800012", "Budi Pekerja B");
  ASSERT_FALSE(a.empty());
  ASSERT_FALSE(b.empty());
  json c = Admin("POST", "/v1/cases",
                 {{"villageCode", "16.06.01.2001"},
                  {"category", "ANAK_TELANTAR"},
                  {"kind", "INDIVIDUAL"},
                  {"summary", "Anak ditinggal orang tua merantau"}});
  const std::string id = c.value("id", "");
  ASSERT_FALSE(id.empty()) << c.dump();
  const std::string path = "/v1/cases/" + id;
  auto etag = [&] { return Admin("GET", path, json()).value("etag", ""); };
  Admin("POST", path + ":assign", {{"etag", etag()}, {"workerId", b}});
  // B writes a confidential note on its case.
  HttpResponse noted =
      suite_->Call("POST", path + "/notes",
                   json{{"etag", etag()}, {"text", kSecretNote}, {"confidential", true}}.dump(),
                   TokenOf(Role::kFieldWorker, b));
  ASSERT_EQ(noted.status, 200) << noted.body;

  // A takes B's case: 403 naming the step, and Redis holds the case as before.
  const std::string before = StoredCase(*suite_, id);
  HttpResponse taken =
      suite_->Call("POST", path + ":assign", json{{"etag", etag()}, {"workerId", a}}.dump(),
                   TokenOf(Role::kFieldWorker, a));
  EXPECT_EQ(taken.status, 403) << taken.body;
  EXPECT_EQ(Suite::Json(taken).value("message", ""),
            "role FIELD_WORKER may not take :assign (ADMIN, SUPERVISOR, OPERATOR may)");
  // Nor works on it.
  HttpResponse assessed =
      suite_->Call("POST", path + ":assess", json{{"etag", etag()}, {"problem", "x"}}.dump(),
                   TokenOf(Role::kFieldWorker, a));
  EXPECT_EQ(assessed.status, 403) << assessed.body;
  EXPECT_NE(assessed.body.find("only on a case assigned to its own worker"), std::string::npos)
      << assessed.body;
  EXPECT_EQ(StoredCase(*suite_, id), before);
  EXPECT_EQ(Admin("GET", path, json()).value("assigneeWorkerId", ""), b);

  // An OPERATOR moves the case to A: A reads B's note masked, and B no longer reads it.
  json moved = Admin("POST", path + ":assign", {{"etag", etag()}, {"workerId", a}});
  EXPECT_EQ(moved.value("assigneeWorkerId", ""), a);
  EXPECT_EQ(Suite::Int64(moved, "assigneeNotesFrom"), Suite::Int64(moved, "etag")) << moved.dump();
  HttpResponse r = suite_->Call("GET", path + "/history", "", TokenOf(Role::kFieldWorker, a));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body.find(kSecretNote), std::string::npos) << r.body;
  r = suite_->Call("GET", path + "/history", "", TokenOf(Role::kFieldWorker, b));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body.find(kSecretNote), std::string::npos) << r.body;
  // A works on its case now.
  r = suite_->Call("POST", path + ":assess", json{{"etag", etag()}, {"problem", "x"}}.dump(),
                   TokenOf(Role::kFieldWorker, a));
  EXPECT_EQ(r.status, 200) << r.body;

  // An OPERATOR may not open the earlier notes (403, nothing written); a SUPERVISOR may.
  const std::string unshared = StoredCase(*suite_, id);
  r = suite_->Call("POST", path + ":assign",
                   json{{"etag", etag()}, {"workerId", a}, {"shareEarlierNotes", true}}.dump(),
                   TokenOf(Role::kOperator));
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(Suite::Json(r).value("message", ""),
            "role OPERATOR may not take shareEarlierNotes (ADMIN, SUPERVISOR may)");
  EXPECT_EQ(StoredCase(*suite_, id), unshared);
  r = suite_->Call("POST", path + ":assign",
                   json{{"etag", etag()}, {"workerId", a}, {"shareEarlierNotes", true}}.dump(),
                   TokenOf(Role::kSupervisor));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Suite::Int64(Suite::Json(r), "assigneeNotesFrom"), 0) << r.body;
  r = suite_->Call("GET", path + "/history", "", TokenOf(Role::kFieldWorker, a));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find(kSecretNote), std::string::npos) << r.body;
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
