// InstitutionLogic with an in-memory store and regions: what is stored, what is refused (naming
// the field, writing nothing), what each change announces.

#include "registry/institutions/institution_logic.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "registry_institutions/fake_region_store.h"
#include "support/in_memory_indexed_record_store.h"
#include "support/test_principals.h"

namespace wahana::registry {
namespace {

using wahana::common::v1::Envelope;
using wahana::registry::v1::ArchiveRequest;
using wahana::registry::v1::CreateInstitutionRequest;
using wahana::registry::v1::GetInstitutionRequest;
using wahana::registry::v1::Institution;
using wahana::registry::v1::InstitutionChanged;
using wahana::registry::v1::ListInstitutionsRequest;
using wahana::registry::v1::UpdateInstitutionRequest;

using wahana::testing::TestPrincipal;

using FakeStore = wahana::testing::InMemoryIndexedRecordStore<Institution>;

constexpr char kVillage[] = "16.06.01.2001";
constexpr char kOtherVillageSameSubdistrict[] = "16.06.01.2002";
constexpr char kLaisVillage[] = "16.06.02.2001";
// Diacritics, an em dash, curly apostrophes and Arabic script: must come back byte for byte.
constexpr char kUnicodeName[] = "Majelis Taklim Nurul Huda — ‘Ar-Raḥmān’ مجلس";

Institution Valid(Institution::Kind kind = Institution::PKK,
                  const std::string& village = kVillage) {
  Institution i;
  i.set_kind(kind);
  i.set_name("PKK Desa Sukarami");
  i.set_village_code(village);
  i.set_address("Jl. Merdeka No. 1, RT 02 RW 01");
  i.mutable_contact()->set_phone("+62 812-3456-7890");
  i.set_member_count(25);
  i.set_founded_date("2012-08-17");
  Institution::Leader* leader = i.add_leaders();
  leader->set_full_name("Siti Aminah");
  leader->set_role("ketua");
  return i;
}

InstitutionChanged PayloadOf(const Envelope& envelope) {
  InstitutionChanged payload;
  EXPECT_EQ(envelope.type(), "wahana.registry.v1.InstitutionChanged");
  EXPECT_TRUE(envelope.payload().UnpackTo(&payload));
  return payload;
}

class InstitutionLogicTest : public ::testing::Test {
 protected:
  InstitutionLogicTest()
      : store_(std::make_shared<FakeStore>("institution", InstitutionIndexing())),
        rules_(regions_, "16.06"),
        logic_("16.06", store_, rules_, [this] { return now_; }) {}

  Institution Create(const Institution& institution, const std::string& request_id = "") {
    CreateInstitutionRequest request;
    *request.mutable_institution() = institution;
    request.set_request_id(request_id);
    absl::StatusOr<Institution> created =
        logic_.CreateInstitution(TestPrincipal(Role::kAdmin), request);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.value_or(Institution());
  }

  void ExpectCreateRefused(const Institution& institution, const std::string& field) {
    SCOPED_TRACE(field);
    size_t published = store_->published.size();
    size_t records = store_->records.size();
    CreateInstitutionRequest request;
    *request.mutable_institution() = institution;
    absl::StatusOr<Institution> result =
        logic_.CreateInstitution(TestPrincipal(Role::kAdmin), request);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << result.status();
    EXPECT_EQ(result.status().message().rfind(field + ":", 0), 0u)
        << "should start with " << field << ": " << result.status();
    EXPECT_EQ(store_->published.size(), published);
    EXPECT_EQ(store_->records.size(), records);
  }

  absl::StatusOr<Institution> Update(const Institution& patch, std::vector<std::string> paths) {
    UpdateInstitutionRequest request;
    *request.mutable_institution() = patch;
    for (const std::string& path : paths) request.mutable_update_mask()->add_paths(path);
    return logic_.UpdateInstitution(TestPrincipal(Role::kAdmin), request);
  }

