#include "registry/beneficiaries/beneficiary_logic.h"

#include <gtest/gtest.h>

#include "common/storage/lex_index.h"
#include "registry/beneficiaries/fake_beneficiary_store.h"
#include "registry/beneficiaries/test_regions.h"
#include "support/test_principals.h"

namespace wahana::registry {
namespace {

using wahana::registry::v1::Beneficiary;
using wahana::registry::v1::BeneficiaryChanged;
using wahana::testing::TestPrincipal;

constexpr char kHousehold[] = "01JD0000000000000000000001";

Beneficiary Siti() {
  Beneficiary b;
  b.set_nik("1606015708790001");
  b.set_kk_number("1606010101100001");
  b.set_full_name("Siti Nur'aini");
  b.set_sex(Beneficiary::FEMALE);
  b.set_birth_date("1979-08-17");
  b.set_village_code("16.06.01.2001");
  b.set_address("Dusun II RT 003");
  b.add_ppks_categories(wahana::common::v1::FAKIR_MISKIN);
  b.mutable_disability()->add_kinds("fisik");
  b.mutable_guardian()->set_full_name("Ahmad Hidayat");
  return b;
}

Beneficiary Ahmad() {
  Beneficiary b;
  b.set_nik("1606011708790002");
  b.set_full_name("Ahmad Hidayat");
  b.set_sex(Beneficiary::MALE);
  b.set_birth_date("1979-08-17");
  b.set_village_code("16.06.02.2001");
  b.add_ppks_categories(wahana::common::v1::LANJUT_USIA_TELANTAR);
  return b;
}

BeneficiaryChanged Payload(const wahana::common::v1::Envelope& envelope) {
  BeneficiaryChanged changed;
  EXPECT_TRUE(envelope.payload().UnpackTo(&changed));
  return changed;
}

class BeneficiaryLogicTest : public ::testing::Test {
 protected:
  BeneficiaryLogicTest()
      : store_(std::make_shared<testing::FakeBeneficiaryStore>()),
        ids_([this] { return ++clock_ms_; }),
        logic_(
            "16.06", store_, std::make_shared<RegionRules>(regions_, "16.06"),
            [this] { return now_; }, &ids_) {
    store_->households.insert(kHousehold);
  }

  absl::StatusOr<Beneficiary> Create(const Beneficiary& b, const std::string& request_id = "") {
    wahana::registry::v1::CreateBeneficiaryRequest request;
    *request.mutable_beneficiary() = b;
    request.set_request_id(request_id);
    return logic_.CreateBeneficiary(caller_, request);
  }

  absl::StatusOr<Beneficiary> Update(const Beneficiary& patch, std::vector<std::string> paths) {
    wahana::registry::v1::UpdateBeneficiaryRequest request;
    *request.mutable_beneficiary() = patch;
    for (auto& p : paths) request.mutable_update_mask()->add_paths(p);
    return logic_.UpdateBeneficiary(caller_, request);
  }

