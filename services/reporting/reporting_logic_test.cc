#include "reporting/reporting_logic.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/bus/envelope.h"
#include "common/region/region_code.h"
#include "common/region/region_directory.h"
#include "support/test_principals.h"
#include "wahana/cases/v1/case.pb.h"

namespace wahana {
namespace {

using testing::TestPrincipal;
using wahana::cases::v1::Case;
using wahana::cases::v1::CaseChanged;
using wahana::common::v1::Envelope;
using wahana::reporting::v1::CaseCounts;
using wahana::reporting::v1::CaseReport;
using wahana::reporting::v1::GetCaseCountsRequest;
using wahana::reporting::v1::GetCaseReportRequest;
using wahana::reporting::v1::ReportingStatus;

// Counters in memory, applied once per message id.
class FakeCaseCountsStore : public CaseCountsStore {
 public:
  absl::StatusOr<bool> Apply(const std::string& message_id,
                             const CaseCounterMoves& moves) override {
    if (!applied.insert(message_id).second) return false;
    for (const std::string& prefix : moves.prefixes) {
      for (const auto& [field, delta] : moves.tally_moves) {
        int status = 0;
        if (field == "total") {
          tallies[prefix].total += delta;
        } else if (absl::SimpleAtoi(field, &status)) {
          tallies[prefix].by_status[static_cast<wahana::cases::v1::CaseStatus>(status)] += delta;
        }
      }
    }
    for (const auto& [field, delta] : moves.cell_moves) {
      cells[{moves.village, moves.intake_month, field}] += delta;
    }
    return true;
  }
  absl::StatusOr<bool> RecordSkipped(const std::string& message_id, const std::string& stream,
                                     const std::string& type) override {
    if (!applied.insert(message_id).second) return false;
    ++skipped[stream][type];
    return true;
  }
  absl::StatusOr<CaseTally> Read(const std::string& prefix) override {
    auto it = tallies.find(prefix);
    return it == tallies.end() ? CaseTally{} : it->second;
  }
  absl::StatusOr<std::vector<PivotCell>> ReadCells(
      const std::string& prefix, const std::vector<absl::CivilMonth>& months) override {
    std::vector<PivotCell> out;
    for (const auto& [where, count] : cells) {
      const auto& [village, month, field] = where;
      if (!RegionWithin(village, prefix) || count == 0) continue;
      if (std::find(months.begin(), months.end(), month) == months.end()) continue;
      out.push_back({village, month, field, count});
    }
    return out;
  }
  // The sums the store keeps per region code, from the cells.
  absl::StatusOr<std::vector<PivotCell>> ReadRollups(
      const std::vector<std::string>& codes, const std::string& exact_code,
      const std::vector<absl::CivilMonth>& months) override {
    std::vector<PivotCell> out;
    for (const auto& [where, count] : cells) {
      const auto& [village, month, field] = where;
      if (count == 0 || std::find(months.begin(), months.end(), month) == months.end()) continue;
      for (const std::string& code : codes) {
        if (RegionWithin(village, code)) out.push_back({code, month, field, count});
      }
      if (village == exact_code) out.push_back({village, month, field, count});
    }
    return out;
  }
  absl::StatusOr<std::map<std::string, int64_t>> ReadSkipped(const std::string& stream) override {
    return skipped[stream];
  }

