#include "registry/beneficiaries/tool/beneficiary_generator.h"

#include <gtest/gtest.h>

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "registry/beneficiaries/beneficiary_validation.h"
#include "registry/beneficiaries/tool/beneficiary_csv.h"
#include "registry/identity/nik.h"

namespace wahana::registry {
namespace {

const std::vector<std::string> kVillages = {"16.06.01.2001", "16.06.02.2001", "16.06.15.2003"};

TEST(BeneficiaryGeneratorTest, RowsPassTheRegistrysFieldChecksWithUniqueNiks) {
  BeneficiaryGenerator generator(kVillages, 42);
  auto columns = ParseBeneficiaryHeader(BeneficiaryCsvHeader());
  ASSERT_TRUE(columns.ok());
  const absl::CivilDay today(2025, 11, 27);
  std::set<std::string> niks;
  for (int i = 0; i < 20000; ++i) {
    std::vector<std::string> row = generator.NextRow();
    wahana::registry::v1::Beneficiary b;
    LocalRejection rejection;
    ASSERT_TRUE(BeneficiaryFromCsv(row, *columns, &b, &rejection)) << rejection.reason;
    absl::Status status = BeneficiaryValidator::CheckFields(b, today);
    ASSERT_TRUE(status.ok()) << status << " in row " << CsvLine(row);
    // The NIK agrees with the row: its kecamatan, sex and birth date.
    auto facts = ParseNik(b.nik(), today);
    ASSERT_TRUE(facts.ok());
    EXPECT_EQ(
        b.village_code().substr(0, 8),
        absl::StrCat(b.nik().substr(0, 2), ".", b.nik().substr(2, 2), ".", b.nik().substr(4, 2)));
    EXPECT_EQ(facts->sex == NikSex::kFemale, b.sex() == wahana::registry::v1::Beneficiary::FEMALE);
    EXPECT_EQ(b.birth_date().substr(8, 2), absl::StrFormat("%02d", facts->birth_date.day()));
    EXPECT_TRUE(niks.insert(b.nik()).second) << "NIK twice: " << b.nik();
  }
}

TEST(BeneficiaryGeneratorTest, TheSameSeedGivesTheSameRows) {
  BeneficiaryGenerator a(kVillages, 7), b(kVillages, 7), c(kVillages, 8);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    auto row = a.NextRow();
    EXPECT_EQ(row, b.NextRow());
    differs = differs || row != c.NextRow();
  }
  EXPECT_TRUE(differs);
}

}  // namespace
}  // namespace wahana::registry