  testing::FakeRegionStore regions_;
  std::shared_ptr<testing::FakeBeneficiaryStore> store_;
  int64_t clock_ms_ = 1700000000000;
  TimeOrderedIdGenerator ids_;
  absl::Time now_ = absl::FromCivil(absl::CivilSecond(2025, 11, 27, 3, 0, 0), absl::UTCTimeZone());
  BeneficiaryLogic logic_;
  // Who the tests call the logic as: the deployment's ADMIN unless a test says otherwise.
  Principal caller_ = TestPrincipal(Role::kAdmin);
};

// "Today" is the office's: a baby born today in Jayapura (UTC+9) is registered while UTC, and
// Jakarta, are still on the day before.
TEST_F(BeneficiaryLogicTest, ABirthTodayInTheOfficesZoneIsNotInTheFuture) {
  absl::StatusOr<OfficeCalendar> jayapura = OfficeCalendar::Load("Asia/Jayapura");
  ASSERT_TRUE(jayapura.ok()) << jayapura.status();
  // 27 November 15:30 UTC is 28 November 00:30 in Jayapura, 22:30 on 27 November in Jakarta.
  now_ = absl::FromCivil(absl::CivilSecond(2025, 11, 27, 15, 30, 0), absl::UTCTimeZone());
  BeneficiaryLogic papua(
      "16.06", store_, std::make_shared<RegionRules>(regions_, "16.06"), [this] { return now_; },
      &ids_, *jayapura);
  Beneficiary baby = Ahmad();
  baby.clear_nik();
  baby.set_full_name("Bayi Ny. Siti");
  baby.set_birth_date("2025-11-28");
  baby.clear_ppks_categories();
  baby.add_ppks_categories(wahana::common::v1::ANAK_TELANTAR);
  wahana::registry::v1::CreateBeneficiaryRequest request;
  *request.mutable_beneficiary() = baby;
  absl::StatusOr<Beneficiary> born = papua.CreateBeneficiary(caller_, request);
  ASSERT_TRUE(born.ok()) << born.status();
  EXPECT_EQ(store_->records.at(born->id()).birth_date(), "2025-11-28");

  // The default office (Asia/Jakarta) is still on 27 November.
  absl::StatusOr<Beneficiary> refused = Create(baby);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().message(), "birthDate: \"2025-11-28\" is in the future");
}

TEST_F(BeneficiaryLogicTest, CreateKeepsTheClientsFieldsAndSetsTheServers) {
  Beneficiary in = Siti();
  in.set_id("forged");
  in.set_etag("99");
  in.set_archived(true);
  in.add_review_flags()->set_code("FORGED");
  auto b = Create(in);
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_NE(b->id(), "forged");
  EXPECT_EQ(TimeOfId(b->id()) > 0, true);
  EXPECT_EQ(b->etag(), "1");
  EXPECT_FALSE(b->archived());
  EXPECT_TRUE(b->review_flags().empty());
  EXPECT_EQ(b->create_time().seconds(), absl::ToUnixSeconds(now_));
  EXPECT_EQ(b->full_name(), "Siti Nur'aini");
  EXPECT_EQ(b->guardian().full_name(), "Ahmad Hidayat");
  ASSERT_EQ(store_->published.size(), 1u);
  EXPECT_EQ(store_->published[0].aggregate_id(), b->id());
  EXPECT_EQ(store_->published[0].aggregate_version(), 1);
  EXPECT_EQ(Payload(store_->published[0]).action(), "created");
  EXPECT_EQ(Payload(store_->published[0]).beneficiary().nik(), "1606015708790001");
}

TEST_F(BeneficiaryLogicTest, RequestIdMakesCreateIdempotent) {
  auto first = Create(Siti(), "form-17");
  auto again = Create(Siti(), "form-17");
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_EQ(first->id(), again->id());
  EXPECT_EQ(store_->records.size(), 1u);
}

TEST_F(BeneficiaryLogicTest, ANikHeldByAnotherRecordIsAConflictNamingIt) {
  auto first = Create(Siti());
  ASSERT_TRUE(first.ok());
  Beneficiary other = Ahmad();
  other.set_nik(Siti().nik());
  other.set_sex(Beneficiary::FEMALE);
  auto second = Create(other);
  EXPECT_EQ(second.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(second.status().message(), "nik: already used by beneficiary " + first->id());
}

TEST_F(BeneficiaryLogicTest, BadNikIsRefusedWithTheReason) {
  Beneficiary b = Siti();
  b.set_nik("1606013102790001");
  auto created = Create(b);
  EXPECT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(created.status().message().find("nik: digits 7-12"), absl::string_view::npos);
  EXPECT_TRUE(store_->records.empty());
}

TEST_F(BeneficiaryLogicTest, WithoutNikIsAllowedAndNotUnique) {
  Beneficiary b = Siti();
  b.clear_nik();
  ASSERT_TRUE(Create(b).ok());
  b.set_full_name("Siti Aminah");
  ASSERT_TRUE(Create(b).ok());
  EXPECT_EQ(store_->records.size(), 2u);
}

TEST_F(BeneficiaryLogicTest, FindingsComeBackAsReviewFlags) {
  Beneficiary b = Siti();
  b.set_sex(Beneficiary::MALE);   // the NIK says female
  b.set_nik("1699995708790001");  // and its kecamatan is unknown
  auto created = Create(b);
  ASSERT_TRUE(created.ok()) << created.status();
  ASSERT_EQ(created->review_flags_size(), 2);
  EXPECT_EQ(created->review_flags(0).code(), "NIK_SUBDISTRICT_UNKNOWN");
  EXPECT_EQ(created->review_flags(1).code(), "NIK_SEX_MISMATCH");
  EXPECT_EQ(created->sex(), Beneficiary::MALE);  // stored as given
  EXPECT_EQ(created->review_flags(0).message(),
            "kecamatan 169999 (first 6 digits) is not in today's region list");

  // A viewer gets the findings' codes and fields, not their messages: they quote NIK digits.
  wahana::registry::v1::GetBeneficiaryRequest get;
  get.set_id(created->id());
  auto read = logic_.GetBeneficiary(TestPrincipal(Role::kViewer, "16.06"), get);
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->review_flags_size(), 2);
  for (const auto& flag : read->review_flags()) {
    EXPECT_EQ(flag.message().find_first_of("0123456789"), std::string::npos) << flag.message();
  }
  EXPECT_EQ(read->review_flags(0).code(), "NIK_SUBDISTRICT_UNKNOWN");
  EXPECT_EQ(read->review_flags(1).field(), "sex");
}

TEST_F(BeneficiaryLogicTest, PossibleDuplicatesAreFlaggedAndListed) {
  auto first = Create(Siti());
  ASSERT_TRUE(first.ok());
  Beneficiary again = Siti();
  again.clear_nik();
  again.set_full_name("SITI  NURAINI");
  auto second = Create(again);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->review_flags_size(), 1);
  EXPECT_EQ(second->review_flags(0).code(), "POSSIBLE_DUPLICATE");
  EXPECT_EQ(second->review_flags(0).field(), "fullName");
  EXPECT_NE(second->review_flags(0).message().find(first->id()), std::string::npos);
  EXPECT_TRUE(first->review_flags().empty());

