#include "reporting/reporting_logic.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "common/bus/envelope.h"
#include "wahana/cases/v1/case.pb.h"

namespace wahana {
namespace {

using wahana::cases::v1::Case;
using wahana::cases::v1::CaseCreated;
using wahana::common::v1::Envelope;
using wahana::reporting::v1::CaseCounts;
using wahana::reporting::v1::GetCaseCountsRequest;

// Counters in memory, applied once per message id.
class FakeCaseCountsStore : public CaseCountsStore {
 public:
  absl::StatusOr<bool> AddCase(const std::string& message_id,
                               const std::vector<std::string>& prefixes,
                               wahana::cases::v1::CaseStatus status) override {
    if (!applied.insert(message_id).second) return false;
    for (const std::string& prefix : prefixes) {
      ++tallies[prefix].by_status[status];
      ++tallies[prefix].total;
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

Envelope CaseCreatedMessage(const std::string& village) {
  CaseCreated created;
  Case* c = created.mutable_case_();
  c->set_id("01HZX5J6Q0W6Z9V3K8N2M4P7R1");
  c->set_status(wahana::cases::v1::INTAKE);
  c->set_village_code(village);
  return MakeEnvelope(created, {"16.06", c->id(), 1, village});
}

class ReportingLogicTest : public ::testing::Test {
 protected:
  int64_t Total(const std::string& region) {
    GetCaseCountsRequest request;
    request.set_region(region);
    absl::StatusOr<CaseCounts> counts = logic_.GetCaseCounts(request);
    EXPECT_TRUE(counts.ok()) << counts.status();
    return counts.ok() ? counts->total() : -1;
  }

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
  absl::StatusOr<CaseCounts> counts = logic_.GetCaseCounts(request);
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

TEST_F(ReportingLogicTest, RegionOutsideTheDeploymentOrMalformedIsInvalid) {
  for (const char* region : {"16", "17.01", "16.07.01", "16.6", "x"}) {
    GetCaseCountsRequest request;
    request.set_region(region);
    absl::StatusOr<CaseCounts> counts = logic_.GetCaseCounts(request);
    EXPECT_EQ(counts.status().code(), absl::StatusCode::kInvalidArgument) << region;
    EXPECT_EQ(counts.status().message().rfind("region:", 0), 0u) << counts.status();
  }
}

}  // namespace
}  // namespace wahana
