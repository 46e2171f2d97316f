// Issue 11, item 3, "a reference is a read", through the whole suite as processes: every request
// field that names another record x a record outside the caller's scope answers 404 with exactly
// the body an unknown id gets (the id aside), and Redis holds what it held before (the audit
// trail aside, which records every call). A worker's kecamatan are set only inside the caller's
// scope (403 naming subdistrictCodes[i]).
//
// The caller is an OPERATOR of Sekayu (16.06.01); the records it may not read lie in Lais
// (16.06.02), made by the regency's bootstrap ADMIN.

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "common/redis/redis_client.h"
#include "support/redis_inspection.h"
#include "support/suite.h"
#include "support/test_auth.h"

namespace wahana::testing {
namespace {

using nlohmann::json;

constexpr char kSekayuVillage[] = "16.06.01.2001";
constexpr char kLaisVillage[] = "16.06.02.2001";
// A well-formed id no record has.
constexpr char kUnknown[] = "01HZX5J6Q0W6Z9V3K8N2M4P7ZZ";

class ReferencesE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    suite_ = new Suite();
    started_ = suite_->Start();
    if (started_) CreateRecords();
    for (const std::string* id : {&lais_person_, &lais_household_, &lais_group_, &lais_worker_,
                                  &sekayu_person_, &sekayu_group_, &network_, &conflict_}) {
      if (id->empty()) started_ = false;
    }
  }
  static void TearDownTestSuite() {
    delete suite_;
    suite_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(started_) << "the suite or its records did not start"; }

  static json Admin(const std::string& method, const std::string& target, const json& body) {
    HttpResponse r = suite_->Call(method, target, body.is_null() ? "" : body.dump());
    EXPECT_EQ(r.status, 200) << method << " " << target << ": " << r.body;
    return Suite::Json(r);
  }
  static std::string Etag(const std::string& path) {
    return Admin("GET", path, nullptr).value("etag", "");
  }

  static std::string Beneficiary(const std::string& nik, const std::string& village) {
    return Admin("POST", "/v1/beneficiaries",
                 {{"nik", nik},
                  {"fullName", "Penerima Rujukan"},
                  {"sex", "FEMALE"},
                  {"birthDate", "1948-03-17"},
                  {"villageCode", village},
                  {"ppksCategories", {"LANJUT_USIA_TELANTAR"}}})
        .value("id", "");
  }
  static std::string Institution(const std::string& name, const std::string& village) {
    return Admin("POST", "/v1/institutions",
                 {{"kind", "PKK"}, {"name", name}, {"villageCode", village}})
        .value("id", "");
  }

  static void CreateRecords() {
    lais_person_ = Beneficiary("1606025703480071", kLaisVillage);
    lais_household_ = Admin("POST", "/v1/households",
                            {{"villageCode", kLaisVillage}, {"address", "Dusun Rahasia Lais"}})
                          .value("id", "");
    lais_group_ = Institution("PKK Rahasia Lais", kLaisVillage);
    lais_worker_ = Admin("POST", "/v1/workers",
                         {{"kind", "TKSK"},
                          {"nik", "1606021505800071"},
                          {"fullName", "Pekerja Rahasia Lais"},
                          {"villageCode", kLaisVillage},
                          {"subdistrictCodes", {"16.06.02"}}})
                       .value("id", "");
    sekayu_person_ = Beneficiary("1606015703480072", kSekayuVillage);
    sekayu_group_ = Institution("PKK Sekayu", kSekayuVillage);
    network_ =
        Admin("POST", "/v1/networks",
              {{"kind", "VILLAGE"}, {"name", "WKSBM Sekayu"}, {"villageCode", kSekayuVillage}})
            .value("id", "");
    conflict_ =
        Admin(
            "POST", "/v1/cases",
            {{"villageCode", kSekayuVillage},
             {"category", "KORBAN_TINDAK_KEKERASAN"},
             {"kind", "SOCIAL_CONFLICT"},
             {"parties", {{{"beneficiaryId", sekayu_person_}}, {{"institutionId", sekayu_group_}}}},
             {"summary", "Sengketa lahan"}})
            .value("id", "");
  }