  wahana::registry::v1::ListPossibleDuplicatesRequest request;
  request.set_id(first->id());
  auto duplicates = logic_.ListPossibleDuplicates(caller_, request);
  ASSERT_TRUE(duplicates.ok()) << duplicates.status();
  ASSERT_EQ(duplicates->beneficiaries_size(), 1);
  EXPECT_EQ(duplicates->beneficiaries(0).id(), second->id());
  request.set_id(second->id());
  duplicates = logic_.ListPossibleDuplicates(caller_, request);
  ASSERT_EQ(duplicates->beneficiaries_size(), 1);
  EXPECT_EQ(duplicates->beneficiaries(0).id(), first->id());
  EXPECT_EQ(duplicates->beneficiaries(0).nik(), "****************");   // masked as a list
  EXPECT_EQ(duplicates->beneficiaries(0).birth_date(), "1979-08-17");  // an operator's list

  // A viewer gets the duplicates as its lists show them: the birth date's year only.
  duplicates = logic_.ListPossibleDuplicates(TestPrincipal(Role::kViewer, "16.06"), request);
  ASSERT_TRUE(duplicates.ok()) << duplicates.status();
  ASSERT_EQ(duplicates->beneficiaries_size(), 1);
  EXPECT_EQ(duplicates->beneficiaries(0).nik(), "****************");
  EXPECT_EQ(duplicates->beneficiaries(0).birth_date(), "1979-**-**");
  EXPECT_FALSE(duplicates->beneficiaries(0).has_guardian());
}

TEST_F(BeneficiaryLogicTest, ListsMaskIdentityNumbersAndOmitSensitiveDetails) {
  auto siti = Create(Siti());
  ASSERT_TRUE(siti.ok());
  ASSERT_TRUE(Create(Ahmad()).ok());
  wahana::registry::v1::ListBeneficiariesRequest request;
  request.set_region("16.06.01");
  auto page = logic_.ListBeneficiaries(caller_, request);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->beneficiaries_size(), 1);
  const Beneficiary& listed = page->beneficiaries(0);
  EXPECT_EQ(listed.nik(), "****************");
  EXPECT_EQ(listed.kk_number(), "****************");
  EXPECT_EQ(listed.birth_date(), "1979-08-17");  // the caller sees personal data
  EXPECT_FALSE(listed.has_disability());
  EXPECT_FALSE(listed.has_guardian());
  EXPECT_EQ(listed.full_name(), "Siti Nur'aini");

  wahana::registry::v1::GetBeneficiaryRequest get;
  get.set_id(siti->id());
  auto whole = logic_.GetBeneficiary(caller_, get);
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(whole->nik(), "1606015708790001");
  EXPECT_EQ(whole->disability().kinds(0), "fisik");
}

