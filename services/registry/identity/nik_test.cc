#include "registry/identity/nik.h"

#include <gtest/gtest.h>

#include <set>

namespace wahana::registry {
namespace {

using wahana::registry::v1::Region;

// Known regions by code; nothing else of the store is used by RegionRules' NIK checks.
class FakeRegionStore : public RegionStore {
 public:
  std::set<std::string> codes;
  absl::Status down;

  absl::StatusOr<Region> Get(const std::string& code) override {
    if (!down.ok()) return down;
    if (!codes.count(code)) return absl::NotFoundError("region " + code + " not found");
    Region r;
    r.set_code(code);
    return r;
  }
  absl::StatusOr<Page> ListChildren(const std::string&, const std::string&, int) override {
    return Page();
  }
  absl::StatusOr<bool> LoadIfNewer(const RegionCatalog&, const std::string&) override {
    return false;
  }
};

const absl::CivilDay kToday(2025, 11, 27);

TEST(ParseNikTest, DecodesAManAndAWoman) {
  auto man = ParseNik("1606011708790001", kToday);
  ASSERT_TRUE(man.ok()) << man.status();
  EXPECT_EQ(man->province_digits, "16");
  EXPECT_EQ(man->subdistrict_digits, "160601");
  EXPECT_EQ(man->sex, NikSex::kMale);
  EXPECT_EQ(man->birth_date, absl::CivilDay(1979, 8, 17));
  EXPECT_EQ(man->serial, 1);

  auto woman = ParseNik("1606015708799999", kToday);  // day 57 = 17 + 40
  ASSERT_TRUE(woman.ok()) << woman.status();
  EXPECT_EQ(woman->sex, NikSex::kFemale);
  EXPECT_EQ(woman->birth_date, absl::CivilDay(1979, 8, 17));
  EXPECT_EQ(woman->serial, 9999);
}

TEST(ParseNikTest, CenturyIsTheOneThatIsNotInTheFuture) {
  EXPECT_EQ(ParseNik("1606010101150001", kToday)->birth_date, absl::CivilDay(2015, 1, 1));
  EXPECT_EQ(ParseNik("1606012711250001", kToday)->birth_date, absl::CivilDay(2025, 11, 27));
  EXPECT_EQ(ParseNik("1606012811250001", kToday)->birth_date, absl::CivilDay(1925, 11, 28));
  EXPECT_EQ(ParseNik("1606010101300001", kToday)->birth_date, absl::CivilDay(1930, 1, 1));
  // 29 Feb 2000 exists (2000 is a leap year).
  EXPECT_EQ(ParseNik("1606012902000001", kToday)->birth_date, absl::CivilDay(2000, 2, 29));
}

TEST(ParseNikTest, RefusesBadStructureNamingFieldAndReason) {
  struct Case {
    std::string nik;
    std::string message;
  } cases[] = {
      {"", "nik: required"},
      {"160601170879000", "nik: must be 16 digits (got 15 characters)"},
      {"16060117087900011", "nik: must be 16 digits (got 17 characters)"},
      {"16060117O8790001", "nik: must be 16 digits, nothing else"},
      {"1606011708790000", "nik: serial (last 4 digits) must not be 0000"},
      {"1606013102790001", "nik: digits 7-12 (310279) are not a real birth date"},
      {"1606010013790001", "nik: digits 7-12 (001379)"},
      {"1606013208790001", "nik: digits 7-12 (320879)"},  // 32-40: neither sex
      {"1606017208790001", "nik: digits 7-12 (720879)"},  // 72 = 32 + 40
      {"1606012902010001", "nik: digits 7-12 (290201)"},  // 2001 and 1901 not leap years
      {"1606010000790001", "nik: digits 7-12 (000079)"},
  };
  for (const Case& c : cases) {
    auto parsed = ParseNik(c.nik, kToday);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << c.nik;
    EXPECT_NE(std::string(parsed.status().message()).find(c.message), std::string::npos)
        << c.nik << ": " << parsed.status();
  }
  EXPECT_EQ(ParseNik("1", kToday, "guardian.nik").status().message(),
            "guardian.nik: must be 16 digits (got 1 characters)");
}

class CheckNikTest : public ::testing::Test {
 protected:
  CheckNikTest() : rules_(store_, "16.06") { store_.codes = {"16", "16.06", "16.06.01"}; }
  FakeRegionStore store_;
  RegionRules rules_;
};

TEST_F(CheckNikTest, KnownProvinceAndKecamatan) {
  auto check = CheckNik("1606011708790001", rules_, kToday);
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_TRUE(check->subdistrict_known);
  EXPECT_TRUE(NikReviewFlags(*check).empty());
}

TEST_F(CheckNikTest, UnknownKecamatanIsAFindingNotAnError) {
  // A NIK from another province's kecamatan that no longer exists (regions split since).
  auto check = CheckNik("1699991708790001", rules_, kToday);
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_FALSE(check->subdistrict_known);
  auto flags = NikReviewFlags(*check);
  ASSERT_EQ(flags.size(), 1u);
  EXPECT_EQ(flags[0].code(), "NIK_SUBDISTRICT_UNKNOWN");
  EXPECT_EQ(flags[0].field(), "nik");
  EXPECT_NE(flags[0].message().find("169999"), std::string::npos);
}

TEST_F(CheckNikTest, UnknownProvinceIsRefused) {
  auto check = CheckNik("9906011708790001", rules_, kToday);
  EXPECT_EQ(check.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(check.status().message(), "nik: province 99 (first 2 digits) does not exist");
}

TEST_F(CheckNikTest, StructureIsCheckedBeforeRegionsAreRead) {
  store_.down = absl::UnavailableError("redis down");
  EXPECT_EQ(CheckNik("16060117087900", rules_, kToday).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckNik("1606011708790001", rules_, kToday).status().code(),
            absl::StatusCode::kUnavailable);
}

TEST_F(CheckNikTest, SexAndBirthDateDisagreeingWithTheNikAreFlagged) {
  auto check = CheckNik("1606015708790001", rules_, kToday);  // a woman born 17.08.79
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_TRUE(NikReviewFlags(*check, NikSex::kFemale, absl::CivilDay(1979, 8, 17)).empty());
  // Only DDMMYY is compared: the NIK cannot tell 1879 from 1979.
  EXPECT_TRUE(NikReviewFlags(*check, NikSex::kFemale, absl::CivilDay(1879, 8, 17)).empty());
  auto flags = NikReviewFlags(*check, NikSex::kMale, absl::CivilDay(1979, 8, 18));
  ASSERT_EQ(flags.size(), 2u);
  EXPECT_EQ(flags[0].code(), "NIK_SEX_MISMATCH");
  EXPECT_EQ(flags[0].field(), "sex");
  EXPECT_EQ(flags[0].message(), "the NIK says FEMALE");
  EXPECT_EQ(flags[1].code(), "NIK_BIRTH_DATE_MISMATCH");
  EXPECT_EQ(flags[1].field(), "birthDate");
  EXPECT_EQ(flags[1].message(), "the NIK says 170879 (DDMMYY)");
}

}  // namespace
}  // namespace wahana::registry
