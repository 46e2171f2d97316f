#include "registry/beneficiaries/beneficiary_import.h"

#include <gtest/gtest.h>

#include "registry/beneficiaries/beneficiary_logic.h"
#include "registry/beneficiaries/fake_beneficiary_store.h"
#include "registry/beneficiaries/test_regions.h"
#include "support/test_principals.h"

namespace wahana::registry {
namespace {

using wahana::registry::v1::Beneficiary;
using wahana::registry::v1::BeneficiaryChanged;
using wahana::registry::v1::ImportBeneficiariesRequest;
using wahana::registry::v1::ImportBeneficiariesResponse;

Beneficiary Row(const std::string& nik, const std::string& name, Beneficiary::Sex sex,
                const std::string& birth, const std::string& village = "16.06.01.2001") {
  Beneficiary b;
  b.set_nik(nik);
  b.set_full_name(name);
  b.set_sex(sex);
  b.set_birth_date(birth);
  b.set_village_code(village);
  b.add_ppks_categories(wahana::common::v1::FAKIR_MISKIN);
  return b;
}

Beneficiary Siti() {
  return Row("1606015708790001", "Siti Aminah", Beneficiary::FEMALE, "1979-08-17");
}
Beneficiary Ahmad() {
  return Row("1606011708790002", "Ahmad Hidayat", Beneficiary::MALE, "1979-08-17");
}
Beneficiary Budi() { return Row("", "Budi", Beneficiary::MALE, "2012-03-04", "16.06.02.2001"); }

ImportBeneficiariesRequest Batch(const std::vector<Beneficiary>& rows, int first_line = 2) {
  ImportBeneficiariesRequest batch;
  for (const Beneficiary& b : rows) {
    auto* row = batch.add_rows();
    row->set_line(first_line++);
    *row->mutable_beneficiary() = b;
  }
  return batch;
}

class BeneficiaryImportTest : public ::testing::Test {
 protected:
  BeneficiaryImportTest()
      : store_(std::make_shared<testing::FakeBeneficiaryStore>()),
        logic_("16.06", store_, std::make_shared<RegionRules>(regions_, "16.06"),
               [] { return absl::FromUnixSeconds(1764200000); }) {}

  ImportBeneficiariesResponse Import(const std::vector<ImportBeneficiariesRequest>& batches) {
    auto import = logic_.StartImport(wahana::testing::TestPrincipal(Role::kAdmin));
    for (const auto& batch : batches) {
      absl::Status status = import->AddBatch(batch);
      EXPECT_TRUE(status.ok()) << status;
    }
    return import->totals();
  }

