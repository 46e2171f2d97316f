#include "registry/beneficiaries/beneficiary_validation.h"

#include <gtest/gtest.h>

#include <set>

#include "registry/beneficiaries/test_regions.h"

namespace wahana::registry {
namespace {

using wahana::registry::v1::Beneficiary;

const absl::CivilDay kToday(2025, 11, 27);
constexpr char kHousehold[] = "01JD0000000000000000000001";

// A woman born 17 August 1979, first registered in Sekayu (16.06.01).
Beneficiary Valid() {
  Beneficiary b;
  b.set_nik("1606015708790001");
  b.set_kk_number("1606010101100001");
  b.set_full_name("Siti Nur'aini");
  b.set_sex(Beneficiary::FEMALE);
  b.set_birth_date("1979-08-17");
  b.set_village_code("16.06.01.2001");
  b.add_ppks_categories(wahana::common::v1::FAKIR_MISKIN);
  return b;
}

class ValidationTest : public ::testing::Test {
 protected:
  ValidationTest()
      : regions_(std::make_shared<RegionRules>(store_, "16.06")),
        validator_(regions_, [this](const std::string& id) -> absl::StatusOr<bool> {
          return households_.count(id) > 0;
        }) {}

  // The status message of validating `b`, "" when it passes.
  std::string Refusal(const Beneficiary& b) {
    auto result = validator_.Validate(b, kToday);
    if (result.ok()) return "";
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << result.status();
    return std::string(result.status().message());
  }

