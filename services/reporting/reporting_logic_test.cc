#include "reporting/reporting_logic.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "common/bus/envelope.h"
#include "support/test_principals.h"
#include "wahana/cases/v1/case.pb.h"

namespace wahana {
namespace {

using testing::TestPrincipal;
using wahana::cases::v1::Case;
using wahana::cases::v1::CaseChanged;
using wahana::common::v1::Envelope;
using wahana::reporting::v1::CaseCounts;
using wahana::reporting::v1::GetCaseCountsRequest;

// Counters in memory, applied once per message id.
class FakeCaseCountsStore : public CaseCountsStore {
 public:
  absl::StatusOr<bool> ApplyStatusChange(const std::string& message_id,
                                         const std::vector<std::string>& prefixes,
                                         wahana::cases::v1::CaseStatus before,
                                         wahana::cases::v1::CaseStatus after) override {
    if (!applied.insert(message_id).second) return false;
    for (const std::string& prefix : prefixes) {
      ++tallies[prefix].by_status[after];
      if (before == wahana::cases::v1::CASE_STATUS_UNSPECIFIED) {
        ++tallies[prefix].total;
      } else {
        --tallies[prefix].by_status[before];
      }
    }
    return true;
  }
  absl::StatusOr<CaseTally> Read(const std::string& prefix) override {
    auto it = tallies.find(prefix);
    return it == tallies.end() ? CaseTally{} : it->second;
  }

  std::set<std::string> applied;
  std::map<std::string, CaseTally> tallies;
};

// The message of a case moving from `before` to `after` (a create: from UNSPECIFIED to INTAKE).
Envelope CaseChangedMessage(
    const std::string& village,
    wahana::cases::v1::CaseStatus before = wahana::cases::v1::CASE_STATUS_UNSPECIFIED,
    wahana::cases::v1::CaseStatus after = wahana::cases::v1::INTAKE, int64_t version = 1) {
  CaseChanged changed;
  Case* c = changed.mutable_case_();
  c->set_id("01HZX5J6Q0W6Z9V3K8N2M4P7R1");
  c->set_status(after);
  c->set_village_code(village);
  changed.set_status_before(before);
  changed.set_status_after(after);
  return MakeEnvelope(changed, {"16.06", c->id(), version, village});
}

Envelope CaseCreatedMessage(const std::string& village) { return CaseChangedMessage(village); }

class ReportingLogicTest : public ::testing::Test {
 protected:
  int64_t Total(const std::string& region) {
    GetCaseCountsRequest request;
    request.set_region(region);
    absl::StatusOr<CaseCounts> counts = logic_.GetCaseCounts(admin_, request);
    EXPECT_TRUE(counts.ok()) << counts.status();
    return counts.ok() ? counts->total() : -1;
  }