  testing::FakeRegionStore regions_;
  std::shared_ptr<testing::FakeBeneficiaryStore> store_;
  BeneficiaryLogic logic_;
};

TEST_F(BeneficiaryImportTest, ValidRowsAreStoredAndEachRejectedRowIsAnswered) {
  Beneficiary bad_nik = Ahmad();
  bad_nik.set_nik("1606011708790000");
  Beneficiary bad_village = Budi();
  bad_village.set_village_code("16.06.09.9999");
  auto totals = Import({Batch({Siti(), bad_nik, Budi(), bad_village})});
  EXPECT_EQ(totals.received(), 4);
  EXPECT_EQ(totals.created(), 2);
  EXPECT_EQ(totals.unchanged(), 0);
  EXPECT_EQ(totals.rejected(), 2);
  ASSERT_EQ(totals.rejections_size(), 2);
  EXPECT_EQ(totals.rejections(0).line(), 3);
  EXPECT_EQ(totals.rejections(0).field(), "nik");
  EXPECT_EQ(totals.rejections(0).reason(), "serial (last 4 digits) must not be 0000");
  EXPECT_EQ(totals.rejections(1).line(), 5);
  EXPECT_EQ(totals.rejections(1).field(), "villageCode");
  EXPECT_EQ(store_->records.size(), 2u);
  EXPECT_EQ(store_->import_batches, 1);  // one store round for the batch
  for (const auto& message : store_->published) {
    BeneficiaryChanged changed;
    ASSERT_TRUE(message.payload().UnpackTo(&changed));
    EXPECT_EQ(changed.action(), "imported");
    EXPECT_EQ(message.aggregate_version(), 1);
  }
}

TEST_F(BeneficiaryImportTest, TheSameRowsTwiceChangeNothing) {
  auto first = Import({Batch({Siti(), Ahmad()}), Batch({Budi()}, 4)});
  EXPECT_EQ(first.created(), 3);
  auto records = store_->records;
  const size_t messages = store_->published.size();
  auto second = Import({Batch({Siti(), Ahmad()}), Batch({Budi()}, 4)});
  EXPECT_EQ(second.received(), 3);
  EXPECT_EQ(second.created(), 0);
  EXPECT_EQ(second.unchanged(), 3);
  EXPECT_EQ(second.rejected(), 0);
  EXPECT_EQ(store_->records.size(), records.size());
  EXPECT_EQ(store_->published.size(), messages);
}

TEST_F(BeneficiaryImportTest, OtherContentUnderAStoredNikIsRejectedNamingTheHolder) {
  auto first = Import({Batch({Siti()})});
  const std::string holder = store_->records.begin()->first;
  Beneficiary changed = Siti();
  changed.set_address("Dusun IV");
  auto second = Import({Batch({changed}, 7)});
  EXPECT_EQ(second.created(), 0);
  EXPECT_EQ(second.unchanged(), 0);
  ASSERT_EQ(second.rejections_size(), 1);
  EXPECT_EQ(second.rejections(0).line(), 7);
  EXPECT_EQ(second.rejections(0).field(), "nik");
  EXPECT_EQ(second.rejections(0).reason(), "already used by beneficiary " + holder);
  EXPECT_EQ(store_->records.at(holder).address(), "");  // never overwritten
}

TEST_F(BeneficiaryImportTest, RowsRepeatedInOneImport) {
  Beneficiary siti_again = Siti();
  siti_again.set_full_name("Siti A.");
  auto totals = Import({Batch({Siti(), Budi(), Siti(), Budi(), siti_again})});
  EXPECT_EQ(totals.created(), 2);
  EXPECT_EQ(totals.unchanged(), 2);
  ASSERT_EQ(totals.rejections_size(), 1);
  EXPECT_EQ(totals.rejections(0).line(), 6);
  EXPECT_EQ(totals.rejections(0).field(), "nik");
}

TEST_F(BeneficiaryImportTest, SimilarRowsAreStoredFlaggedAndOnceOnly) {
  ASSERT_TRUE(Import({Batch({Budi()})}).created() == 1);
  Beneficiary other_budi = Budi();
  other_budi.set_address("Dusun I");  // other content, same name, birth date and village
  auto totals = Import({Batch({other_budi, other_budi})});
  EXPECT_EQ(totals.created(), 1);
  EXPECT_EQ(totals.unchanged(), 1);
  EXPECT_EQ(store_->records.size(), 2u);
  int flagged = 0;
  for (const auto& [id, record] : store_->records) {
    if (record.address() == "Dusun I") {
      ASSERT_EQ(record.review_flags_size(), 1);
      EXPECT_EQ(record.review_flags(0).code(), "POSSIBLE_DUPLICATE");
      ++flagged;
    }
  }
  EXPECT_EQ(flagged, 1);
  // And again: unchanged.
  auto again = Import({Batch({other_budi})});
  EXPECT_EQ(again.unchanged(), 1);
  EXPECT_EQ(store_->records.size(), 2u);
}

TEST_F(BeneficiaryImportTest, FindingsAndServerFieldsOfRows) {
  Beneficiary row = Siti();
  row.set_sex(Beneficiary::MALE);
  row.set_id("forged");
  row.set_archived(true);
  auto totals = Import({Batch({row})});
  ASSERT_EQ(totals.created(), 1);
  const Beneficiary& stored = store_->records.begin()->second;
  EXPECT_NE(stored.id(), "forged");
  EXPECT_FALSE(stored.archived());
  ASSERT_EQ(stored.review_flags_size(), 1);
  EXPECT_EQ(stored.review_flags(0).code(), "NIK_SEX_MISMATCH");
}

TEST_F(BeneficiaryImportTest, LinesDefaultToThePositionInTheImport) {
  ImportBeneficiariesRequest batch = Batch({Siti(), Siti()});
  batch.mutable_rows(0)->clear_line();
  batch.mutable_rows(1)->clear_line();
  batch.mutable_rows(1)->mutable_beneficiary()->clear_full_name();
  auto totals = Import({batch});
  ASSERT_EQ(totals.rejections_size(), 1);
  EXPECT_EQ(totals.rejections(0).line(), 2);
  EXPECT_EQ(totals.rejections(0).field(), "fullName");
}

TEST_F(BeneficiaryImportTest, HouseholdsAreReadOncePerImport) {
  store_->households.insert("01JD0000000000000000000001");
  Beneficiary a = Siti(), b = Ahmad();
  a.set_household_id("01JD0000000000000000000001");
  b.set_household_id("01JD0000000000000000000001");
  auto totals = Import({Batch({a, b})});
  EXPECT_EQ(totals.created(), 2);
  EXPECT_EQ(store_->household_reads, 1);
}

TEST_F(BeneficiaryImportTest, TooManyRowsAndStorageErrorsStopTheImport) {
  auto import = logic_.StartImport(wahana::testing::TestPrincipal(Role::kAdmin));
  std::vector<Beneficiary> rows(kMaxImportRowsPerRequest + 1, Budi());
  EXPECT_EQ(import->AddBatch(Batch(rows)).code(), absl::StatusCode::kInvalidArgument);
  store_->unavailable = absl::UnavailableError("redis down");
  EXPECT_EQ(import->AddBatch(Batch({Siti()})).code(), absl::StatusCode::kUnavailable);
}

TEST_F(BeneficiaryImportTest, RejectionsListedAreCappedButCounted) {
  auto import = logic_.StartImport(wahana::testing::TestPrincipal(Role::kAdmin));
  Beneficiary bad = Budi();
  bad.clear_full_name();
  std::vector<Beneficiary> rows(kMaxImportRowsPerRequest, bad);
  const int batches = kMaxImportRejectionsListed / kMaxImportRowsPerRequest + 1;
  for (int i = 0; i < batches; ++i) ASSERT_TRUE(import->AddBatch(Batch(rows)).ok());
  EXPECT_EQ(import->totals().rejected(), batches * kMaxImportRowsPerRequest);
  EXPECT_EQ(import->totals().rejections_size(), kMaxImportRejectionsListed);
}

}  // namespace
}  // namespace wahana::registry