  std::vector<std::string> ListNames(ListInstitutionsRequest request) {
    std::vector<std::string> names;
    auto response = logic_.ListInstitutions(TestPrincipal(Role::kAdmin), request);
    EXPECT_TRUE(response.ok()) << response.status();
    if (!response.ok()) return names;
    for (const Institution& i : response->institutions()) names.push_back(i.name());
    return names;
  }

  absl::Time now_ = absl::FromCivil(absl::CivilSecond(2026, 3, 1, 8, 30, 0), absl::UTCTimeZone());
  std::shared_ptr<FakeStore> store_;
  wahana::testing::FakeRegionStore regions_;
  RegionRules rules_;
  InstitutionLogic logic_;
};

TEST_F(InstitutionLogicTest, CreateSetsTheServerFieldsAndAnnouncesIt) {
  Institution in = Valid();
  in.set_id("client-chosen");
  in.set_etag("99");
  in.set_archived(true);
  in.mutable_create_time()->set_seconds(1);
  Institution created = Create(in);

  EXPECT_EQ(created.id().size(), 26u);
  EXPECT_NE(created.id(), "client-chosen");
  EXPECT_EQ(created.etag(), "1");
  EXPECT_FALSE(created.archived());
  EXPECT_EQ(created.status(), Institution::ACTIVE) << "status defaults to ACTIVE";
  EXPECT_EQ(created.create_time().seconds(), absl::ToUnixSeconds(now_));
  EXPECT_EQ(created.update_time().seconds(), absl::ToUnixSeconds(now_));
  EXPECT_EQ(created.name(), "PKK Desa Sukarami");
  EXPECT_EQ(created.leaders(0).full_name(), "Siti Aminah");
  EXPECT_EQ(store_->records.at(created.id()).SerializeAsString(), created.SerializeAsString());

  ASSERT_EQ(store_->published.size(), 1u);
  const Envelope& envelope = store_->published[0];
  EXPECT_EQ(envelope.aggregate_id(), created.id());
  EXPECT_EQ(envelope.aggregate_version(), 1);
  EXPECT_EQ(envelope.region_code(), kVillage);
  EXPECT_EQ(envelope.origin_region(), "16.06");
  InstitutionChanged payload = PayloadOf(envelope);
  EXPECT_EQ(payload.action(), "created");
  EXPECT_EQ(payload.status_before(), Institution::STATUS_UNSPECIFIED);
  EXPECT_EQ(payload.status_after(), Institution::ACTIVE);
  EXPECT_EQ(payload.institution().SerializeAsString(), created.SerializeAsString());
}

TEST_F(InstitutionLogicTest, UnicodeNamesAreKeptByteExact) {
  Institution in = Valid(Institution::MAJELIS_TAKLIM);
  in.set_name(kUnicodeName);
  in.mutable_leaders(0)->set_full_name("Hj. Nur’aini binti Abdul-Ḥamīd");
  Institution created = Create(in);
  EXPECT_EQ(created.name(), kUnicodeName);
  auto got = logic_.GetInstitution(TestPrincipal(Role::kAdmin), [&] {
    GetInstitutionRequest r;
    r.set_id(created.id());
    return r;
  }());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->name(), std::string(kUnicodeName));
  EXPECT_EQ(got->leaders(0).full_name(), "Hj. Nur’aini binti Abdul-Ḥamīd");
}

TEST_F(InstitutionLogicTest, KindSpecificFactsAreAcceptedForTheirKind) {
  Institution granary = Valid(Institution::LUMBUNG_DESA);
  granary.mutable_granary_stock()->set_rice_kg(1250.5);
  granary.mutable_granary_stock()->set_as_of("2026-02-28");
  EXPECT_EQ(Create(granary).granary_stock().rice_kg(), 1250.5);

  Institution kube = Valid(Institution::KUBE);
  kube.mutable_joint_business()->set_business("ternak kambing");
  kube.mutable_joint_business()->set_stage(Institution::JointBusiness::DEVELOPING);
  kube.mutable_joint_business()->set_capital_rupiah(20000000);
  EXPECT_EQ(Create(kube).joint_business().business(), "ternak kambing");

  Institution other = Valid(Institution::OTHER);
  other.set_other_kind_label("Kelompok Nelayan");
  EXPECT_EQ(Create(other).other_kind_label(), "Kelompok Nelayan");

  Institution inactive = Valid(Institution::ARISAN);
  inactive.set_status(Institution::INACTIVE);
  EXPECT_EQ(Create(inactive).status(), Institution::INACTIVE);
}

TEST_F(InstitutionLogicTest, BadInputIsRefusedNamingTheFieldAndWritesNothing) {
  Institution i = Valid();
  i.set_kind(Institution::KIND_UNSPECIFIED);
  ExpectCreateRefused(i, "kind");
  i = Valid();
  i.set_kind(static_cast<Institution::Kind>(77));
  ExpectCreateRefused(i, "kind");
  ExpectCreateRefused(Valid(Institution::OTHER), "otherKindLabel");
  i = Valid(Institution::LKS);
  i.set_other_kind_label("Kelompok Nelayan");
  ExpectCreateRefused(i, "otherKindLabel");

  i = Valid();
  i.set_name("   ");
  ExpectCreateRefused(i, "name");
  i = Valid();
  std::string long_name;
  for (int k = 0; k < 67; ++k) long_name += "ḥ";  // 3 bytes each: 201 bytes, 67 characters
  i.set_name(long_name);
  ExpectCreateRefused(i, "name");
  i.set_name(long_name.substr(3));  // 200 bytes: fine
  Create(i);
  i = Valid();
  i.set_name("PKK\nDesa");
  ExpectCreateRefused(i, "name");

  ExpectCreateRefused(Valid(Institution::PKK, ""), "villageCode");
  ExpectCreateRefused(Valid(Institution::PKK, "16.06.01.9999"), "villageCode");  // unknown
  ExpectCreateRefused(Valid(Institution::PKK, "16.06.01"), "villageCode");       // a kecamatan
  ExpectCreateRefused(Valid(Institution::PKK, "17.01.01.2001"), "villageCode");  // other regency
  ExpectCreateRefused(Valid(Institution::PKK, "16-06-01-2001"), "villageCode");

  i = Valid();
  i.set_member_count(-1);
  ExpectCreateRefused(i, "memberCount");
  i = Valid();
  i.set_founded_date("2025-02-29");
  ExpectCreateRefused(i, "foundedDate");
  i.set_founded_date("17-08-2012");
  ExpectCreateRefused(i, "foundedDate");
  i.set_founded_date("2026-03-03");  // two days after now_
  ExpectCreateRefused(i, "foundedDate");
  i = Valid();
  i.mutable_legal_status()->set_registration_date("2026-13-01");
  ExpectCreateRefused(i, "legalStatus.registrationDate");
  i = Valid();
  i.set_status(static_cast<Institution::Status>(9));
  ExpectCreateRefused(i, "status");

  i = Valid(Institution::PKK);
  i.mutable_granary_stock()->set_rice_kg(10);
  ExpectCreateRefused(i, "granaryStock");
  i = Valid(Institution::LUMBUNG_DESA);
  i.mutable_granary_stock()->set_rice_kg(-5);
  ExpectCreateRefused(i, "granaryStock.riceKg");
  i = Valid(Institution::LKS);
  i.mutable_joint_business()->set_business("warung sembako");
  ExpectCreateRefused(i, "jointBusiness");
  i = Valid(Institution::KUBE);
  i.mutable_joint_business()->set_capital_rupiah(-1);
  ExpectCreateRefused(i, "jointBusiness.capitalRupiah");

  i = Valid();
  i.add_leaders()->set_role("sekretaris");
  ExpectCreateRefused(i, "leaders[1].fullName");
  i = Valid();
  i.mutable_leaders(0)->mutable_contact()->set_email("not-an-email");
  ExpectCreateRefused(i, "leaders[0].contact.email");
  i = Valid();
  i.mutable_contact()->set_phone("call me");
  ExpectCreateRefused(i, "contact.phone");

  CreateInstitutionRequest request;
  *request.mutable_institution() = Valid();
  request.set_request_id(std::string(129, 'r'));
  EXPECT_EQ(logic_.CreateInstitution(TestPrincipal(Role::kAdmin), request).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(InstitutionLogicTest, ARepeatedRequestIdReturnsTheFirstInstitution) {
  Institution first = Create(Valid(), "form-7");
  Institution other = Valid(Institution::ARISAN);
  other.set_name("Arisan Ibu-Ibu");
  Institution again = Create(other, "form-7");
  EXPECT_EQ(again.id(), first.id());
  EXPECT_EQ(again.name(), "PKK Desa Sukarami");
  EXPECT_EQ(store_->records.size(), 1u);
  EXPECT_EQ(store_->published.size(), 1u);
}

TEST_F(InstitutionLogicTest, GetRefusesBadIdsAndReportsUnknownOnes) {
  GetInstitutionRequest request;
  request.set_id("abc");
  EXPECT_EQ(logic_.GetInstitution(TestPrincipal(Role::kAdmin), request).status().code(),
            absl::StatusCode::kInvalidArgument);
  request.set_id("01J0000000000000000000000Z");
  EXPECT_EQ(logic_.GetInstitution(TestPrincipal(Role::kAdmin), request).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(InstitutionLogicTest, ListsFilterByRegionKindStatusAndArchive) {
  Institution a = Valid(Institution::PKK, kVillage);
  a.set_name("A");
  Institution b = Valid(Institution::KARANG_TARUNA, kOtherVillageSameSubdistrict);
  b.set_name("B");
  Institution c = Valid(Institution::PKK, kLaisVillage);
  c.set_name("C");
  Institution d = Valid(Institution::PKK, kVillage);
  d.set_name("D");
  d.set_status(Institution::INACTIVE);
  Create(a);
  Create(b);
  Create(c);
  Institution created_d = Create(d);

  ListInstitutionsRequest request;
  EXPECT_EQ(ListNames(request), (std::vector<std::string>{"A", "D", "B", "C"}));
  request.set_region("16.06.01");
  EXPECT_EQ(ListNames(request), (std::vector<std::string>{"A", "D", "B"}));
  request.set_region("16.06.02");
  EXPECT_EQ(ListNames(request), (std::vector<std::string>{"C"}));
  request.set_region("");
  request.set_kind(Institution::PKK);
  EXPECT_EQ(ListNames(request), (std::vector<std::string>{"A", "D", "C"}));
  request.set_status(Institution::ACTIVE);
  EXPECT_EQ(ListNames(request), (std::vector<std::string>{"A", "C"}));
  request.clear_kind();
  request.set_status(Institution::INACTIVE);
  EXPECT_EQ(ListNames(request), (std::vector<std::string>{"D"}));

  ArchiveRequest archive;
  archive.set_id(created_d.id());
  archive.set_etag(created_d.etag());
  ASSERT_TRUE(logic_.ArchiveInstitution(TestPrincipal(Role::kAdmin), archive).ok());
  EXPECT_TRUE(ListNames(request).empty()) << "archived institutions are hidden";
  request.set_show_archived(true);
  EXPECT_EQ(ListNames(request), (std::vector<std::string>{"D"}));

  ListInstitutionsRequest paged;
  paged.set_page_size(2);
  auto first = logic_.ListInstitutions(TestPrincipal(Role::kAdmin), paged);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->institutions_size(), 2);
  EXPECT_EQ(first->institutions(1).name(), "B") << "D is archived";
  ASSERT_FALSE(first->next_page_token().empty());
  paged.set_page_token(first->next_page_token());
  auto second = logic_.ListInstitutions(TestPrincipal(Role::kAdmin), paged);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->institutions_size(), 1);
  EXPECT_EQ(second->institutions(0).name(), "C");
  EXPECT_TRUE(second->next_page_token().empty());
  paged.set_kind(Institution::PKK);
  EXPECT_EQ(logic_.ListInstitutions(TestPrincipal(Role::kAdmin), paged).status().code(),
            absl::StatusCode::kInvalidArgument)
      << "a page token is bound to its filters";

  ListInstitutionsRequest bad;
  bad.set_page_size(501);
  EXPECT_EQ(logic_.ListInstitutions(TestPrincipal(Role::kAdmin), bad).status().code(),
            absl::StatusCode::kInvalidArgument);
  bad.set_page_size(0);
  bad.set_region("17.01");
  // A region disjoint from the caller's scope is 403, also outside the deployment (one rule for
  // every list: ScopeListRegion).
  auto outside = logic_.ListInstitutions(TestPrincipal(Role::kAdmin), bad);
  EXPECT_EQ(outside.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(outside.status().message().rfind("region:", 0), 0u) << outside.status();
  bad.set_region("");
  bad.set_kind(static_cast<Institution::Kind>(55));
  EXPECT_EQ(logic_.ListInstitutions(TestPrincipal(Role::kAdmin), bad).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(InstitutionLogicTest, UpdateAppliesTheMaskAndAnnouncesTheStatusChange) {
  Institution created = Create(Valid());
  now_ += absl::Hours(1);
  Institution patch;
  patch.set_id(created.id());
  patch.set_etag(created.etag());
  patch.set_status(Institution::INACTIVE);
  patch.set_name("ignored: not in the mask");
  auto updated = Update(patch, {"status"});
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->status(), Institution::INACTIVE);
  EXPECT_EQ(updated->name(), "PKK Desa Sukarami");
  EXPECT_EQ(updated->etag(), "2");
  EXPECT_EQ(updated->update_time().seconds(), absl::ToUnixSeconds(now_));
  EXPECT_EQ(updated->create_time().seconds(), created.create_time().seconds());
  EXPECT_EQ(store_->records.at(created.id()).SerializeAsString(), updated->SerializeAsString());

  ASSERT_EQ(store_->published.size(), 2u);
  EXPECT_EQ(store_->published[1].aggregate_version(), 2);
  InstitutionChanged payload = PayloadOf(store_->published[1]);
  EXPECT_EQ(payload.action(), "updated");
  EXPECT_EQ(payload.status_before(), Institution::ACTIVE);
  EXPECT_EQ(payload.status_after(), Institution::INACTIVE);
  EXPECT_EQ(
      std::vector<std::string>(payload.changed_fields().begin(), payload.changed_fields().end()),
      std::vector<std::string>{"status"});

  // JSON spelling in the mask, and a nested path.
  patch = Institution();
  patch.set_id(created.id());
  patch.set_etag("2");
  patch.mutable_legal_status()->set_registration_number("466/12/DINSOS/2020");
  updated = Update(patch, {"legalStatus.registrationNumber"});
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->legal_status().registration_number(), "466/12/DINSOS/2020");
  EXPECT_EQ(updated->etag(), "3");
}

TEST_F(InstitutionLogicTest, UpdateRefusesStaleEtagsServerFieldsAndInvalidResults) {
  Institution created = Create(Valid());
  Institution patch;
  patch.set_id(created.id());
  patch.set_name("Baru");

  auto missing = Update(patch, {"name"});
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(missing.status().message().rfind("etag:", 0), 0u) << missing.status();

  patch.set_etag("7");
  EXPECT_EQ(Update(patch, {"name"}).status().code(), absl::StatusCode::kAborted);

  patch.set_etag("1");
  for (const char* path : {"etag", "id", "archived", "createTime", "colour"}) {
    auto refused = Update(patch, {path});
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << path;
    EXPECT_EQ(refused.status().message().rfind("updateMask:", 0), 0u) << refused.status();
  }

  // The result is checked whole: a PKK cannot take a granary stock.
  Institution granary = patch;
  granary.mutable_granary_stock()->set_rice_kg(3);
  auto wrong_kind = Update(granary, {"granaryStock"});
  EXPECT_EQ(wrong_kind.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(wrong_kind.status().message().rfind("granaryStock:", 0), 0u) << wrong_kind.status();
  // Clearing a required field.
  auto cleared = Update(patch, {"villageCode"});
  EXPECT_EQ(cleared.status().code(), absl::StatusCode::kInvalidArgument);
  auto moved = [&] {
    Institution p = patch;
    p.set_village_code("17.01.01.2001");
    return Update(p, {"villageCode"});
  }();
  EXPECT_EQ(moved.status().code(), absl::StatusCode::kInvalidArgument);

  EXPECT_EQ(store_->published.size(), 1u) << "nothing refused was written";
  EXPECT_EQ(store_->records.at(created.id()).etag(), "1");

  // An update that changes nothing writes nothing.
  Institution same;
  same.set_id(created.id());
  same.set_etag("1");
  same.set_name("PKK Desa Sukarami");
  auto unchanged = Update(same, {"name"});
  ASSERT_TRUE(unchanged.ok()) << unchanged.status();
  EXPECT_EQ(unchanged->etag(), "1");
  EXPECT_EQ(store_->published.size(), 1u);

  Institution unknown = patch;
  unknown.set_id("01J0000000000000000000000Z");
  EXPECT_EQ(Update(unknown, {"name"}).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(InstitutionLogicTest, ArchiveKeepsTheRecordAndAnnouncesTheReason) {
  Institution created = Create(Valid());
  ArchiveRequest request;
  request.set_id(created.id());
  request.set_etag("5");
  EXPECT_EQ(logic_.ArchiveInstitution(TestPrincipal(Role::kAdmin), request).status().code(),
            absl::StatusCode::kAborted);
  request.set_etag("1");
  request.set_reason("bubar sejak 2024");
  auto archived = logic_.ArchiveInstitution(TestPrincipal(Role::kAdmin), request);
  ASSERT_TRUE(archived.ok()) << archived.status();
  EXPECT_TRUE(archived->archived());
  EXPECT_EQ(archived->etag(), "2");
  EXPECT_EQ(archived->archive_time().seconds(), absl::ToUnixSeconds(now_));

  InstitutionChanged payload = PayloadOf(store_->published.back());
  EXPECT_EQ(payload.action(), "archived");
  EXPECT_EQ(payload.reason(), "bubar sejak 2024");
  EXPECT_EQ(payload.status_before(), Institution::ACTIVE);
  EXPECT_EQ(payload.status_after(), Institution::ACTIVE);
  // Every field that differs, sorted (etag and updateTime move with every write: left out).
  EXPECT_EQ(
      std::vector<std::string>(payload.changed_fields().begin(), payload.changed_fields().end()),
      (std::vector<std::string>{"archiveTime", "archived"}));

  GetInstitutionRequest get;
  get.set_id(created.id());
  auto read = logic_.GetInstitution(TestPrincipal(Role::kAdmin), get);
  ASSERT_TRUE(read.ok());
  EXPECT_TRUE(read->archived());

  request.set_etag("2");
  auto twice = logic_.ArchiveInstitution(TestPrincipal(Role::kAdmin), request);
  EXPECT_EQ(twice.status().code(), absl::StatusCode::kFailedPrecondition) << twice.status();
  EXPECT_EQ(twice.status().message(), "institution " + created.id() + " is already archived");
  Institution patch;
  patch.set_id(created.id());
  patch.set_etag("2");
  patch.set_name("Baru");
  EXPECT_EQ(Update(patch, {"name"}).status().code(), absl::StatusCode::kFailedPrecondition);
}

// Access (access_policy.h): reads outside the scope look like missing records, writes outside it
// or above the role are refused, lists narrow to the scope.
TEST_F(InstitutionLogicTest, AReadOutsideTheScopeIsNotFoundLikeAnUnknownId) {
  Institution lais = Create(Valid(Institution::PKK, kLaisVillage));
  GetInstitutionRequest request;
  request.set_id(lais.id());
  const Principal sekayu_worker = TestPrincipal(Role::kFieldWorker, "16.06.01");
  absl::StatusOr<Institution> refused = logic_.GetInstitution(sekayu_worker, request);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(refused.status().message(), absl::StrCat("institution ", lais.id(), " not found"));
  request.set_id("01JD0000000000000000000000");
  absl::StatusOr<Institution> unknown = logic_.GetInstitution(sekayu_worker, request);
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(unknown.status().message(), "institution 01JD0000000000000000000000 not found");
  // The province reads no institutions at all.
  request.set_id(lais.id());
  EXPECT_EQ(
      logic_.GetInstitution(TestPrincipal(Role::kProvinceViewer, "16"), request).status().code(),
      absl::StatusCode::kNotFound);
  EXPECT_TRUE(logic_.GetInstitution(TestPrincipal(Role::kViewer, "16.06.02"), request).ok());
}

TEST_F(InstitutionLogicTest, ListsNarrowToTheScopeAndRefuseADisjointRegion) {
  Institution a = Valid();
  a.set_name("A");
  Create(a);
  Institution b = Valid(Institution::PKK, kLaisVillage);
  b.set_name("B");
  Create(b);
  const Principal sekayu = TestPrincipal(Role::kViewer, "16.06.01");
  ListInstitutionsRequest request;
  auto scoped = logic_.ListInstitutions(sekayu, request);
  ASSERT_TRUE(scoped.ok()) << scoped.status();
  ASSERT_EQ(scoped->institutions_size(), 1);
  EXPECT_EQ(scoped->institutions(0).name(), "A");
  request.set_region("16.06");
  scoped = logic_.ListInstitutions(sekayu, request);
  ASSERT_TRUE(scoped.ok()) << scoped.status();
  EXPECT_EQ(scoped->institutions_size(), 1) << "a wider region narrows to the scope";
  request.set_region("16.06.02");
  EXPECT_EQ(logic_.ListInstitutions(sekayu, request).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(
      logic_.ListInstitutions(TestPrincipal(Role::kProvinceViewer, "16"), ListInstitutionsRequest())
          .status()
          .code(),
      absl::StatusCode::kPermissionDenied);
}

TEST_F(InstitutionLogicTest, WritesOutsideTheScopeOrAboveTheRoleAreRefusedAndWriteNothing) {
  Institution sekayu = Create(Valid());
  Institution lais = Create(Valid(Institution::PKK, kLaisVillage));
  const size_t published = store_->published.size();
  const Principal operator_sekayu = TestPrincipal(Role::kOperator, "16.06.01");

  CreateInstitutionRequest create;
  *create.mutable_institution() = Valid(Institution::PKK, kLaisVillage);
  EXPECT_EQ(logic_.CreateInstitution(operator_sekayu, create).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(
      logic_.CreateInstitution(TestPrincipal(Role::kFieldWorker, "16.06"), create).status().code(),
      absl::StatusCode::kPermissionDenied)
      << "field workers only read institutions";
  EXPECT_EQ(logic_.CreateInstitution(TestPrincipal(Role::kViewer, "16.06"), create).status().code(),
            absl::StatusCode::kPermissionDenied);

  UpdateInstitutionRequest update;
  update.mutable_institution()->set_id(lais.id());
  update.mutable_institution()->set_etag("1");
  update.mutable_institution()->set_name("Baru");
  update.mutable_update_mask()->add_paths("name");
  absl::StatusOr<Institution> hidden = logic_.UpdateInstitution(operator_sekayu, update);
  EXPECT_EQ(hidden.status().code(), absl::StatusCode::kNotFound)
      << "a record the caller cannot read is not there for it";
  EXPECT_EQ(logic_.UpdateInstitution(TestPrincipal(Role::kViewer, "16.06"), update).status().code(),
            absl::StatusCode::kPermissionDenied);

  // Moving an own record out of the scope.
  UpdateInstitutionRequest move;
  move.mutable_institution()->set_id(sekayu.id());
  move.mutable_institution()->set_etag("1");
  move.mutable_institution()->set_village_code(kLaisVillage);
  move.mutable_update_mask()->add_paths("village_code");
  EXPECT_EQ(logic_.UpdateInstitution(operator_sekayu, move).status().code(),
            absl::StatusCode::kPermissionDenied);

  ArchiveRequest archive;
  archive.set_id(lais.id());
  archive.set_etag(lais.etag());
  EXPECT_EQ(logic_.ArchiveInstitution(operator_sekayu, archive).status().code(),
            absl::StatusCode::kNotFound);
  archive.set_id(sekayu.id());
  archive.set_etag(sekayu.etag());
  EXPECT_EQ(logic_.ArchiveInstitution(TestPrincipal(Role::kFieldWorker, "16.06.01"), archive)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);

  EXPECT_EQ(store_->published.size(), published);
  EXPECT_EQ(store_->records.at(sekayu.id()).village_code(), kVillage);
  EXPECT_EQ(store_->records.at(lais.id()).name(), "PKK Desa Sukarami");
  // In scope, with the role: allowed.
  archive.set_id(sekayu.id());
  archive.set_etag(sekayu.etag());
  EXPECT_TRUE(logic_.ArchiveInstitution(operator_sekayu, archive).ok());
}

TEST_F(InstitutionLogicTest, ARetriedCreateAnswersOnlyACallerWhoCouldHaveMadeIt) {
  Institution lais = Create(Valid(Institution::PKK, kLaisVillage), "req-1");
  CreateInstitutionRequest retry;
  *retry.mutable_institution() = Valid();
  retry.set_request_id("req-1");
  // The key is the caller's own: the same subject (the admin's), its scope narrowed since. Told
  // as any value taken outside the scope is (common/resource/taken_value.h): naming nothing.
  const std::string same_subject = TestPrincipal(Role::kAdmin).subject;
  auto outside =
      logic_.CreateInstitution(TestPrincipal(Role::kOperator, "16.06.01", same_subject), retry);
  EXPECT_EQ(outside.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(outside.status().message(),
            "requestId: an institution with this requestId is already registered outside your "
            "region");
  EXPECT_EQ(outside.status().message().find(lais.id()), absl::string_view::npos);
  EXPECT_EQ(outside.status().message().find(kLaisVillage), absl::string_view::npos);
  EXPECT_EQ(store_->published.size(), 1u);
  auto again =
      logic_.CreateInstitution(TestPrincipal(Role::kOperator, "16.06.02", same_subject), retry);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->id(), lais.id());
  // Another operator of Lais sending "req-1" makes its own institution.
  *retry.mutable_institution() = Valid(Institution::KARANG_TARUNA, kLaisVillage);
  auto other = logic_.CreateInstitution(TestPrincipal(Role::kOperator, "16.06.02"), retry);
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_NE(other->id(), lais.id());
}

TEST_F(InstitutionLogicTest, StorageAndRegionsDownAreUnavailable) {
  regions_.unavailable = absl::UnavailableError("redis down");
  CreateInstitutionRequest request;
  *request.mutable_institution() = Valid();
  EXPECT_EQ(logic_.CreateInstitution(TestPrincipal(Role::kAdmin), request).status().code(),
            absl::StatusCode::kUnavailable);
  regions_.unavailable = absl::OkStatus();
  store_->unavailable = absl::UnavailableError("redis down");
  EXPECT_EQ(logic_.CreateInstitution(TestPrincipal(Role::kAdmin), request).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(logic_.ListInstitutions(TestPrincipal(Role::kAdmin), ListInstitutionsRequest())
                .status()
                .code(),
            absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace wahana::registry