  const Principal admin_ = TestPrincipal(Role::kAdmin);
  std::shared_ptr<FakeCaseCountsStore> store_ = std::make_shared<FakeCaseCountsStore>();
  ReportingLogic logic_{"16.06", store_};
};

TEST_F(ReportingLogicTest, PrefixesRunFromTheVillageUpToTheDeployment) {
  EXPECT_EQ(ReportingLogic::PrefixesUpTo("16.06.01.2001", "16.06"),
            (std::vector<std::string>{"16.06.01.2001", "16.06.01", "16.06"}));
  EXPECT_EQ(ReportingLogic::PrefixesUpTo("16.06.01.2001", "16"),
            (std::vector<std::string>{"16.06.01.2001", "16.06.01", "16.06", "16"}));
}

TEST_F(ReportingLogicTest, CaseCreatedCountsUnderVillageSubdistrictAndRegency) {
  ASSERT_TRUE(logic_.HandleCaseMessage(CaseCreatedMessage("16.06.01.2001")).ok());
  ASSERT_TRUE(logic_.HandleCaseMessage(CaseCreatedMessage("16.06.02.2003")).ok());
  EXPECT_EQ(Total(""), 2);
  EXPECT_EQ(Total("16.06"), 2);
  EXPECT_EQ(Total("16.06.01"), 1);
  EXPECT_EQ(Total("16.06.01.2001"), 1);
  EXPECT_EQ(Total("16.06.02.2003"), 1);
  EXPECT_EQ(Total("16.06.03"), 0);
}

TEST_F(ReportingLogicTest, CountsListEveryStatusInOrder) {
  ASSERT_TRUE(logic_.HandleCaseMessage(CaseCreatedMessage("16.06.01.2001")).ok());
  GetCaseCountsRequest request;
  absl::StatusOr<CaseCounts> counts = logic_.GetCaseCounts(admin_, request);
  ASSERT_TRUE(counts.ok()) << counts.status();
  EXPECT_EQ(counts->region(), "16.06");
  ASSERT_EQ(counts->by_status_size(), 8);
  EXPECT_EQ(counts->by_status(0).status(), wahana::cases::v1::INTAKE);
  EXPECT_EQ(counts->by_status(0).count(), 1);
  EXPECT_EQ(counts->by_status(7).status(), wahana::cases::v1::CLOSED);
  EXPECT_EQ(counts->by_status(7).count(), 0);
  EXPECT_EQ(counts->total(), 1);
}

TEST_F(ReportingLogicTest, SameMessageTwiceCountsOnce) {
  Envelope message = CaseCreatedMessage("16.06.01.2001");
  ASSERT_TRUE(logic_.HandleCaseMessage(message).ok());
  ASSERT_TRUE(logic_.HandleCaseMessage(message).ok());
  EXPECT_EQ(Total(""), 1);
}

TEST_F(ReportingLogicTest, OtherMessageTypesAreSkipped) {
  Envelope message = MakeEnvelope(wahana::cases::v1::GetCaseRequest(), {"16.06", "x", 1, "16.06"});
  EXPECT_TRUE(logic_.HandleCaseMessage(message).ok());
  EXPECT_TRUE(store_->applied.empty());
}

TEST_F(ReportingLogicTest, CaseOutsideTheDeploymentIsRefused) {
  absl::Status status = logic_.HandleCaseMessage(CaseCreatedMessage("17.01.01.2001"));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(store_->applied.empty());
}

TEST_F(ReportingLogicTest, UnreadablePayloadIsRefused) {
  Envelope message = CaseCreatedMessage("16.06.01.2001");
  message.mutable_payload()->set_value("\xff\xff\xff");
  EXPECT_EQ(logic_.HandleCaseMessage(message).code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(ReportingLogicTest, AMalformedRegionIsInvalidAndOneOutsideTheScopeForbidden) {
  for (const char* region : {"16.6", "x"}) {
    GetCaseCountsRequest request;
    request.set_region(region);
    absl::StatusOr<CaseCounts> counts = logic_.GetCaseCounts(admin_, request);
    EXPECT_EQ(counts.status().code(), absl::StatusCode::kInvalidArgument) << region;
    EXPECT_EQ(counts.status().message().rfind("region:", 0), 0u) << counts.status();
  }
  for (const char* region : {"17.01", "16.07.01"}) {
    GetCaseCountsRequest request;
    request.set_region(region);
    absl::StatusOr<CaseCounts> counts = logic_.GetCaseCounts(admin_, request);
    EXPECT_EQ(counts.status().code(), absl::StatusCode::kPermissionDenied) << region;
    EXPECT_EQ(counts.status().message().rfind("region:", 0), 0u) << counts.status();
  }
  // Inside a province scope but outside this deployment: not this service's to count.
  GetCaseCountsRequest other_regency;
  other_regency.set_region("16.07");
  EXPECT_EQ(logic_.GetCaseCounts(TestPrincipal(Role::kProvinceViewer, "16"), other_regency)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(ReportingLogicTest, EveryRoleReadsTheAggregatesOfItsScope) {
  ASSERT_TRUE(logic_.HandleCaseMessage(CaseCreatedMessage("16.06.01.2001")).ok());
  ASSERT_TRUE(logic_.HandleCaseMessage(CaseCreatedMessage("16.06.02.2003")).ok());
  GetCaseCountsRequest scope;  // empty: the caller's scope
  // The province reads its province: the part of it this deployment counts.
  absl::StatusOr<CaseCounts> province =
      logic_.GetCaseCounts(TestPrincipal(Role::kProvinceViewer, "16"), scope);
  ASSERT_TRUE(province.ok()) << province.status();
  EXPECT_EQ(province->region(), "16.06");
  EXPECT_EQ(province->total(), 2);
  GetCaseCountsRequest whole;
  whole.set_region("16");
  EXPECT_EQ(logic_.GetCaseCounts(TestPrincipal(Role::kProvinceViewer, "16"), whole)->region(),
            "16.06");
  // A subdistrict's worker or viewer reads its subdistrict, however wide it asks.
  for (Role role : {Role::kFieldWorker, Role::kViewer, Role::kSystem}) {
    absl::StatusOr<CaseCounts> counts =
        logic_.GetCaseCounts(TestPrincipal(role, "16.06.01"), whole);
    ASSERT_TRUE(counts.ok()) << counts.status();
    EXPECT_EQ(counts->region(), "16.06.01");
    EXPECT_EQ(counts->total(), 1);
  }
  GetCaseCountsRequest other;
  other.set_region("16.06.02");
  EXPECT_EQ(logic_.GetCaseCounts(TestPrincipal(Role::kViewer, "16.06.01"), other).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(ReportingLogicTest, AStatusChangeMovesTheCountAndKeepsTheTotal) {
  ASSERT_TRUE(logic_.HandleCaseMessage(CaseCreatedMessage("16.06.01.2001")).ok());
  ASSERT_TRUE(logic_
                  .HandleCaseMessage(CaseChangedMessage("16.06.01.2001", wahana::cases::v1::INTAKE,
                                                        wahana::cases::v1::ASSESSMENT, 2))
                  .ok());
  // An action that keeps the status (a note) counts nothing.
  ASSERT_TRUE(
      logic_
          .HandleCaseMessage(CaseChangedMessage("16.06.01.2001", wahana::cases::v1::ASSESSMENT,
                                                wahana::cases::v1::ASSESSMENT, 3))
          .ok());
  const CaseTally& tally = store_->tallies["16.06"];
  EXPECT_EQ(tally.total, 1);
  EXPECT_EQ(tally.by_status.at(wahana::cases::v1::INTAKE), 0);
  EXPECT_EQ(tally.by_status.at(wahana::cases::v1::ASSESSMENT), 1);
  EXPECT_EQ(store_->applied.size(), 2u);
}

}  // namespace
}  // namespace wahana
