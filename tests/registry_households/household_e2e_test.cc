// Households end to end: the real suite over HTTP. Members are beneficiaries created through the
// beneficiary API first, as an operator would; the KK history is kept across a KK change and lists
// mask every KK number.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "common/bus/envelope.h"
#include "support/redis_inspection.h"
#include "support/suite.h"
#include "wahana/registry/v1/household.pb.h"

namespace wahana::testing {
namespace {

using nlohmann::json;

constexpr char kStream[] = "registry:{16.06}:stream";
constexpr char kVillage[] = "16.06.01.2001";
constexpr char kKk[] = "1606010101200001";
constexpr char kNewKk[] = "1606010202240007";

class HouseholdE2eTest : public ::testing::Test {
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

  // A beneficiary through the API; its id.
  static std::string Beneficiary(const std::string& name, const std::string& sex,
                                 const std::string& birth_date) {
    json b = {{"fullName", name},        {"sex", sex},      {"birthDate", birth_date},
              {"villageCode", kVillage}, {"kkNumber", kKk}, {"ppksCategories", {"FAKIR_MISKIN"}}};
    HttpResponse r = Call("POST", "/v1/beneficiaries", b);
    EXPECT_EQ(r.status, 200) << r.body;
    return Json(r).value("id", "");
  }

  static json Member(const std::string& id, const std::string& relation) {
    return {{"beneficiaryId", id}, {"relation", relation}};
  }