  std::set<std::string> applied;
  std::map<std::string, CaseTally> tallies;
  std::map<std::tuple<std::string, absl::CivilMonth, std::string>, int64_t> cells;
  std::map<std::string, std::map<std::string, int64_t>> skipped;
};

// The message of a case moving from `before` to `after` (a create: from UNSPECIFIED to INTAKE).
Envelope CaseChangedMessage(
    const std::string& village,
    wahana::cases::v1::CaseStatus before = wahana::cases::v1::CASE_STATUS_UNSPECIFIED,
    wahana::cases::v1::CaseStatus after = wahana::cases::v1::INTAKE, int64_t version = 1) {
  CaseChanged changed;
  Case* c = changed.mutable_case_();
  c->set_id("01HZX5J6Q0W6Z9V3K8N2M4P7R1");
  // 2026-11-30 20:00 UTC: 1 December in Jakarta (UTC+7), the office's intake month.
  c->mutable_create_time()->set_seconds(1796068800);
  c->set_kind(wahana::cases::v1::INDIVIDUAL);
  c->set_category(wahana::common::v1::LANJUT_USIA_TELANTAR);
  changed.set_category_before(before == wahana::cases::v1::CASE_STATUS_UNSPECIFIED
                                  ? wahana::common::v1::PPKS_CATEGORY_UNSPECIFIED
                                  : c->category());
  changed.set_category_after(c->category());
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

TEST_F(ReportingLogicTest, ACaseOpenedFromADistrictsReferralIsNotCountedTwice) {
  Envelope message = CaseCreatedMessage("16.06.01.2001");
  CaseChanged changed;
  ASSERT_TRUE(message.payload().UnpackTo(&changed));
  changed.mutable_case_()->mutable_referred_from()->set_region("16.06");
  changed.mutable_case_()->mutable_referred_from()->set_case_id("C-1");
  message.mutable_payload()->PackFrom(changed);
  ASSERT_TRUE(logic_.HandleCaseMessage(message).ok());
  EXPECT_EQ(Total(""), 0) << "the district's figures count the person";
  ASSERT_TRUE(logic_.HandleCaseMessage(CaseCreatedMessage("16.06.01.2001")).ok());
  EXPECT_EQ(Total(""), 1);
}

TEST_F(ReportingLogicTest, OtherMessageTypesAreSkippedAndCountedOnce) {
  Envelope message = MakeEnvelope(wahana::cases::v1::GetCaseRequest(), {"16.06", "x", 1, "16.06"});
  EXPECT_TRUE(logic_.HandleCaseMessage(message).ok());
  EXPECT_TRUE(logic_.HandleCaseMessage(message).ok());  // redelivered
  EXPECT_TRUE(store_->tallies.empty());
  EXPECT_TRUE(store_->cells.empty());
  absl::StatusOr<ReportingStatus> status = logic_.GetReportingStatus(admin_, {});
  ASSERT_TRUE(status.ok()) << status.status();
  ASSERT_EQ(status->consumers_size(), 1);
  EXPECT_EQ(status->consumers(0).stream(), "case:{16.06}:stream");
  EXPECT_EQ(status->consumers(0).group(), "reporting");
  EXPECT_EQ(status->consumers(0).skipped().at("wahana.cases.v1.GetCaseRequest"), 1);
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
  // A subdistrict's worker reads its subdistrict, however wide it asks.
  for (Role role : {Role::kFieldWorker, Role::kSystem}) {
    absl::StatusOr<CaseCounts> counts =
        logic_.GetCaseCounts(TestPrincipal(role, "16.06.01"), whole);
    ASSERT_TRUE(counts.ok()) << counts.status();
    EXPECT_EQ(counts->region(), "16.06.01");
    EXPECT_EQ(counts->total(), 1);
  }
  // A viewer may not read a subdistrict's exact counts (one case here): the pivot suppresses them.
  absl::StatusOr<CaseCounts> viewed =
      logic_.GetCaseCounts(TestPrincipal(Role::kViewer, "16.06.01"), whole);
  EXPECT_EQ(viewed.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(viewed.status().message().find("/v1/reports/cases"), std::string::npos)
      << viewed.status();
  EXPECT_EQ(viewed.status().message().rfind("region: ", 0), 0u) << viewed.status();
  // Its regency's counts, for a regency viewer, are shown.
  EXPECT_TRUE(logic_.GetCaseCounts(TestPrincipal(Role::kViewer, "16.06"), scope).ok());
  GetCaseCountsRequest other;
  other.set_region("16.06.02");
  EXPECT_EQ(
      logic_.GetCaseCounts(TestPrincipal(Role::kFieldWorker, "16.06.01"), other).status().code(),
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

// A logic with region names and a clock, for the pivots.
class CaseReportTest : public ReportingLogicTest {
 protected:
  CaseReportTest() {
    auto regions = std::make_shared<StaticRegionDirectory>();
    regions->Add("16.06.01", "Sekayu")
        .Add("16.06.02", "Lais, \"Kota\"")
        .Add("16.06.03", "Babat Toman");
    ReportingDeps deps;
    deps.regions = regions;
    deps.now = [] { return absl::FromUnixSeconds(1800000000); };
    reports_ = std::make_unique<ReportingLogic>("16.06", store_, std::move(deps));
    for (int i = 0; i < 7; ++i) Create("16.06.01.2001");
    for (int i = 0; i < 2; ++i) Create("16.06.02.2003");
  }

  void Create(const std::string& village) {
    Envelope message = CaseCreatedMessage(village);
    message.set_message_id(absl::StrCat("m-", ++sequence_));
    ASSERT_TRUE(reports_->HandleCaseMessage(message).ok());
  }

  absl::StatusOr<CaseReport> Report(const Principal& caller, const std::string& region,
                                    const std::string& period, const std::string& group_by,
                                    const std::string& format = "",
                                    const std::string& audience = "") {
    GetCaseReportRequest request;
    request.set_region(region);
    request.set_period(period);
    request.set_group_by(group_by);
    request.set_format(format);
    request.set_audience(audience);
    return reports_->GetCaseReport(caller, request);
  }

  std::unique_ptr<ReportingLogic> reports_;
  int sequence_ = 0;
};

TEST_F(CaseReportTest, ARegencyBySubdistrictAddsUpToItsTotalWithNamesBesideCodes) {
  absl::StatusOr<CaseReport> report = Report(admin_, "16.06", "2026-Q4", "region");
  ASSERT_TRUE(report.ok()) << report.status();
  // Every subdistrict, the one without a case too.
  ASSERT_EQ(report->rows_size(), 3);
  EXPECT_EQ(report->rows(0).key(), "16.06.01");
  EXPECT_EQ(report->rows(0).label(), "Sekayu");
  EXPECT_EQ(report->rows(0).count(), "7");
  EXPECT_EQ(report->rows(1).key(), "16.06.02");
  EXPECT_EQ(report->rows(1).count(), "2");
  EXPECT_EQ(report->rows(2).key(), "16.06.03");
  EXPECT_EQ(report->rows(2).label(), "Babat Toman");
  EXPECT_EQ(report->rows(2).count(), "0");
  EXPECT_EQ(report->total(), "9");
  EXPECT_EQ(report->as_of().seconds(), 1800000000);
  EXPECT_EQ(report->lag(), 0);
}

TEST_F(CaseReportTest, CasesCountInTheOfficeMonthOfTheirIntake) {
  // Created 30 November 20:00 UTC: 1 December in Jakarta.
  absl::StatusOr<CaseReport> december = Report(admin_, "", "2026-12", "category");
  ASSERT_TRUE(december.ok()) << december.status();
  EXPECT_EQ(december->total(), "9");
  EXPECT_EQ(Report(admin_, "", "2026-11", "category")->total(), "0");
  absl::StatusOr<CaseReport> months = Report(admin_, "", "2026", "month");
  ASSERT_TRUE(months.ok()) << months.status();
  ASSERT_EQ(months->rows_size(), 12);
  EXPECT_EQ(months->rows(11).key(), "2026-12");
  EXPECT_EQ(months->rows(11).label(), "Desember 2026");
  EXPECT_EQ(months->rows(11).count(), "9");
}

TEST_F(CaseReportTest, AViewerAndThePublicSeeSmallSubdistrictCountsSuppressed) {
  for (const auto& [caller, audience] : std::vector<std::pair<Principal, std::string>>{
           {TestPrincipal(Role::kViewer), ""},
           {TestPrincipal(Role::kProvinceViewer, "16"), ""},
           {admin_, "public"}}) {
    absl::StatusOr<CaseReport> report = Report(caller, "16.06", "2026", "region", "", audience);
    ASSERT_TRUE(report.ok()) << report.status();
    EXPECT_EQ(report->rows(1).count(), "<5");
    // The total and the other row would give the hidden one back.
    EXPECT_EQ(report->rows(0).count(), "suppressed");
    EXPECT_EQ(report->total(), "suppressed");
  }
  // A regency's own rows (by category) are not small areas.
  absl::StatusOr<CaseReport> regency =
      Report(TestPrincipal(Role::kViewer), "16.06", "2026", "kind");
  ASSERT_TRUE(regency.ok()) << regency.status();
  EXPECT_EQ(regency->total(), "9");
}

TEST_F(CaseReportTest, BadParametersAreNamed) {
  struct Case {
    std::string region, period, group_by, format, audience, named;
  };
  for (const Case& c : std::vector<Case>{{"16.06", "2026", "sex", "", "", "groupBy:"},
                                         {"16.06", "2026", "", "", "", "groupBy:"},
                                         {"16.06", "2026-13", "status", "", "", "period:"},
                                         {"16.06", "2026-Q5", "status", "", "", "period:"},
                                         {"16.06", "", "status", "", "", "period:"},
                                         {"16.6", "2026", "status", "", "", "region:"},
                                         {"16.06", "2026", "status", "xml", "", "format:"},
                                         {"16.06", "2026", "status", "", "press", "audience:"},
                                         {"16.06.01.2001", "2026", "region", "", "", "groupBy:"}}) {
    absl::StatusOr<CaseReport> report =
        Report(admin_, c.region, c.period, c.group_by, c.format, c.audience);
    EXPECT_EQ(report.status().code(), absl::StatusCode::kInvalidArgument) << c.named;
    EXPECT_EQ(report.status().message().rfind(c.named, 0), 0u) << report.status();
  }
  absl::StatusOr<CaseReport> other = Report(admin_, "17.01", "2026", "status");
  EXPECT_EQ(other.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(other.status().message().rfind("region:", 0), 0u) << other.status();
}

TEST_F(CaseReportTest, CsvHasAHeaderQuotedNamesAndTheTotal) {
  absl::StatusOr<CaseReport> report = Report(admin_, "16.06", "2026", "region", "csv");
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->http_body().content_type(), "text/csv; charset=utf-8; header=present");
  EXPECT_EQ(report->http_body().data(),
            "key,label,count\r\n16.06.01,Sekayu,7\r\n16.06.02,\"Lais, \"\"Kota\"\"\",2\r\n"
            "16.06.03,Babat Toman,0\r\ntotal,Total,9\r\n");
  EXPECT_FALSE(Report(admin_, "16.06", "2026", "region")->has_http_body());
}

}  // namespace
}  // namespace wahana
