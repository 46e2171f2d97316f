// Workers end to end: the real suite (Redis, the services, the gateway) called over HTTP as an
// operator's browser would, and the message each change leaves on the registry's stream.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "common/bus/envelope.h"
#include "support/redis_inspection.h"
#include "support/suite.h"
#include "wahana/registry/v1/worker.pb.h"

namespace wahana::testing {
namespace {

using nlohmann::json;

constexpr char kStream[] = "registry:{16.06}:stream";

class WorkerE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    suite_ = new Suite();
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

  // The WorkerChanged messages on the registry's stream, oldest first.
  static std::vector<wahana::registry::v1::WorkerChanged> WorkerMessages() {
    std::vector<wahana::registry::v1::WorkerChanged> out;
    auto redis = suite_->redis().Client();
    for (const auto& envelope : StreamMessages(*redis, kStream)) {
      if (envelope.type() != "wahana.registry.v1.WorkerChanged") continue;
      wahana::registry::v1::WorkerChanged payload;
      EXPECT_TRUE(envelope.payload().UnpackTo(&payload));
      out.push_back(payload);
    }
    return out;
  }

  static Suite* suite_;
};

Suite* WorkerE2eTest::suite_ = nullptr;

TEST_F(WorkerE2eTest, CreateReadListUpdateArchive) {
  json tksk = {{"kind", "TKSK"},
               {"nik", "1606011708790001"},
               {"fullName", "Muhammad Ḥasan bin 'Abdullah"},
               {"villageCode", "16.06.01.2001"},
               {"subdistrictCodes", {"16.06.01"}},
               {"contact", {{"phone", "+62 812 7000 0001"}}},
               {"caseloadCap", 30}};
  HttpResponse created = Call("POST", "/v1/workers?requestId=e2e-worker-1", tksk);
  ASSERT_EQ(created.status, 200) << created.body;
  json w = Json(created);
  const std::string id = w["id"];
  EXPECT_EQ(w["etag"], "1");
  EXPECT_EQ(w["nik"], "1606011708790001");
  EXPECT_EQ(w["fullName"], "Muhammad Ḥasan bin 'Abdullah");
  EXPECT_EQ(w["kind"], "TKSK");
  EXPECT_EQ(w["active"], true);
  EXPECT_EQ(w["caseloadCap"], 30);
  EXPECT_EQ(w["subdistrictCodes"], json({"16.06.01"}));

  // The same requestId again: the same worker, nothing new.
  HttpResponse again = Call("POST", "/v1/workers?requestId=e2e-worker-1", tksk);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(Json(again)["id"], id);

  HttpResponse read = Call("GET", "/v1/workers/" + id);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(Json(read)["nik"], "1606011708790001") << "get shows the NIK whole";
  EXPECT_EQ(Json(read)["fullName"], "Muhammad Ḥasan bin 'Abdullah");

  HttpResponse listed = Call("GET", "/v1/workers?subdistrictCode=16.06.01&kind=TKSK");
  ASSERT_EQ(listed.status, 200) << listed.body;
  json workers = Json(listed)["workers"];
  ASSERT_EQ(workers.size(), 1u) << listed.body;
  EXPECT_EQ(workers[0]["id"], id);
  EXPECT_EQ(workers[0]["nik"], "****************") << "lists mask the NIK";
  EXPECT_EQ(listed.body.find("1606011708790001"), std::string::npos) << listed.body;

  // A second worker with the same NIK: 409 naming the first.
  json twin = tksk;
  twin["subdistrictCodes"] = {"16.06.02"};
  HttpResponse duplicate = Call("POST", "/v1/workers", twin);
  EXPECT_EQ(duplicate.status, 409) << duplicate.body;
  EXPECT_EQ(Json(duplicate)["code"], 6);  // ALREADY_EXISTS
  EXPECT_NE(duplicate.body.find(id), std::string::npos) << duplicate.body;

  // Update with the etag read, then again with that (now stale) etag.
  json patch = {{"fullName", "Muhammad Ḥasan, S.Sos."}, {"etag", "1"}};
  HttpResponse updated = Call("PATCH", "/v1/workers/" + id + "?updateMask=fullName", patch);
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(Json(updated)["etag"], "2");
  EXPECT_EQ(Json(updated)["fullName"], "Muhammad Ḥasan, S.Sos.");
  EXPECT_EQ(Json(updated)["caseloadCap"], 30);
  HttpResponse stale = Call("PATCH", "/v1/workers/" + id + "?updateMask=fullName", patch);
  EXPECT_EQ(stale.status, 409) << stale.body;
  EXPECT_EQ(Json(stale)["code"], 10);  // ABORTED
  EXPECT_NE(Json(stale)["message"].get<std::string>().find("etag"), std::string::npos);

  // Without the etag read: 400 naming it, and nothing written.
  HttpResponse blind = Call("PATCH", "/v1/workers/" + id, {{"active", false}});
  EXPECT_EQ(blind.status, 400) << blind.body;
  EXPECT_EQ(Json(blind)["code"], 3);  // INVALID_ARGUMENT
  EXPECT_EQ(Json(blind)["message"], "etag: required (the etag of the worker as read)");
  EXPECT_EQ(Json(Call("GET", "/v1/workers/" + id))["etag"], "2");

  // An explicit false deactivates, without a mask.
  HttpResponse inactive = Call("PATCH", "/v1/workers/" + id, {{"active", false}, {"etag", "2"}});
  ASSERT_EQ(inactive.status, 200) << inactive.body;
  EXPECT_EQ(Json(inactive)["active"], false);
  EXPECT_EQ(Json(inactive)["etag"], "3");
  EXPECT_EQ(
      Json(Call("GET", "/v1/workers?activeOnly=true&subdistrictCode=16.06.01"))["workers"].size(),
      0u);

  HttpResponse archived =
      Call("POST", "/v1/workers/" + id + ":archive", {{"etag", "3"}, {"reason", "pensiun"}});
  ASSERT_EQ(archived.status, 200) << archived.body;
  EXPECT_EQ(Json(archived)["archived"], true);
  EXPECT_EQ(Json(Call("GET", "/v1/workers?region=16.06.01"))["workers"].size(), 0u);
  EXPECT_EQ(Json(Call("GET", "/v1/workers?region=16.06.01&showArchived=true"))["workers"].size(),
            1u);

  // Every change is on the stream, in order, with the whole record.
  std::vector<wahana::registry::v1::WorkerChanged> messages = WorkerMessages();
  std::vector<std::string> actions;
  for (const auto& m : messages) {
    if (m.worker().id() == id) actions.push_back(m.action());
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"created", "updated", "updated", "archived"}));
  EXPECT_EQ(messages.back().reason(), "pensiun");
  EXPECT_EQ(messages.front().worker().nik(), "1606011708790001");
}