  static Suite* suite_;
};

Suite* HouseholdE2eTest::suite_ = nullptr;

TEST_F(HouseholdE2eTest, MembersKkHistoryAndMasking) {
  const std::string ayah = Beneficiary("Abdul Rahman", "MALE", "1970-03-12");
  const std::string ibu = Beneficiary("Siti Nur'aini", "FEMALE", "1975-08-17");
  const std::string anak = Beneficiary("عائشة", "FEMALE", "2012-01-05");
  ASSERT_FALSE(ayah.empty() || ibu.empty() || anak.empty());

  json family = {{"kkNumber", kKk},
                 {"villageCode", kVillage},
                 {"address", "Dusun III, RT 04 — dekat Langgar Al-Ikhlas"},
                 {"members", {Member(ayah, "HEAD"), Member(ibu, "SPOUSE"), Member(anak, "CHILD")}}};
  HttpResponse created = Call("POST", "/v1/households", family);
  ASSERT_EQ(created.status, 200) << created.body;
  json h = Json(created);
  const std::string id = h["id"];
  EXPECT_EQ(h["etag"], "1");
  EXPECT_EQ(h["kkNumber"], kKk);
  EXPECT_EQ(h["address"], "Dusun III, RT 04 — dekat Langgar Al-Ikhlas");
  ASSERT_EQ(h["members"].size(), 3u);
  EXPECT_EQ(h["members"][0]["relation"], "HEAD");
  ASSERT_EQ(h["kkHistory"].size(), 1u);
  EXPECT_EQ(h["kkHistory"][0]["kkNumber"], kKk);
  EXPECT_EQ(h["kkHistory"][0]["validTo"], "");

  // The son cannot be in a second live household; an unknown beneficiary is a bad request.
  json second = {{"villageCode", kVillage}, {"members", {Member(anak, "HEAD")}}};
  HttpResponse taken = Call("POST", "/v1/households", second);
  EXPECT_EQ(taken.status, 400) << taken.body;
  EXPECT_EQ(Json(taken)["code"], 9);  // FAILED_PRECONDITION
  EXPECT_NE(taken.body.find(id), std::string::npos) << taken.body;
  second["members"] = {Member("01JD0000000000000000000000", "HEAD")};
  HttpResponse unknown = Call("POST", "/v1/households", second);
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  EXPECT_EQ(Json(unknown)["message"].get<std::string>().rfind("members[0].beneficiaryId: ", 0), 0u)
      << unknown.body;
  // The same KK on another household: 409 naming the holder.
  HttpResponse same_kk =
      Call("POST", "/v1/households", {{"villageCode", kVillage}, {"kkNumber", kKk}});
  EXPECT_EQ(same_kk.status, 409) << same_kk.body;
  EXPECT_NE(same_kk.body.find(id), std::string::npos) << same_kk.body;

  // The family moves to a new card.
  json change = {{"kkNumber", kNewKk}, {"kkChangeReason", "pindah"}, {"etag", "1"}};
  HttpResponse changed = Call("PATCH", "/v1/households/" + id + "?updateMask=kkNumber", change);
  ASSERT_EQ(changed.status, 200) << changed.body;
  HttpResponse read = Call("GET", "/v1/households/" + id);
  ASSERT_EQ(read.status, 200) << read.body;
  json now = Json(read);
  EXPECT_EQ(now["etag"], "2");
  EXPECT_EQ(now["kkNumber"], kNewKk) << "get shows the KK whole";
  EXPECT_EQ(now["kkChangeReason"], "");
  ASSERT_EQ(now["kkHistory"].size(), 2u);
  EXPECT_EQ(now["kkHistory"][0]["kkNumber"], kKk);
  EXPECT_EQ(now["kkHistory"][0]["reason"], "pindah");
  EXPECT_NE(now["kkHistory"][0]["validTo"], "");
  EXPECT_EQ(now["kkHistory"][1]["kkNumber"], kNewKk);
  EXPECT_EQ(now["kkHistory"][1]["validTo"], "");

  HttpResponse stale = Call("PATCH", "/v1/households/" + id + "?updateMask=kkNumber", change);
  EXPECT_EQ(stale.status, 409) << stale.body;
  HttpResponse no_reason = Call("PATCH", "/v1/households/" + id + "?updateMask=kkNumber",
                                {{"kkNumber", "1606010303250001"}, {"etag", "2"}});
  EXPECT_EQ(no_reason.status, 400) << no_reason.body;
  EXPECT_NE(no_reason.body.find("kkChangeReason"), std::string::npos) << no_reason.body;

  HttpResponse listed = Call("GET", "/v1/households?region=16.06.01");
  ASSERT_EQ(listed.status, 200) << listed.body;
  json households = Json(listed)["households"];
  ASSERT_EQ(households.size(), 1u) << listed.body;
  EXPECT_EQ(households[0]["kkNumber"], "****************");
  EXPECT_EQ(households[0]["kkHistory"][0]["kkNumber"], "****************");
  EXPECT_EQ(listed.body.find(kKk), std::string::npos) << listed.body;
  EXPECT_EQ(listed.body.find(kNewKk), std::string::npos) << listed.body;

  // Both changes are on the registry's stream with the whole record.
  auto redis = suite_->redis().Client();
  std::vector<std::string> actions;
  for (const auto& envelope : StreamMessages(*redis, kStream)) {
    if (envelope.type() != "wahana.registry.v1.HouseholdChanged") continue;
    wahana::registry::v1::HouseholdChanged payload;
    ASSERT_TRUE(envelope.payload().UnpackTo(&payload));
    if (payload.household().id() != id) continue;
    actions.push_back(payload.action());
    if (payload.action() == "updated") {
      EXPECT_EQ(payload.reason(), "pindah");
    }
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"created", "updated"}));

  HttpResponse archived =
      Call("POST", "/v1/households/" + id + ":archive", {{"etag", "2"}, {"reason", "cerai"}});
  ASSERT_EQ(archived.status, 200) << archived.body;
  EXPECT_EQ(Json(Call("GET", "/v1/households?region=16.06.01"))["households"].size(), 0u);
  // Its members are free again.
  second["members"] = {Member(anak, "HEAD")};
  EXPECT_EQ(Call("POST", "/v1/households", second).status, 200);
}

}  // namespace
}  // namespace wahana::testing