TEST_F(BeneficiaryLogicTest, ListFilters) {
  ASSERT_TRUE(Create(Siti()).ok());
  Beneficiary in_household = Ahmad();
  in_household.set_household_id(kHousehold);
  ASSERT_TRUE(Create(in_household).ok());
  wahana::registry::v1::ListBeneficiariesRequest request;
  request.set_ppks_category(wahana::common::v1::LANJUT_USIA_TELANTAR);
  auto page = logic_.ListBeneficiaries(caller_, request);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->beneficiaries_size(), 1);
  EXPECT_EQ(page->beneficiaries(0).full_name(), "Ahmad Hidayat");
  request.clear_ppks_category();
  request.set_household_id(kHousehold);
  page = logic_.ListBeneficiaries(caller_, request);
  ASSERT_EQ(page->beneficiaries_size(), 1);
  // A region disjoint from the caller's scope is 403, also outside the deployment (one rule for
  // every list: ScopeListRegion).
  request.set_region("31.71");
  EXPECT_EQ(logic_.ListBeneficiaries(caller_, request).status().code(),
            absl::StatusCode::kPermissionDenied);
  request.clear_region();
  request.set_page_size(501);
  EXPECT_EQ(logic_.ListBeneficiaries(caller_, request).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(BeneficiaryLogicTest, TheNikNeverChangesOnceSet) {
  auto created = Create(Siti());
  ASSERT_TRUE(created.ok());
  Beneficiary patch;
  patch.set_id(created->id());
  patch.set_etag(created->etag());
  patch.set_nik("1606015708790002");
  auto updated = Update(patch, {"nik"});
  EXPECT_EQ(updated.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(updated.status().message().substr(0, 4), "nik:");
  patch.clear_nik();
  EXPECT_EQ(Update(patch, {"nik"}).status().code(), absl::StatusCode::kInvalidArgument);
  // The whole record sent back, NIK unchanged: fine.
  Beneficiary whole = *created;
  whole.set_address("Dusun III RT 001");
  auto ok = Update(whole, {});
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->address(), "Dusun III RT 001");
}

TEST_F(BeneficiaryLogicTest, ANikMayBeGivenToARecordWithout) {
  Beneficiary b = Siti();
  b.clear_nik();
  auto created = Create(b);
  ASSERT_TRUE(created.ok());
  Beneficiary patch;
  patch.set_id(created->id());
  patch.set_etag(created->etag());
  patch.set_nik("1606015708790001");
  auto updated = Update(patch, {"nik"});
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->nik(), "1606015708790001");
  wahana::registry::v1::LookupBeneficiaryRequest lookup;
  lookup.set_nik("1606015708790001");
  EXPECT_EQ(logic_.LookupBeneficiary(caller_, lookup)->id(), created->id());
}

TEST_F(BeneficiaryLogicTest, UpdateChecksEtagRulesAndWritesItsMessage) {
  auto created = Create(Siti());
  ASSERT_TRUE(created.ok());
  Beneficiary patch;
  patch.set_id(created->id());
  patch.set_etag("7");
  patch.add_ppks_categories(wahana::common::v1::KORBAN_BENCANA_ALAM);
  EXPECT_EQ(Update(patch, {"ppks_categories"}).status().code(), absl::StatusCode::kAborted);
  patch.set_etag("1");
  EXPECT_EQ(Update(patch, {"etag"}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Update(patch, {"reviewFlags"}).status().code(), absl::StatusCode::kInvalidArgument);
  patch.set_village_code("31.71.01.1001");
  auto outside = Update(patch, {"villageCode"});
  EXPECT_EQ(outside.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(outside.status().message().substr(0, 12), "villageCode:");

  auto updated = Update(patch, {"ppksCategories"});
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->etag(), "2");
  EXPECT_EQ(updated->ppks_categories_size(), 1);
  EXPECT_EQ(updated->ppks_categories(0), wahana::common::v1::KORBAN_BENCANA_ALAM);
  ASSERT_EQ(store_->published.size(), 2u);
  BeneficiaryChanged changed = Payload(store_->published[1]);
  EXPECT_EQ(changed.action(), "updated");
  EXPECT_EQ(
      std::vector<std::string>(changed.changed_fields().begin(), changed.changed_fields().end()),
      std::vector<std::string>{"ppksCategories"});
  ASSERT_EQ(changed.ppks_categories_before_size(), 1);
  EXPECT_EQ(changed.ppks_categories_before(0), wahana::common::v1::FAKIR_MISKIN);

  // Nothing changed: nothing written.
  patch.set_etag("2");
  auto same = Update(patch, {"ppksCategories"});
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->etag(), "2");
  EXPECT_EQ(store_->published.size(), 2u);
}

