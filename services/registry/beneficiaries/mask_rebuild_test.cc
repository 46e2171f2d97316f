// Issue 11, item 2: "a mask must not be undoable". Generated people of the demo district (women
// and men, many birth dates, every kecamatan) are stored through the real logic, read back as a
// VIEWER through every answer a VIEWER gets (get, list, possible duplicates), and a rebuild
// attacker (support/mask_rebuild_attack.h) tries to get each NIK and KK number back from exactly
// what came back. It must face at least 1,000 candidates for every number, and for a NIK at least
// 365 once the serial is guessed (serials are handed out in order and are mostly small). The same
// attacker rebuilds every NIK exactly from the mask used before (first and last four digits kept,
// the birth date whole): the first test shows it.

#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "registry/beneficiaries/beneficiary_logic.h"
#include "registry/beneficiaries/fake_beneficiary_store.h"
#include "registry/beneficiaries/test_regions.h"
#include "support/mask_rebuild_attack.h"
#include "support/test_principals.h"

namespace wahana::registry {
namespace {

using wahana::registry::v1::Beneficiary;
using wahana::testing::RebuildKk;
using wahana::testing::RebuildNik;
using wahana::testing::RebuildResult;
using wahana::testing::ShownKk;
using wahana::testing::ShownNik;
using wahana::testing::TestPrincipal;

// The threshold: a masked number must leave at least this many candidates.
constexpr double kMinCandidates = 1000;
// ... and a NIK this many birth-date parts, for an attacker who guesses the serial.
constexpr int64_t kMinNikDateParts = 365;

const absl::CivilDay kToday(2025, 11, 27);

struct Person {
  Beneficiary record;  // as created: NIK, KK, birth date, sex, village
  absl::CivilDay kk_issued;
};

// `count` valid people of Musi Banyuasin: kecamatan 01-15, a desa or a kelurahan of each, born
// 1935-2020, women and men, serials from 0001 to 9999 (small ones often, as in life), each with a
// KK issued in the year before today. Every 7th has a NIK whose sex disagrees with the record,
// every 11th a birth date that disagrees (review flags a viewer sees).
std::vector<Person> People(int count, std::set<std::string>* codes) {
  std::mt19937 random(20251127);
  auto uniform = [&random](int from, int to) {
    return std::uniform_int_distribution<int>(from, to)(random);
  };
  std::vector<Person> people;
  for (int i = 0; i < count; ++i) {
    const int kecamatan = 1 + i % 15;
    const std::string subdistrict = absl::StrFormat("16.06.%02d", kecamatan);
    const std::string village =
        absl::StrFormat("%s.%d%03d", subdistrict, i % 3 == 0 ? 1 : 2, 1 + uniform(0, 20));
    codes->insert(subdistrict);
    codes->insert(village);
    const absl::CivilDay born = absl::CivilDay(1935, 1, 1) + uniform(0, 31045);  // to 2019-12-31
    const bool female = i % 2 == 0;
    const int serial = i % 4 == 0 ? uniform(1, 9999) : uniform(1, 12);
    const std::string digits = absl::StrFormat("1606%02d", kecamatan);
    Person p;
    p.kk_issued = kToday - uniform(0, 365);
    Beneficiary& b = p.record;
    b.set_nik(absl::StrFormat("%s%02d%02d%02d%04d", digits, born.day() + (female ? 40 : 0),
                              born.month(), born.year() % 100, serial));
    b.set_kk_number(absl::StrFormat("%s%02d%02d%02d%04d", digits, p.kk_issued.day(),
                                    p.kk_issued.month(), p.kk_issued.year() % 100,
                                    uniform(1, 9999)));
    b.set_full_name(absl::StrFormat("Warga %d", i));
    b.set_sex(female != (i % 7 == 3) ? Beneficiary::FEMALE : Beneficiary::MALE);
    const absl::CivilDay stated = i % 11 == 5 ? born + 3 : born;
    b.set_birth_date(
        absl::StrFormat("%04d-%02d-%02d", stated.year(), stated.month(), stated.day()));
    b.set_village_code(village);
    b.add_ppks_categories(wahana::common::v1::FAKIR_MISKIN);
    people.push_back(std::move(p));
  }
  return people;
}

ShownNik NikAsShown(const Beneficiary& b) {
  ShownNik shown;
  shown.masked_nik = b.nik();
  shown.village_code = b.village_code();
  shown.birth_date = b.birth_date();
  shown.sex = static_cast<int>(b.sex());
  for (const auto& flag : b.review_flags()) {
    if (flag.code() == "NIK_SEX_MISMATCH") shown.sex_mismatch = true;
    if (flag.code() == "NIK_BIRTH_DATE_MISMATCH") shown.birth_date_mismatch = true;
  }
  return shown;
}

std::string OfficeDay(const google::protobuf::Timestamp& time) {
  const absl::CivilDay day =
      absl::ToCivilDay(absl::FromUnixSeconds(time.seconds()), absl::FixedTimeZone(7 * 3600));
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

// The mask used before issue 11: first and last four digits kept, birth date and sex whole.
std::string OldMask(const std::string& number) {
  return number.substr(0, 4) + std::string(8, '*') + number.substr(12);
}

class MaskRebuildTest : public ::testing::Test {
 protected:
  MaskRebuildTest()
      : store_(std::make_shared<testing::FakeBeneficiaryStore>()),
        ids_([this] { return ++clock_ms_; }),
        logic_(
            "16.06", store_, std::make_shared<RegionRules>(regions_, "16.06"),
            [this] { return now_; }, &ids_) {
    people_ = People(240, &regions_.codes);
  }

  // The attacker on one answer's record: every number keeps enough candidates, the true one
  // among them (else the attacker's count would prove nothing).
  void Attack(const Beneficiary& shown, const Person& person, const std::string& answer) {
    SCOPED_TRACE(answer + " " + person.record.full_name() + " " + person.record.nik());
    const RebuildResult nik = RebuildNik(NikAsShown(shown), person.record.nik(), kToday);
    EXPECT_TRUE(nik.contains_truth);
    EXPECT_GE(nik.candidates, kMinCandidates) << "NIK rebuilt to " << nik.rebuilt.size();
    EXPECT_GE(nik.date_parts, kMinNikDateParts);
    EXPECT_TRUE(nik.rebuilt.empty());
    const RebuildResult kk =
        RebuildKk(ShownKk{shown.kk_number(), shown.village_code(), OfficeDay(shown.create_time())},
                  person.record.kk_number());
    EXPECT_TRUE(kk.contains_truth);
    EXPECT_GE(kk.candidates, kMinCandidates);
  }

  testing::FakeRegionStore regions_;
  std::shared_ptr<testing::FakeBeneficiaryStore> store_;
  int64_t clock_ms_ = 1700000000000;
  TimeOrderedIdGenerator ids_;
  absl::Time now_ = absl::FromCivil(absl::CivilSecond(2025, 11, 27, 3, 0, 0), absl::UTCTimeZone());
  BeneficiaryLogic logic_;
  std::vector<Person> people_;
};

// The attacker works: from the old mask it gets every NIK back exactly, and narrows every KK to
// a few hundred numbers.
TEST_F(MaskRebuildTest, TheAttackerRebuildsEveryNikFromTheOldMask) {
  int rebuilt = 0;
  for (const Person& person : people_) {
    Beneficiary old = person.record;
    old.set_nik(OldMask(old.nik()));
    old.set_kk_number(OldMask(old.kk_number()));
    ShownNik shown = NikAsShown(old);
    // The flags the old answers carried, with their messages.
    const Beneficiary& b = person.record;
    const int nik_day = std::stoi(b.nik().substr(6, 2));
    const bool nik_female = nik_day > 40;
    shown.sex_mismatch = nik_female != (b.sex() == Beneficiary::FEMALE);
    const std::string stated_ddmmyy =
        b.birth_date().substr(8, 2) + b.birth_date().substr(5, 2) + b.birth_date().substr(2, 2);
    const std::string nik_ddmmyy =
        absl::StrFormat("%02d", nik_female ? nik_day - 40 : nik_day) + b.nik().substr(8, 4);
    shown.birth_date_mismatch = stated_ddmmyy != nik_ddmmyy;
    const RebuildResult nik = RebuildNik(shown, b.nik(), kToday);
    ASSERT_TRUE(nik.contains_truth) << b.nik();
    if (!shown.birth_date_mismatch) {
      ASSERT_EQ(nik.rebuilt, std::vector<std::string>{b.nik()}) << "rebuilt exactly";
      ++rebuilt;
    }
    const RebuildResult kk =
        RebuildKk(ShownKk{old.kk_number(), b.village_code(), "2025-11-27"}, b.kk_number());
    EXPECT_TRUE(kk.contains_truth);
    EXPECT_LT(kk.candidates, kMinCandidates) << "the old KK mask left " << kk.candidates;
  }
  EXPECT_GT(rebuilt, 200);
}

TEST_F(MaskRebuildTest, NothingAViewerGetsRebuildsANikOrAKk) {
  const Principal admin = TestPrincipal(Role::kAdmin);
  const Principal viewer = TestPrincipal(Role::kViewer, "16.06");
  std::vector<std::string> ids;
  int flagged = 0;
  for (const Person& person : people_) {
    wahana::registry::v1::CreateBeneficiaryRequest create;
    *create.mutable_beneficiary() = person.record;
    auto created = logic_.CreateBeneficiary(admin, create);
    ASSERT_TRUE(created.ok()) << created.status() << " " << person.record.nik();
    flagged += created->review_flags_size() > 0;
    ids.push_back(created->id());
  }
  EXPECT_GT(flagged, 50) << "sex and birth date findings are among the answers";

  // A twin of every 10th person (same name, birth date and village, the next serial): the
  // possible duplicates answer shows each to the other.
  for (size_t i = 0; i < people_.size(); i += 10) {
    Person twin = people_[i];
    std::string nik = twin.record.nik();
    nik.replace(12, 4, absl::StrFormat("%04d", std::stoi(nik.substr(12)) % 9999 + 1));
    twin.record.set_nik(nik);
    twin.record.clear_kk_number();
    wahana::registry::v1::CreateBeneficiaryRequest create;
    *create.mutable_beneficiary() = twin.record;
    ASSERT_TRUE(logic_.CreateBeneficiary(admin, create).ok()) << nik;
  }

  int attacked = 0;
  for (size_t i = 0; i < people_.size(); ++i) {
    wahana::registry::v1::GetBeneficiaryRequest get;
    get.set_id(ids[i]);
    auto read = logic_.GetBeneficiary(viewer, get);
    ASSERT_TRUE(read.ok()) << read.status();
    Attack(*read, people_[i], "get");
    ++attacked;
  }

  wahana::registry::v1::ListBeneficiariesRequest list;
  list.set_page_size(500);
  auto page = logic_.ListBeneficiaries(viewer, list);
  ASSERT_TRUE(page.ok()) << page.status();
  for (const Beneficiary& listed : page->beneficiaries()) {
    for (size_t i = 0; i < ids.size(); ++i) {
      if (listed.id() != ids[i]) continue;
      Attack(listed, people_[i], "list");
      ++attacked;
    }
  }

  for (size_t i = 0; i < people_.size(); i += 10) {
    wahana::registry::v1::ListPossibleDuplicatesRequest request;
    request.set_id(ids[i]);
    auto twins = logic_.ListPossibleDuplicates(viewer, request);
    ASSERT_TRUE(twins.ok()) << twins.status();
    ASSERT_EQ(twins->beneficiaries_size(), 1);
    const Beneficiary& twin = twins->beneficiaries(0);
    const std::string nik = store_->records.at(twin.id()).nik();
    const RebuildResult result = RebuildNik(NikAsShown(twin), nik, kToday);
    EXPECT_TRUE(result.contains_truth) << nik;
    EXPECT_GE(result.candidates, kMinCandidates) << nik;
    EXPECT_GE(result.date_parts, kMinNikDateParts) << nik;
    ++attacked;
  }
  EXPECT_EQ(attacked, 2 * 240 + 24);
}

}  // namespace
}  // namespace wahana::registry
