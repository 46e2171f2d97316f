// Institutions end to end: the real processes (Redis, the services, the gateway), called over HTTP
// as a district operator's client would.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/redis_inspection.h"
#include "support/suite.h"

namespace wahana::testing {
namespace {

using nlohmann::json;

// Diacritics, an em dash, curly apostrophes and Arabic script: stored and returned byte-exact.
constexpr char kUnicodeName[] = "Majelis Taklim Nurul Huda — ‘Ar-Raḥmān’ مجلس";

class InstitutionE2eTest : public ::testing::Test {
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
  static std::vector<std::string> Ids(const json& list) {
    std::vector<std::string> ids;
    for (const auto& i : list.value("institutions", json::array())) ids.push_back(i["id"]);
    return ids;
  }
  static bool Contains(const std::vector<std::string>& ids, const std::string& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  }

  static Suite* suite_;
};

Suite* InstitutionE2eTest::suite_ = nullptr;

TEST_F(InstitutionE2eTest, CreateGetListUpdateArchive) {
  json in = {{"kind", "MAJELIS_TAKLIM"},
             {"name", kUnicodeName},
             {"villageCode", "16.06.01.2001"},
             {"address", "Jl. Masjid Al-Ikhlas, RT 03"},
             {"leaders", {{{"fullName", "Hj. Nur’aini"}, {"role", "ketua"}}}},
             {"memberCount", 45},
             {"foundedDate", "2009-06-01"}};
  HttpResponse created = Call("POST", "/v1/institutions?requestId=e2e-inst-1", in.dump());
  ASSERT_EQ(created.status, 200) << created.body;
  json c = Json(created);
  const std::string id = c["id"];
  EXPECT_EQ(c["name"].get<std::string>(), kUnicodeName);
  EXPECT_EQ(c["status"], "ACTIVE");
  EXPECT_EQ(c["etag"], "1");
  EXPECT_EQ(c["leaders"][0]["fullName"].get<std::string>(), "Hj. Nur’aini");

  // The same requestId again: the same institution, nothing new.
  HttpResponse again = Call("POST", "/v1/institutions?requestId=e2e-inst-1", in.dump());
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(Json(again)["id"], id);

  HttpResponse got = Call("GET", "/v1/institutions/" + id);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(Json(got)["name"].get<std::string>(), kUnicodeName);

  // A second one in another kecamatan, for the region filter.
  json lais = {{"kind", "LUMBUNG_DESA"},
               {"name", "Lumbung Desa Danau Cala"},
               {"villageCode", "16.06.02.2001"},
               {"granaryStock", {{"riceKg", 1200}, {"asOf", "2026-01-31"}}}};
  HttpResponse other = Call("POST", "/v1/institutions", lais.dump());
  ASSERT_EQ(other.status, 200) << other.body;
  const std::string other_id = Json(other)["id"];

  std::vector<std::string> sekayu = Ids(Json(Call("GET", "/v1/institutions?region=16.06.01")));
  EXPECT_TRUE(Contains(sekayu, id));
  EXPECT_FALSE(Contains(sekayu, other_id));
  std::vector<std::string> all =
      Ids(Json(Call("GET", "/v1/institutions?region=16.06&pageSize=500")));
  EXPECT_TRUE(Contains(all, id));
  EXPECT_TRUE(Contains(all, other_id));
  std::vector<std::string> granaries = Ids(Json(Call("GET", "/v1/institutions?kind=LUMBUNG_DESA")));
  EXPECT_TRUE(Contains(granaries, other_id));
  EXPECT_FALSE(Contains(granaries, id));
  EXPECT_EQ(Call("GET", "/v1/institutions?pageSize=501").status, 400);

  // Update: a stale etag is 409, the current one goes through.
  json stale = {{"etag", "7"}, {"memberCount", 50}};
  HttpResponse conflict =
      Call("PATCH", "/v1/institutions/" + id + "?updateMask=memberCount", stale.dump());
  EXPECT_EQ(conflict.status, 409) << conflict.body;
  json current = {{"etag", "1"}, {"memberCount", 50}, {"status", "INACTIVE"}};
  HttpResponse updated =
      Call("PATCH", "/v1/institutions/" + id + "?updateMask=memberCount,status", current.dump());
  ASSERT_EQ(updated.status, 200) << updated.body;
  json u = Json(updated);
  EXPECT_EQ(u["etag"], "2");
  EXPECT_EQ(u["memberCount"], 50);
  EXPECT_EQ(u["status"], "INACTIVE");
  EXPECT_EQ(u["name"].get<std::string>(), kUnicodeName);
  HttpResponse server_field =
      Call("PATCH", "/v1/institutions/" + id + "?updateMask=archived", R"({"etag":"2"})");
  EXPECT_EQ(server_field.status, 400) << server_field.body;

  // An archive without the etag read is refused naming it, and changes nothing.
  HttpResponse blind =
      Call("POST", "/v1/institutions/" + id + ":archive", R"({"reason":"tidak aktif lagi"})");
  EXPECT_EQ(blind.status, 400) << blind.body;
  EXPECT_EQ(Json(blind)["code"], 3);  // INVALID_ARGUMENT
  EXPECT_EQ(Json(blind)["message"], "etag: required (the etag of the institution as read)");
  EXPECT_EQ(Json(Call("GET", "/v1/institutions/" + id))["archived"], false);

  // Archive: hidden from lists unless asked for.
  HttpResponse archived = Call("POST", "/v1/institutions/" + id + ":archive",
                               R"({"etag":"2","reason":"tidak aktif lagi"})");
  ASSERT_EQ(archived.status, 200) << archived.body;
  EXPECT_EQ(Json(archived)["archived"], true);
  EXPECT_FALSE(Contains(Ids(Json(Call("GET", "/v1/institutions?region=16.06.01"))), id));
  EXPECT_TRUE(
      Contains(Ids(Json(Call("GET", "/v1/institutions?region=16.06.01&showArchived=true"))), id));
  EXPECT_EQ(Call("GET", "/v1/institutions/" + id).status, 200) << "still readable";

  // Every change is a message on the registry's stream.
  auto redis = suite_->redis().Client();
  int messages = 0;
  for (const auto& envelope : StreamMessages(*redis, "registry:{16.06}:stream")) {
    if (envelope.aggregate_id() == id) ++messages;
  }
  EXPECT_EQ(messages, 3);  // created, updated, archived
}

TEST_F(InstitutionE2eTest, BadInputIs400NamingTheField) {
  struct Case {
    json body;
    std::string field;
  };
  std::vector<Case> cases = {
      {{{"name", "PKK"}, {"villageCode", "16.06.01.2001"}}, "kind"},
      {{{"kind", "OTHER"}, {"name", "Kelompok"}, {"villageCode", "16.06.01.2001"}},
       "otherKindLabel"},
      {{{"kind", "PKK"}, {"villageCode", "16.06.01.2001"}}, "name"},
      {{{"kind", "PKK"}, {"name", "PKK"}, {"villageCode", "16.06.01.9999"}}, "villageCode"},
      {{{"kind", "PKK"}, {"name", "PKK"}, {"villageCode", "16.71.01.1001"}}, "villageCode"},
      {{{"kind", "PKK"}, {"name", "PKK"}, {"villageCode", "16.06.01.2001"}, {"memberCount", -3}},
       "memberCount"},
      {{{"kind", "PKK"},
        {"name", "PKK"},
        {"villageCode", "16.06.01.2001"},
        {"foundedDate", "2023-02-29"}},
       "foundedDate"},
      {{{"kind", "PKK"},
        {"name", "PKK"},
        {"villageCode", "16.06.01.2001"},
        {"granaryStock", {{"riceKg", 10}}}},
       "granaryStock"},
      {{{"kind", "LKS"},
        {"name", "LKS"},
        {"villageCode", "16.06.01.2001"},
        {"jointBusiness", {{"business", "warung"}}}},
       "jointBusiness"},
  };
  for (const Case& c : cases) {
    HttpResponse r = Call("POST", "/v1/institutions", c.body.dump());
    EXPECT_EQ(r.status, 400) << c.field << ": " << r.body;
    std::string message = Json(r).value("message", "");
    EXPECT_EQ(message.rfind(c.field + ":", 0), 0u) << message;
  }
  EXPECT_EQ(Call("GET", "/v1/institutions/01J0000000000000000000000Z").status, 404);
}

}  // namespace
}  // namespace wahana::testing