  testing::FakeRegionStore store_;
  std::shared_ptr<RegionRules> regions_;
  std::set<std::string> households_ = {kHousehold};
  BeneficiaryValidator validator_;
};

TEST_F(ValidationTest, ValidRecordHasNoFindings) {
  auto flags = validator_.Validate(Valid(), kToday);
  ASSERT_TRUE(flags.ok()) << flags.status();
  EXPECT_TRUE(flags->empty());
}

TEST_F(ValidationTest, NikIsOptionalButAPresentOneMustBeValid) {
  Beneficiary b = Valid();
  b.clear_nik();
  EXPECT_EQ(Refusal(b), "");
  b.set_nik("160601570879001");
  EXPECT_EQ(Refusal(b), "nik: must be 16 digits (got 15 characters)");
  b.set_nik("1606015708790000");
  EXPECT_EQ(Refusal(b), "nik: serial (last 4 digits) must not be 0000");
  b.set_nik("1606013102790001");
  EXPECT_NE(Refusal(b).find("nik: digits 7-12 (310279) are not a real birth date"),
            std::string::npos);
  b.set_nik("9906015708790001");
  EXPECT_EQ(Refusal(b), "nik: province 99 (first 2 digits) does not exist");
}

TEST_F(ValidationTest, NikFindingsDoNotRefuse) {
  Beneficiary b = Valid();
  b.set_nik("1699995708790001");  // kecamatan 16.99.99 is not in today's list
  b.set_sex(Beneficiary::MALE);
  b.set_birth_date("1979-08-18");
  auto flags = validator_.Validate(b, kToday);
  ASSERT_TRUE(flags.ok()) << flags.status();
  std::vector<std::string> codes;
  for (const auto& f : *flags) codes.push_back(f.code());
  EXPECT_EQ(codes, (std::vector<std::string>{"NIK_SUBDISTRICT_UNKNOWN", "NIK_SEX_MISMATCH",
                                             "NIK_BIRTH_DATE_MISMATCH"}));
  EXPECT_EQ((*flags)[1].field(), "sex");
  EXPECT_EQ((*flags)[2].field(), "birthDate");
}

TEST_F(ValidationTest, EachFieldIsNamedInJsonSpelling) {
  struct Case {
    std::function<void(Beneficiary&)> change;
    std::string message;
  } cases[] = {
      {[](Beneficiary& b) { b.set_kk_number("12345"); }, "kkNumber: must be 16 digits"},
      {[](Beneficiary& b) { b.set_full_name("  "); }, "fullName: required"},
      {[](Beneficiary& b) { b.set_full_name(std::string(201, 'a')); }, "fullName: at most 200"},
      {[](Beneficiary& b) { b.set_full_name("Siti\nAminah"); },
       "fullName: must be one line without control characters"},
      {[](Beneficiary& b) { b.set_sex(Beneficiary::SEX_UNSPECIFIED); }, "sex: required"},
      {[](Beneficiary& b) { b.set_birth_date(""); }, "birthDate: required"},
      {[](Beneficiary& b) { b.set_birth_date("1979-02-29"); }, "birthDate: \"1979-02-29\" is not"},
      {[](Beneficiary& b) { b.set_birth_date("17-08-1979"); }, "birthDate: \"17-08-1979\" is not"},
      {[](Beneficiary& b) { b.set_birth_date("2025-11-28"); },
       "birthDate: \"2025-11-28\" is in the future"},
      {[](Beneficiary& b) { b.set_birth_date("1899-12-31"); },
       "birthDate: \"1899-12-31\" is before 1900"},
      {[](Beneficiary& b) { b.set_village_code(""); }, "villageCode: required"},
      {[](Beneficiary& b) { b.set_village_code("16.06.01.9999"); },
       "villageCode: \"16.06.01.9999\" is not a known region"},
      {[](Beneficiary& b) { b.set_village_code("31.71.01.1001"); },
       "villageCode: \"31.71.01.1001\" is outside this deployment's region 16.06"},
      {[](Beneficiary& b) { b.set_village_code("16.06.01"); },
       "villageCode: \"16.06.01\" is not a village"},
      {[](Beneficiary& b) { b.set_address(std::string(501, 'a')); }, "address: at most 500"},
      {[](Beneficiary& b) { b.clear_ppks_categories(); }, "ppksCategories: at least one"},
      {[](Beneficiary& b) { b.add_ppks_categories(wahana::common::v1::PPKS_CATEGORY_UNSPECIFIED); },
       "ppksCategories: 0 is not a PPKS category"},
      {[](Beneficiary& b) {
         b.add_ppks_categories(static_cast<wahana::common::v1::PpksCategory>(27));
       },
       "ppksCategories: 27 is not a PPKS category"},
      {[](Beneficiary& b) { b.add_ppks_categories(wahana::common::v1::FAKIR_MISKIN); },
       "ppksCategories: FAKIR_MISKIN listed twice"},
      {[](Beneficiary& b) { b.mutable_disability()->set_severity("parah"); },
       "disability.severity: one of ringan, sedang, berat"},
      {[](Beneficiary& b) { b.mutable_disability()->add_kinds(""); }, "disability.kinds: required"},
      {[](Beneficiary& b) { b.mutable_guardian()->set_relation("orang tua"); },
       "guardian.fullName: required"},
      {[](Beneficiary& b) {
         b.mutable_guardian()->set_full_name("Ahmad");
         b.mutable_guardian()->set_nik("123");
       },
       "guardian.nik: must be 16 digits"},
      {[](Beneficiary& b) {
         b.mutable_guardian()->set_full_name("Ahmad");
         b.mutable_guardian()->set_nik("9906011708790001");
       },
       "guardian.nik: province 99"},
      {[](Beneficiary& b) { b.set_household_id("abc"); },
       "householdId: \"abc\" is not a household id"},
      {[](Beneficiary& b) { b.set_household_id("01JD0000000000000000000002"); },
       "householdId: no household 01JD0000000000000000000002"},
  };
  for (const Case& c : cases) {
    Beneficiary b = Valid();
    c.change(b);
    std::string refusal = Refusal(b);
    EXPECT_EQ(refusal.rfind(c.message, 0), 0u) << "got \"" << refusal << "\", want " << c.message;
  }
}

TEST_F(ValidationTest, SensitiveDetailsAndAHouseholdThatExists) {
  Beneficiary b = Valid();
  b.mutable_disability()->add_kinds("fisik");
  b.mutable_disability()->set_severity("berat");
  b.mutable_disability()->add_assistive_devices("kursi roda");
  b.mutable_guardian()->set_full_name("Ahmad Hidayat");
  b.mutable_guardian()->set_nik("1606011708790001");
  b.mutable_guardian()->set_relation("suami");
  b.set_household_id(kHousehold);
  EXPECT_EQ(Refusal(b), "");
}

TEST_F(ValidationTest, StorageErrorsAreNotRefusals) {
  store_.down = absl::UnavailableError("redis down");
  EXPECT_EQ(validator_.Validate(Valid(), kToday).status().code(), absl::StatusCode::kUnavailable);
}

TEST(SplitFieldErrorTest, FieldAndReason) {
  FieldError e = SplitFieldError(absl::InvalidArgumentError("guardian.nik: must be 16 digits"));
  EXPECT_EQ(e.field, "guardian.nik");
  EXPECT_EQ(e.reason, "must be 16 digits");
  e = SplitFieldError(absl::InvalidArgumentError("something went wrong: here"));
  EXPECT_EQ(e.field, "");
  EXPECT_EQ(e.reason, "something went wrong: here");
}

}  // namespace
}  // namespace wahana::registry