  static std::map<std::string, std::string> AsSekayuOperator() {
    Principal p;
    p.subject = "sso:operator-sekayu";
    p.role = Role::kOperator;
    p.region_scope = "16.06.01";
    return {{"Authorization", "Bearer " + TestToken(p)}};
  }

  // Redis as a refused call must leave it: every key but the audit trails (which record the
  // refusal itself).
  static std::map<std::string, std::string> Stored() {
    auto redis = RedisClient::Connect(suite_->redis().options());
    EXPECT_TRUE(redis.ok()) << redis.status();
    if (!redis.ok()) return {};
    std::map<std::string, std::string> all = RedisSnapshot(**redis);
    std::map<std::string, std::string> kept;
    for (auto& [key, value] : all) {
      if (absl::StrContains(key, ":audit")) continue;
      kept[key] = value;
    }
    return kept;
  }

  // Stored() once the services have consumed what earlier calls streamed (the consumers'
  // positions and projections move after a write): two snapshots 100 ms apart that agree.
  static std::map<std::string, std::string> Settled() {
    std::map<std::string, std::string> last = Stored();
    for (int i = 0; i < 50; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      std::map<std::string, std::string> now = Stored();
      if (now == last) return now;
      last = std::move(now);
    }
    return last;
  }

  // `body(id)` sent as the Sekayu operator naming `outside` and naming an unknown id: both 404,
  // the same message but for the id ("<field>: <kind> <id> not found"), nothing stored.
  static void ExpectUnknown(const std::string& target_of, const std::string& field,
                            const std::string& kind, const std::string& outside,
                            const std::function<json(const std::string& id)>& body) {
    SCOPED_TRACE(field);
    const std::map<std::string, std::string> before = Settled();
    HttpResponse named = suite_->Call("POST", target_of, body(outside).dump(), AsSekayuOperator());
    HttpResponse unknown =
        suite_->Call("POST", target_of, body(kUnknown).dump(), AsSekayuOperator());
    EXPECT_EQ(named.status, 404) << named.body;
    EXPECT_EQ(unknown.status, 404) << unknown.body;
    const json a = Suite::Json(named);
    const json b = Suite::Json(unknown);
    EXPECT_EQ(a.value("message", ""), field + ": " + kind + " " + outside + " not found");
    EXPECT_EQ(b.value("message", ""), field + ": " + kind + " " + kUnknown + " not found");
    EXPECT_EQ(absl::StrReplaceAll(named.body, {{outside, kUnknown}}), unknown.body)
        << "the same answer as an unknown id";
    for (const char* secret : {"Lais", "16.06.02", "Rahasia"}) {
      EXPECT_FALSE(absl::StrContains(named.body, secret)) << named.body;
    }
    EXPECT_EQ(Stored(), before) << "a refusal writes nothing";
  }

  static json CaseNaming(const std::function<void(json&)>& edit) {
    json c = {{"villageCode", kSekayuVillage},
              {"category", "ANAK_TELANTAR"},
              {"kind", "INDIVIDUAL"},
              {"summary", "Anak tinggal sendiri"}};
    edit(c);
    return c;
  }
  static json Step(json body) {
    body["etag"] = Etag("/v1/cases/" + conflict_);
    return body;
  }

  static inline Suite* suite_ = nullptr;
  static inline bool started_ = false;
  static inline std::string lais_person_, lais_household_, lais_group_, lais_worker_;
  static inline std::string sekayu_person_, sekayu_group_, network_, conflict_;
};