TEST_F(WorkerE2eTest, BadInputIs400NamingTheField) {
  json outside = {{"kind", "PSM"},
                  {"nik", "1606024507880003"},
                  {"fullName", "Rahmawati"},
                  {"subdistrictCodes", {"16.06.02", "16.07.01"}}};
  HttpResponse r = Call("POST", "/v1/workers", outside);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(Json(r)["code"], 3);  // INVALID_ARGUMENT
  EXPECT_EQ(Json(r)["message"].get<std::string>().rfind("subdistrictCodes[1]: ", 0), 0u) << r.body;

  json bad_nik = outside;
  bad_nik["subdistrictCodes"] = {"16.06.02"};
  bad_nik["nik"] = "1606023102880003";  // 31 February
  r = Call("POST", "/v1/workers", bad_nik);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(Json(r)["message"].get<std::string>().rfind("nik: ", 0), 0u) << r.body;

  json companion = {
      {"kind", "PENDAMPING_SOSIAL"}, {"nik", "1606024507880003"}, {"fullName", "Rahmawati"}};
  r = Call("POST", "/v1/workers", companion);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(Json(r)["message"].get<std::string>().rfind("specialty: ", 0), 0u) << r.body;
  companion["specialty"] = "ELDERLY";
  r = Call("POST", "/v1/workers", companion);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r)["caseloadCap"], 25);

  EXPECT_EQ(Call("GET", "/v1/workers?pageSize=501").status, 400);
  EXPECT_EQ(Call("GET", "/v1/workers/01JZZZZZZZZZZZZZZZZZZZZZZZ").status, 404);
}

}  // namespace
}  // namespace wahana::testing
