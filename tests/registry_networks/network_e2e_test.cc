// WKSBM networks end to end: the real processes (Redis, the services, the gateway), called over
// HTTP. Member institutions are made through /v1/institutions on the same registry.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/redis_inspection.h"
#include "support/suite.h"

namespace wahana::testing {
namespace {

using nlohmann::json;

constexpr char kUnicodeName[] = "WKSBM Nurul Huda — ‘Ar-Raḥmān’ مجلس";

class NetworkE2eTest : public ::testing::Test {
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
                           const std::string& body = "") {
    return suite_->Call(method, target, body);
  }
  static json Json(const HttpResponse& r) { return Suite::Json(r); }
  static std::string Message(const HttpResponse& r) { return Json(r).value("message", ""); }

  static std::string MakeInstitution(const std::string& kind, const std::string& name,
                                     const std::string& village) {
    json in = {{"kind", kind}, {"name", name}, {"villageCode", village}};
    HttpResponse r = Call("POST", "/v1/institutions", in.dump());
    EXPECT_EQ(r.status, 200) << r.body;
    return Json(r).value("id", "");
  }
  static std::vector<std::string> Ids(const HttpResponse& r) {
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> ids;
    for (const auto& n : Json(r).value("networks", json::array())) ids.push_back(n["id"]);
    return ids;
  }
  static bool Contains(const std::vector<std::string>& ids, const std::string& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  }