TEST_F(ReferencesE2eTest, ACaseNamesOnlyRecordsTheCallerCanRead) {
  ExpectUnknown(
      "/v1/cases", "beneficiaryId", "beneficiary", lais_person_,
      [](const std::string& id) { return CaseNaming([&](json& c) { c["beneficiaryId"] = id; }); });
  ExpectUnknown("/v1/cases", "householdId", "household", lais_household_,
                [](const std::string& id) {
                  return CaseNaming([&](json& c) {
                    c["kind"] = "FAMILY";
                    c["householdId"] = id;
                  });
                });
  ExpectUnknown("/v1/cases", "parties[1].beneficiaryId", "beneficiary", lais_person_,
                [](const std::string& id) {
                  return CaseNaming([&](json& c) {
                    c["kind"] = "SOCIAL_CONFLICT";
                    c["parties"] = {{{"institutionId", sekayu_group_}}, {{"beneficiaryId", id}}};
                  });
                });
  ExpectUnknown("/v1/cases", "parties[1].institutionId", "institution", lais_group_,
                [](const std::string& id) {
                  return CaseNaming([&](json& c) {
                    c["kind"] = "SOCIAL_CONFLICT";
                    c["parties"] = {{{"beneficiaryId", sekayu_person_}}, {{"institutionId", id}}};
                  });
                });
  ExpectUnknown(
      "/v1/cases", "reporter.workerId", "worker", lais_worker_, [](const std::string& id) {
        return CaseNaming([&](json& c) { c["reporter"] = {{"kind", "WORKER"}, {"workerId", id}}; });
      });
  ExpectUnknown("/v1/cases", "reporter.institutionId", "institution", lais_group_,
                [](const std::string& id) {
                  return CaseNaming([&](json& c) {
                    c["reporter"] = {{"kind", "INSTITUTION"}, {"institutionId", id}};
                  });
                });
  // The regency's admin may name it: the record exists, and the case service now knows it (with
  // its region) in its projection of the registry, which answers the next create without the
  // registry: still the unknown id's answer.
  EXPECT_EQ(suite_
                ->Call("POST", "/v1/cases",
                       CaseNaming([](json& c) { c["beneficiaryId"] = lais_person_; }).dump())
                .status,
            200);
  ExpectUnknown(
      "/v1/cases", "beneficiaryId", "beneficiary", lais_person_,
      [](const std::string& id) { return CaseNaming([&](json& c) { c["beneficiaryId"] = id; }); });
}

TEST_F(ReferencesE2eTest, ACaseStepNamesOnlyRecordsTheCallerCanRead) {
  const std::string c = "/v1/cases/" + conflict_;
  ExpectUnknown(c + ":assign", "workerId", "worker", lais_worker_, [](const std::string& id) {
    return Step({{"workerId", id}});
  });
  ExpectUnknown(c + ":refer", "institutionId", "institution", lais_group_,
                [](const std::string& id) {
                  return Step({{"target", "REFERRAL_INSTITUTION"},
                               {"institutionId", id},
                               {"reason", "pendampingan"}});
                });
  ExpectUnknown(c + ":recordSession", "mediatorWorkerId", "worker", lais_worker_,
                [](const std::string& id) {
                  return Step({{"session", {{"date", "2026-01-05"}}}, {"mediatorWorkerId", id}});
                });
}

TEST_F(ReferencesE2eTest, RegistryLinksNameOnlyRecordsTheCallerCanRead) {
  ExpectUnknown("/v1/households", "members[0].beneficiaryId", "beneficiary", lais_person_,
                [](const std::string& id) {
                  return json{{"villageCode", kSekayuVillage},
                              {"address", "Dusun Sekayu"},
                              {"members", {{{"beneficiaryId", id}, {"relation", "HEAD"}}}}};
                });
  ExpectUnknown("/v1/networks/" + network_ + ":addMember", "institutionId", "institution",
                lais_group_, [](const std::string& id) {
                  return json{{"etag", Etag("/v1/networks/" + network_)}, {"institutionId", id}};
                });
}

TEST_F(ReferencesE2eTest, AWorkersSubdistrictsLieInsideTheCallersScope) {
  const std::map<std::string, std::string> before = Settled();
  HttpResponse r = suite_->Call("POST", "/v1/workers",
                                json{{"kind", "TKSK"},
                                     {"nik", "1606011505800073"},
                                     {"fullName", "Pekerja Sekayu"},
                                     {"villageCode", kSekayuVillage},
                                     {"subdistrictCodes", {"16.06.01", "16.06.02"}}}
                                    .dump(),
                                AsSekayuOperator());
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(Suite::Json(r).value("message", ""),
            "subdistrictCodes[1]: kecamatan 16.06.02 lies outside your region scope 16.06.01");
  EXPECT_EQ(Stored(), before);
}

}  // namespace
}  // namespace wahana::testing