TEST_F(BeneficiaryLogicTest, ArchiveHidesFromListsKeepsTheNikAndLookupFindsIt) {
  auto created = Create(Siti());
  ASSERT_TRUE(created.ok());
  wahana::registry::v1::ArchiveRequest archive;
  archive.set_id(created->id());
  archive.set_etag(created->etag());
  archive.set_reason("meninggal dunia");
  auto archived = logic_.ArchiveBeneficiary(caller_, archive);
  ASSERT_TRUE(archived.ok()) << archived.status();
  EXPECT_TRUE(archived->archived());
  EXPECT_EQ(archived->etag(), "2");
  EXPECT_EQ(Payload(store_->published.back()).action(), "archived");
  EXPECT_EQ(Payload(store_->published.back()).reason(), "meninggal dunia");
  // Every field that differs, sorted (etag and updateTime move with every write: left out).
  const BeneficiaryChanged archive_message = Payload(store_->published.back());
  EXPECT_EQ(std::vector<std::string>(archive_message.changed_fields().begin(),
                                     archive_message.changed_fields().end()),
            (std::vector<std::string>{"archiveTime", "archived"}));
  archive.set_etag(archived->etag());
  auto twice = logic_.ArchiveBeneficiary(caller_, archive);
  EXPECT_EQ(twice.status().code(), absl::StatusCode::kFailedPrecondition) << twice.status();
  EXPECT_EQ(twice.status().message(), "beneficiary " + created->id() + " is already archived");

  wahana::registry::v1::ListBeneficiariesRequest list;
  EXPECT_EQ(logic_.ListBeneficiaries(caller_, list)->beneficiaries_size(), 0);
  list.set_show_archived(true);
  EXPECT_EQ(logic_.ListBeneficiaries(caller_, list)->beneficiaries_size(), 1);

  wahana::registry::v1::LookupBeneficiaryRequest lookup;
  lookup.set_nik(Siti().nik());
  auto found = logic_.LookupBeneficiary(caller_, lookup);
  ASSERT_TRUE(found.ok());
  EXPECT_TRUE(found->archived());
  EXPECT_EQ(found->nik(), Siti().nik());  // whole, as a get
  EXPECT_EQ(Create(Siti()).status().code(), absl::StatusCode::kAlreadyExists);

  Beneficiary patch;
  patch.set_id(created->id());
  patch.set_etag(archived->etag());
  patch.set_address("x");
  EXPECT_EQ(Update(patch, {"address"}).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(BeneficiaryLogicTest, LookupAndGetErrors) {
  wahana::registry::v1::LookupBeneficiaryRequest lookup;
  lookup.set_nik("123");
  EXPECT_EQ(logic_.LookupBeneficiary(caller_, lookup).status().code(),
            absl::StatusCode::kInvalidArgument);
  lookup.set_nik("1606015708790001");
  EXPECT_EQ(logic_.LookupBeneficiary(caller_, lookup).status().code(), absl::StatusCode::kNotFound);
  wahana::registry::v1::GetBeneficiaryRequest get;
  get.set_id("nope");
  EXPECT_EQ(logic_.GetBeneficiary(caller_, get).status().code(),
            absl::StatusCode::kInvalidArgument);
  get.set_id("01JD0000000000000000000009");
  EXPECT_EQ(logic_.GetBeneficiary(caller_, get).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(BeneficiaryLogicTest, UnicodeNamesAreStoredByteExact) {
  for (const std::string& name : {std::string("Siti Nur\xE2\x80\x99"
                                              "aini"),
                                  std::string("Ny. Sîti Âminah"), std::string("عبد الله بن عمر"),
                                  std::string("Ma'ruf  Amin")}) {
    Beneficiary b = Siti();
    b.clear_nik();
    b.set_full_name(name);
    auto created = Create(b);
    ASSERT_TRUE(created.ok()) << created.status();
    EXPECT_EQ(created->full_name(), name);
    EXPECT_EQ(store_->records.at(created->id()).full_name(), name);
  }
}

TEST_F(BeneficiaryLogicTest, StorageDownIsUnavailable) {
  store_->unavailable = absl::UnavailableError("redis down");
  EXPECT_EQ(Create(Siti()).status().code(), absl::StatusCode::kUnavailable);
}

// Access (access_policy.h): Siti lives in Sekayu (16.06.01), Ahmad in Lais (16.06.02).
TEST_F(BeneficiaryLogicTest, ARecordOutsideTheScopeIsAbsentEverywhere) {
  auto siti = Create(Siti());
  auto ahmad = Create(Ahmad());
  ASSERT_TRUE(siti.ok() && ahmad.ok());
  caller_ = TestPrincipal(Role::kFieldWorker, "16.06.01");

  wahana::registry::v1::GetBeneficiaryRequest get;
  get.set_id(ahmad->id());
  auto hidden = logic_.GetBeneficiary(caller_, get);
  EXPECT_EQ(hidden.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(hidden.status().message(), "beneficiary " + ahmad->id() + " not found");
  get.set_id("01JD0000000000000000000009");
  EXPECT_EQ(logic_.GetBeneficiary(caller_, get).status().message(),
            "beneficiary 01JD0000000000000000000009 not found")
      << "an unknown id reads the same";

  wahana::registry::v1::LookupBeneficiaryRequest lookup;
  lookup.set_nik(Ahmad().nik());
  auto looked_up = logic_.LookupBeneficiary(caller_, lookup);
  EXPECT_EQ(looked_up.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(looked_up.status().message(), "no beneficiary has this NIK");
  lookup.set_nik(Siti().nik());
  EXPECT_TRUE(logic_.LookupBeneficiary(caller_, lookup).ok());

  wahana::registry::v1::ListPossibleDuplicatesRequest duplicates;
  duplicates.set_id(ahmad->id());
  EXPECT_EQ(logic_.ListPossibleDuplicates(caller_, duplicates).status().code(),
            absl::StatusCode::kNotFound);

  wahana::registry::v1::ListBeneficiariesRequest list;
  auto page = logic_.ListBeneficiaries(caller_, list);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->beneficiaries_size(), 1);
  EXPECT_EQ(page->beneficiaries(0).id(), siti->id());
  list.set_region("16.06.02");
  EXPECT_EQ(logic_.ListBeneficiaries(caller_, list).status().code(),
            absl::StatusCode::kPermissionDenied);
  // The province reads no beneficiaries (only cases referred to it).
  EXPECT_EQ(logic_
                .ListBeneficiaries(TestPrincipal(Role::kProvinceViewer, "16"),
                                   wahana::registry::v1::ListBeneficiariesRequest())
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(BeneficiaryLogicTest, WritesOutsideTheScopeOrAboveTheRoleAreRefusedAndWriteNothing) {
  auto siti = Create(Siti());
  auto ahmad = Create(Ahmad());
  ASSERT_TRUE(siti.ok() && ahmad.ok());
  const size_t published = store_->published.size();
  caller_ = TestPrincipal(Role::kFieldWorker, "16.06.01");

  Beneficiary elsewhere = Ahmad();
  elsewhere.set_nik("1606011708790003");
  EXPECT_EQ(Create(elsewhere).status().code(), absl::StatusCode::kPermissionDenied);

  Beneficiary patch;
  patch.set_id(ahmad->id());
  patch.set_etag("9");
  patch.set_address("Dusun I");
  EXPECT_EQ(Update(patch, {"address"}).status().code(), absl::StatusCode::kNotFound)
      << "neither the record nor its etag is revealed";
  Beneficiary move;
  move.set_id(siti->id());
  move.set_etag(siti->etag());
  move.set_village_code("16.06.02.2001");
  EXPECT_EQ(Update(move, {"villageCode"}).status().code(), absl::StatusCode::kPermissionDenied);

  wahana::registry::v1::ArchiveRequest archive;
  archive.set_id(siti->id());
  archive.set_etag(siti->etag());
  EXPECT_EQ(logic_.ArchiveBeneficiary(caller_, archive).status().code(),
            absl::StatusCode::kPermissionDenied)
      << "field workers archive nothing";
  archive.set_id(ahmad->id());
  archive.set_etag(ahmad->etag());
  EXPECT_EQ(logic_.ArchiveBeneficiary(TestPrincipal(Role::kOperator, "16.06.01"), archive)
                .status()
                .code(),
            absl::StatusCode::kNotFound);

  caller_ = TestPrincipal(Role::kViewer, "16.06");
  Beneficiary fresh = Siti();
  fresh.set_nik("1606015708790009");
  EXPECT_EQ(Create(fresh).status().code(), absl::StatusCode::kPermissionDenied);
  patch.set_id(siti->id());
  patch.set_etag("1");
  EXPECT_EQ(Update(patch, {"address"}).status().code(), absl::StatusCode::kPermissionDenied);

  EXPECT_EQ(store_->published.size(), published);
  EXPECT_EQ(store_->records.at(siti->id()).village_code(), "16.06.01.2001");
}

// The NIK is unique in the whole deployment, so a second claim is refused whoever asks; the
// holder is named only to a caller who may read it (common/resource/taken_value.h).
TEST_F(BeneficiaryLogicTest, ANikHeldOutsideTheScopeIsAConflictNamingNoHolder) {
  auto ahmad = Create(Ahmad());  // in Lais, 16.06.02
  ASSERT_TRUE(ahmad.ok());
  const size_t published = store_->published.size();
  constexpr char kOutside[] =
      "nik: a beneficiary with this NIK is already registered outside your region";

  caller_ = TestPrincipal(Role::kFieldWorker, "16.06.01");
  Beneficiary same_nik = Siti();  // in Sekayu, inside the caller's scope
  same_nik.set_nik(Ahmad().nik());
  same_nik.set_sex(Beneficiary::MALE);
  auto created = Create(same_nik);
  EXPECT_EQ(created.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(created.status().message(), kOutside);
  EXPECT_EQ(created.status().message().find(ahmad->id()), absl::string_view::npos);
  EXPECT_EQ(created.status().message().find("16.06.02"), absl::string_view::npos);

  // Setting the NIK later is refused alike.
  Beneficiary without_nik = Siti();
  without_nik.clear_nik();
  auto siti = Create(without_nik);
  ASSERT_TRUE(siti.ok()) << siti.status();
  Beneficiary patch;
  patch.set_id(siti->id());
  patch.set_etag(siti->etag());
  patch.set_nik(Ahmad().nik());
  auto updated = Update(patch, {"nik"});
  EXPECT_EQ(updated.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(updated.status().message(), kOutside);
  EXPECT_EQ(store_->records.at(siti->id()).nik(), "");
  EXPECT_EQ(store_->published.size(), published + 1) << "only the NIK-less create was written";

  // A caller whose scope covers Lais is told who holds it.
  caller_ = TestPrincipal(Role::kFieldWorker, "16.06.02");
  Beneficiary in_lais = same_nik;
  in_lais.set_village_code("16.06.02.2001");
  EXPECT_EQ(Create(in_lais).status().message(), "nik: already used by beneficiary " + ahmad->id());
}

TEST_F(BeneficiaryLogicTest, ARequestIdReusedOutsideTheScopeNamesNoRecord) {
  auto ahmad = Create(Ahmad(), "form-9");  // in Lais, by the deployment's admin
  ASSERT_TRUE(ahmad.ok());
  const size_t published = store_->published.size();
  // The same subject, its scope narrowed since (another caller's "form-9" is its own).
  caller_ = TestPrincipal(Role::kOperator, "16.06.01", caller_.subject);
  auto again = Create(Siti(), "form-9");
  // Told as any value taken outside the scope is (common/resource/taken_value.h): naming nothing.
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(again.status().message(),
            "requestId: a beneficiary with this requestId is already registered outside your "
            "region");
  EXPECT_EQ(again.status().message().find(ahmad->id()), absl::string_view::npos) << again.status();
  EXPECT_EQ(again.status().message().find("16.06.02"), absl::string_view::npos) << again.status();
  EXPECT_EQ(store_->published.size(), published);
}

TEST_F(BeneficiaryLogicTest, AnImportedNikHeldOutsideTheScopeNamesNoHolder) {
  auto ahmad = Create(Ahmad());
  ASSERT_TRUE(ahmad.ok());
  wahana::registry::v1::ImportBeneficiariesRequest batch;
  Beneficiary row = Siti();
  row.set_nik(Ahmad().nik());
  row.set_sex(Beneficiary::MALE);
  *batch.add_rows()->mutable_beneficiary() = row;

  auto outside = logic_.ImportBeneficiaries(TestPrincipal(Role::kOperator, "16.06.01"), batch);
  ASSERT_TRUE(outside.ok()) << outside.status();
  ASSERT_EQ(outside->rejections_size(), 1);
  EXPECT_EQ(outside->rejections(0).field(), "nik");
  EXPECT_EQ(outside->rejections(0).reason(),
            "a beneficiary with this NIK is already registered outside your region");

  auto inside = logic_.ImportBeneficiaries(TestPrincipal(Role::kOperator, "16.06"), batch);
  ASSERT_TRUE(inside.ok()) << inside.status();
  ASSERT_EQ(inside->rejections_size(), 1);
  EXPECT_EQ(inside->rejections(0).reason(), "already used by beneficiary " + ahmad->id());
  EXPECT_EQ(store_->records.size(), 1u);
}

TEST_F(BeneficiaryLogicTest, AViewerGetsRecordsMaskedAndMayNotLookUpByNik) {
  auto siti = Create(Siti());
  ASSERT_TRUE(siti.ok());
  caller_ = TestPrincipal(Role::kViewer, "16.06");
  wahana::registry::v1::GetBeneficiaryRequest get;
  get.set_id(siti->id());
  auto read = logic_.GetBeneficiary(caller_, get);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->nik(), "****************");
  EXPECT_EQ(read->kk_number(), "****************");
  EXPECT_EQ(read->birth_date(), "1979-**-**");
  EXPECT_EQ(read->sex(), Beneficiary::FEMALE);
  EXPECT_EQ(read->village_code(), "16.06.01.2001");
  EXPECT_FALSE(read->has_disability());
  EXPECT_FALSE(read->has_guardian());
  EXPECT_EQ(read->full_name(), "Siti Nur'aini");

  wahana::registry::v1::ListBeneficiariesRequest list;
  auto page = logic_.ListBeneficiaries(caller_, list);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->beneficiaries_size(), 1);
  EXPECT_EQ(page->beneficiaries(0).nik(), "****************");
  EXPECT_EQ(page->beneficiaries(0).birth_date(), "1979-**-**");

  wahana::registry::v1::LookupBeneficiaryRequest lookup;
  lookup.set_nik(Siti().nik());
  EXPECT_EQ(logic_.LookupBeneficiary(caller_, lookup).status().code(),
            absl::StatusCode::kPermissionDenied);

  // A field worker of the kecamatan sees the whole record.
  read = logic_.GetBeneficiary(TestPrincipal(Role::kFieldWorker, "16.06.01"), get);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->nik(), Siti().nik());
  EXPECT_EQ(read->guardian().full_name(), "Ahmad Hidayat");
}

TEST_F(BeneficiaryLogicTest, ImportsRejectRowsOutsideTheScopeAndRolesThatMayNotCreate) {
  wahana::registry::v1::ImportBeneficiariesRequest batch;
  *batch.add_rows()->mutable_beneficiary() = Siti();
  *batch.add_rows()->mutable_beneficiary() = Ahmad();
  auto imported = logic_.ImportBeneficiaries(TestPrincipal(Role::kOperator, "16.06.01"), batch);
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_EQ(imported->created(), 1);
  ASSERT_EQ(imported->rejections_size(), 1);
  EXPECT_EQ(imported->rejections(0).line(), 2);
  EXPECT_EQ(imported->rejections(0).field(), "villageCode");
  EXPECT_NE(imported->rejections(0).reason().find("outside your region scope 16.06.01"),
            std::string::npos)
      << imported->rejections(0).reason();
  EXPECT_EQ(
      logic_.ImportBeneficiaries(TestPrincipal(Role::kViewer, "16.06"), batch).status().code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(store_->records.size(), 1u);
}

}  // namespace
}  // namespace wahana::registry