  static Suite* suite_;
};

Suite* NetworkE2eTest::suite_ = nullptr;

TEST_F(NetworkE2eTest, FormAWksbmWithItsMembersOverHttp) {
  json in = {{"kind", "VILLAGE"}, {"name", kUnicodeName}, {"villageCode", "16.06.01.2001"}};
  HttpResponse created = Call("POST", "/v1/networks?requestId=e2e-net-1", in.dump());
  ASSERT_EQ(created.status, 200) << created.body;
  json n = Json(created);
  const std::string id = n["id"];
  EXPECT_EQ(n["name"].get<std::string>(), kUnicodeName);
  EXPECT_EQ(n["stage"], "PREPARATION");
  ASSERT_EQ(n["stageHistory"].size(), 1u);
  EXPECT_EQ(n["stageHistory"][0]["stage"], "PREPARATION");
  EXPECT_EQ(Json(Call("POST", "/v1/networks?requestId=e2e-net-1", in.dump()))["id"], id);

  HttpResponse got = Call("GET", "/v1/networks/" + id);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(Json(got)["name"].get<std::string>(), kUnicodeName);

  // A second network for the same village is refused, naming the first.
  HttpResponse twin = Call("POST", "/v1/networks", in.dump());
  EXPECT_EQ(twin.status, 409) << twin.body;
  EXPECT_NE(Message(twin).find(id), std::string::npos) << twin.body;

  // Members: from the village and its kecamatan, not from another kecamatan.
  std::string pkk = MakeInstitution("PKK", "PKK Desa Sukarami", "16.06.01.2001");
  std::string karang = MakeInstitution("KARANG_TARUNA", "Karang Taruna Lumpatan", "16.06.01.2002");
  std::string lais =
      MakeInstitution("MAJELIS_TAKLIM", "Majelis Taklim Danau Cala", "16.06.02.2001");

  HttpResponse added = Call("POST", "/v1/networks/" + id + ":addMember",
                            json({{"etag", "1"}, {"institutionId", pkk}}).dump());
  ASSERT_EQ(added.status, 200) << added.body;
  EXPECT_EQ(Json(added)["etag"], "2");
  HttpResponse far = Call("POST", "/v1/networks/" + id + ":addMember",
                          json({{"etag", "2"}, {"institutionId", lais}}).dump());
  EXPECT_EQ(far.status, 400) << far.body;
  EXPECT_EQ(Message(far).rfind("institutionId:", 0), 0u) << far.body;
  HttpResponse stale = Call("POST", "/v1/networks/" + id + ":addMember",
                            json({{"etag", "1"}, {"institutionId", karang}}).dump());
  EXPECT_EQ(stale.status, 409) << stale.body;
  HttpResponse neighbour = Call("POST", "/v1/networks/" + id + ":addMember",
                                json({{"etag", "2"}, {"institutionId", karang}}).dump());
  ASSERT_EQ(neighbour.status, 200) << neighbour.body;
  EXPECT_EQ(Json(neighbour)["memberInstitutionIds"], json::array({pkk, karang}));
  HttpResponse not_member = Call("POST", "/v1/networks/" + id + ":removeMember",
                                 json({{"etag", "3"}, {"institutionId", lais}}).dump());
  EXPECT_EQ(not_member.status, 404) << not_member.body;

  // The lifecycle: one step at a time, the decree before LEGALIZED.
  HttpResponse skip =
      Call("POST", "/v1/networks/" + id + ":advance",
           json({{"etag", "3"}, {"stage", "LEGALIZED"}, {"date", "2026-01-10"}}).dump());
  EXPECT_EQ(skip.status, 400) << skip.body;  // FAILED_PRECONDITION
  EXPECT_NE(Message(skip).find("allowed next: SOCIALIZED"), std::string::npos) << skip.body;
  HttpResponse socialized = Call("POST", "/v1/networks/" + id + ":advance",
                                 json({{"etag", "3"},
                                       {"stage", "SOCIALIZED"},
                                       {"date", "2026-01-10"},
                                       {"note", "Sosialisasi di balai desa"}})
                                     .dump());
  ASSERT_EQ(socialized.status, 200) << socialized.body;
  EXPECT_EQ(Json(socialized)["stage"], "SOCIALIZED");

  // Update: descriptive fields only; a stale etag is 409.
  HttpResponse stage_by_update =
      Call("PATCH", "/v1/networks/" + id + "?updateMask=stage", R"({"etag":"4","stage":"ACTIVE"})");
  EXPECT_EQ(stage_by_update.status, 400) << stage_by_update.body;
  json decree = {{"etag", "4"},
                 {"decree",
                  {{"number", "141/12/SK/SKR/2026"},
                   {"date", "2026-02-01"},
                   {"issuer", "Kepala Desa Sukarami"}}}};
  HttpResponse with_decree =
      Call("PATCH", "/v1/networks/" + id + "?updateMask=decree", decree.dump());
  ASSERT_EQ(with_decree.status, 200) << with_decree.body;
  EXPECT_EQ(Json(with_decree)["decree"]["issuer"], "Kepala Desa Sukarami");
  HttpResponse stale_update =
      Call("PATCH", "/v1/networks/" + id + "?updateMask=decree", decree.dump());
  EXPECT_EQ(stale_update.status, 409) << stale_update.body;

  // Lists: by region prefix and by stage.
  EXPECT_TRUE(Contains(Ids(Call("GET", "/v1/networks?region=16.06.01")), id));
  EXPECT_FALSE(Contains(Ids(Call("GET", "/v1/networks?region=16.06.02")), id));
  EXPECT_TRUE(Contains(Ids(Call("GET", "/v1/networks?stage=SOCIALIZED")), id));
  EXPECT_FALSE(Contains(Ids(Call("GET", "/v1/networks?stage=PREPARATION")), id));

  // Archive: hidden unless showArchived.
  HttpResponse archived =
      Call("POST", "/v1/networks/" + id + ":archive", R"({"etag":"5","reason":"uji e2e"})");
  ASSERT_EQ(archived.status, 200) << archived.body;
  EXPECT_FALSE(Contains(Ids(Call("GET", "/v1/networks?region=16.06.01")), id));
  EXPECT_TRUE(Contains(Ids(Call("GET", "/v1/networks?region=16.06.01&showArchived=true")), id));

  // Every change is a NetworkChanged on the registry's stream.
  auto redis = suite_->redis().Client();
  std::vector<std::string> types;
  for (const auto& envelope : StreamMessages(*redis, "registry:{16.06}:stream")) {
    if (envelope.aggregate_id() == id) types.push_back(envelope.type());
  }
  EXPECT_EQ(types.size(), 6u);  // created, 2 members, advanced, updated, archived
  for (const std::string& type : types) EXPECT_EQ(type, "wahana.registry.v1.NetworkChanged");
}

TEST_F(NetworkE2eTest, BadInputIs400NamingTheField) {
  HttpResponse no_rw = Call("POST", "/v1/networks",
                            R"({"kind":"RW","name":"WKSBM RW","villageCode":"16.06.01.2002"})");
  EXPECT_EQ(no_rw.status, 400) << no_rw.body;
  EXPECT_EQ(Message(no_rw).rfind("rw:", 0), 0u) << no_rw.body;
  HttpResponse subdistrict =
      Call("POST", "/v1/networks", R"({"kind":"VILLAGE","name":"WKSBM","villageCode":"16.06.01"})");
  EXPECT_EQ(subdistrict.status, 400) << subdistrict.body;
  EXPECT_EQ(Message(subdistrict).rfind("villageCode:", 0), 0u) << subdistrict.body;
  EXPECT_EQ(Call("GET", "/v1/networks?region=17").status, 403);  // disjoint from the scope
  EXPECT_EQ(Call("GET", "/v1/networks?region=1x").status, 400);  // not a region code
  EXPECT_EQ(Call("GET", "/v1/networks/nope").status, 400);
  EXPECT_EQ(Call("GET", "/v1/networks/01J0000000000000000000000Z").status, 404);
}

}  // namespace
}  // namespace wahana::testing
