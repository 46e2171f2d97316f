#include "registry/beneficiaries/tool/beneficiary_csv.h"

#include <gtest/gtest.h>

namespace wahana::registry {
namespace {

using wahana::registry::v1::Beneficiary;

TEST(BeneficiaryHeaderTest, ColumnsByNameInAnyOrderAndSpelling) {
  auto columns = ParseBeneficiaryHeader(
      {"\xEF\xBB\xBF"
       "NIK",
       "Full Name", "sex", "birthDate", "village_code", "catatan", "ppks_categories"});
  ASSERT_TRUE(columns.ok()) << columns.status();
  EXPECT_EQ(columns->nik, 0);
  EXPECT_EQ(columns->full_name, 1);
  EXPECT_EQ(columns->birth_date, 3);
  EXPECT_EQ(columns->ppks_categories, 6);
  EXPECT_EQ(columns->kk_number, -1);
  EXPECT_EQ(columns->ignored, std::vector<std::string>{"catatan"});
  EXPECT_EQ(columns->width, 7);
}

TEST(BeneficiaryHeaderTest, MissingOrRepeatedColumns) {
  auto missing = ParseBeneficiaryHeader({"nik", "full_name"});
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(missing.status().message().find("sex, birth_date, village_code, ppks_categories"),
            absl::string_view::npos);
  EXPECT_FALSE(ParseBeneficiaryHeader({"nik", "NIK"}).ok());
}

TEST(BeneficiaryFromCsvTest, ValuesAsSpreadsheetsWriteThem) {
  auto columns = ParseBeneficiaryHeader(BeneficiaryCsvHeader());
  ASSERT_TRUE(columns.ok());
  Beneficiary b;
  LocalRejection rejection;
  ASSERT_TRUE(BeneficiaryFromCsv({"'1606015708790001", "1606010101100001", "Siti Nur'aini", "p",
                                  "17/08/1979", " 16.06.01.2001 ", "Jl. Merdeka No. 1, RT 002",
                                  "24; lanjut usia telantar ;PENYANDANG_DISABILITAS", ""},
                                 *columns, &b, &rejection));
  EXPECT_EQ(b.nik(), "1606015708790001");
  EXPECT_EQ(b.full_name(), "Siti Nur'aini");
  EXPECT_EQ(b.sex(), Beneficiary::FEMALE);
  EXPECT_EQ(b.birth_date(), "1979-08-17");
  EXPECT_EQ(b.village_code(), "16.06.01.2001");
  EXPECT_EQ(b.address(), "Jl. Merdeka No. 1, RT 002");
  ASSERT_EQ(b.ppks_categories_size(), 3);
  EXPECT_EQ(b.ppks_categories(0), wahana::common::v1::FAKIR_MISKIN);
  EXPECT_EQ(b.ppks_categories(1), wahana::common::v1::LANJUT_USIA_TELANTAR);
  EXPECT_EQ(b.ppks_categories(2), wahana::common::v1::PENYANDANG_DISABILITAS);

  ASSERT_TRUE(
      BeneficiaryFromCsv({"", "", "عبد الله", "L", "2012-03-04", "16.06.01.2001", "", "4", ""},
                         *columns, &b, &rejection));
  EXPECT_EQ(b.full_name(), "عبد الله");
  EXPECT_EQ(b.sex(), Beneficiary::MALE);
  EXPECT_EQ(b.birth_date(), "2012-03-04");
  // Left for the registry to refuse with its own words.
  ASSERT_TRUE(BeneficiaryFromCsv({"1.60601E+15", "", "", "", "1979", "", "", "", ""}, *columns, &b,
                                 &rejection));
  EXPECT_EQ(b.nik(), "1.60601E+15");
  EXPECT_EQ(b.sex(), Beneficiary::SEX_UNSPECIFIED);
}

TEST(BeneficiaryFromCsvTest, RowsThatCannotBeSent) {
  auto columns = ParseBeneficiaryHeader(BeneficiaryCsvHeader());
  ASSERT_TRUE(columns.ok());
  Beneficiary b;
  LocalRejection rejection;
  EXPECT_FALSE(BeneficiaryFromCsv({"1", "2"}, *columns, &b, &rejection));
  EXPECT_EQ(rejection.field, "");
  EXPECT_EQ(rejection.reason, "the row has 2 fields, the header 9");
  EXPECT_FALSE(
      BeneficiaryFromCsv({"", "", "Siti", "X", "", "", "", "", ""}, *columns, &b, &rejection));
  EXPECT_EQ(rejection.field, "sex");
  EXPECT_FALSE(
      BeneficiaryFromCsv({"", "", "Siti", "P", "", "", "", "24;27", ""}, *columns, &b, &rejection));
  EXPECT_EQ(rejection.field, "ppksCategories");
  EXPECT_EQ(rejection.reason, "\"27\" is not a PPKS category (1-26 or a name like FAKIR_MISKIN)");
}

TEST(ParsePpksCategoryTest, NumbersAndNames) {
  EXPECT_EQ(ParsePpksCategory("1"), 1);
  EXPECT_EQ(ParsePpksCategory("26"), 26);
  EXPECT_EQ(ParsePpksCategory("0"), 0);
  EXPECT_EQ(ParsePpksCategory("KOMUNITAS_ADAT_TERPENCIL"), 26);
  EXPECT_EQ(ParsePpksCategory("anak-jalanan"), 4);
  EXPECT_EQ(ParsePpksCategory("PPKS_CATEGORY_UNSPECIFIED"), 0);
  EXPECT_EQ(ParsePpksCategory("miskin"), 0);
}

TEST(CsvLineTest, QuotesWhatNeedsIt) {
  EXPECT_EQ(CsvLine({"a", "b c", ""}), "a,b c,\r\n");
  EXPECT_EQ(CsvLine({"Jl. A, RT 1", "say \"hi\"", "two\nlines"}),
            "\"Jl. A, RT 1\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n");
  auto parsed = ParseCsv(CsvLine({"Jl. A, RT 1", "say \"hi\"", "Nur'aini"}));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ((*parsed)[0], (CsvRow{"Jl. A, RT 1", "say \"hi\"", "Nur'aini"}));
}

}  // namespace
}  // namespace wahana::registry
