#include "federation/lookup_answerer.h"

#include <gtest/gtest.h>

namespace wahana {
namespace {

using wahana::federation::v1::LookupQuery;
using wahana::federation::v1::SignedLookup;

constexpr char kNik[] = "1606015708790001";

Ed25519PrivateKey NewKey() {
  absl::StatusOr<Ed25519PrivateKey> key = Ed25519PrivateKey::Generate();
  EXPECT_TRUE(key.ok());
  return *key;
}

class LookupAnswererTest : public ::testing::Test {
 protected:
  LookupAnswererTest()
      : province_key_(NewKey()),
        answerer_(
            "16.06", province_key_.PublicKey(),
            [this](const std::string& nik)
                -> absl::StatusOr<std::optional<wahana::registry::v1::Beneficiary>> {
              asked_.push_back(nik);
              if (nik != kNik) return std::nullopt;
              wahana::registry::v1::Beneficiary b;
              b.set_id("01JDSITI");
              b.set_nik(kNik);
              b.set_full_name("Siti Nur'aini");
              b.set_birth_date("1979-08-17");
              b.set_village_code("16.06.01.2001");
              b.add_ppks_categories(wahana::common::v1::FAKIR_MISKIN);
              return b;
            },
            [this] { return now_; }) {}

  SignedLookup Question(const std::string& district, const std::string& nik, absl::Time issued,
                        const Ed25519PrivateKey& key, const std::string& province = "16") {
    LookupQuery query;
    query.set_province(province);
    query.set_district(district);
    query.set_nik(nik);
    query.set_asked_by("apikey:test");
    query.mutable_issued_at()->set_seconds(absl::ToUnixSeconds(issued));
    SignedLookup signed_lookup;
    signed_lookup.set_query(query.SerializeAsString());
    signed_lookup.set_signature(key.Sign(signed_lookup.query()));
    return signed_lookup;
  }

  absl::Time now_ = absl::FromUnixSeconds(1796000000);
  Ed25519PrivateKey province_key_;
  std::vector<std::string> asked_;
  LookupAnswerer answerer_;
};

TEST_F(LookupAnswererTest, AnswersItsProvinceWithWhoAndWhereOnly) {
  auto answer = answerer_.Answer(Question("16.06", kNik, now_, province_key_));
  ASSERT_TRUE(answer.ok()) << answer.status();
  ASSERT_TRUE(answer->has_match());
  EXPECT_EQ(answer->match().region(), "16.06");
  EXPECT_EQ(answer->match().id(), "01JDSITI");
  EXPECT_EQ(answer->match().full_name(), "Siti Nur'aini");
  EXPECT_EQ(answer->match().village_code(), "16.06.01.2001");
  // Least data: no birth date, no NIK, nothing else of the record travels.
  EXPECT_EQ(answer->match().DebugString().find("1979"), std::string::npos);

  auto nobody = answerer_.Answer(Question("16.06", "1606015708790009", now_, province_key_));
  ASSERT_TRUE(nobody.ok()) << nobody.status();
  EXPECT_FALSE(nobody->has_match());
}

TEST_F(LookupAnswererTest, RefusesEveryQuestionNotFreshlySignedByItsProvinceForIt) {
  // Another key (another province, or a forger).
  EXPECT_EQ(answerer_.Answer(Question("16.06", kNik, now_, NewKey())).status().code(),
            absl::StatusCode::kUnauthenticated);
  // Bytes changed after signing.
  SignedLookup tampered = Question("16.06", kNik, now_, province_key_);
  tampered.mutable_query()->back() ^= 1;
  EXPECT_EQ(answerer_.Answer(tampered).status().code(), absl::StatusCode::kUnauthenticated);
  // Meant for a neighbour: it cannot be replayed here.
  auto neighbour = answerer_.Answer(Question("16.07", kNik, now_, province_key_));
  EXPECT_EQ(neighbour.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(neighbour.status().message().find("query.district"), std::string::npos);
  // A recorded question, later.
  EXPECT_EQ(answerer_.Answer(Question("16.06", kNik, now_ - absl::Minutes(6), province_key_))
                .status()
                .code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(answerer_.Answer(Question("16.06", "16060157", now_, province_key_)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(asked_.empty()) << "the registry is asked nothing for a refused question";

  LookupAnswerer without_key("16.06", std::nullopt, nullptr);
  EXPECT_EQ(without_key.Answer(Question("16.06", kNik, absl::Now(), province_key_)).status().code(),
            absl::StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace wahana
