// ReportingLogic::GetCaseReport (reporting_logic.h): the case pivot, its privacy and its file.

#include <google/protobuf/util/time_util.h>

#include "absl/strings/str_cat.h"
#include "common/auth/access_policy.h"
#include "common/bus/bus_contract.h"
#include "common/csv/csv_writer.h"
#include "common/region/region_code.h"
#include "common/status/status_macros.h"
#include "reporting/report_grouping.h"
#include "reporting/report_period.h"
#include "reporting/reporting_logic.h"
#include "reporting/small_count_suppression.h"

namespace wahana {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kPublicAudience[] = "public";

google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  return TimeUtil::MillisecondsToTimestamp(absl::ToUnixMillis(time));
}

bool AtOrBelowSubdistrict(RegionLevelKind level) {
  return level == RegionLevelKind::kSubdistrict || level == RegionLevelKind::kVillage;
}

// The report as a file: header, one record per row, the total last.
std::string CaseReportCsv(const wahana::reporting::v1::CaseReport& report) {
  std::string csv = CsvRecord({"key", "label", "count"});
  for (const auto& row : report.rows()) csv += CsvRecord({row.key(), row.label(), row.count()});
  csv += CsvRecord({"total", "Total", report.total()});
  return csv;
}

}  // namespace

absl::StatusOr<wahana::reporting::v1::CaseReport> ReportingLogic::GetCaseReport(
    const Principal& caller, const wahana::reporting::v1::GetCaseReportRequest& request) {
  const std::string& format = request.format();
  if (!format.empty() && format != "json" && format != "csv") {
    return absl::InvalidArgumentError(
        absl::StrCat("format: \"", format, "\" is unknown; one of json, csv"));
  }
  const std::string& audience = request.audience();
  if (!audience.empty() && audience != kPublicAudience) {
    return absl::InvalidArgumentError(
        absl::StrCat("audience: \"", audience, "\" is unknown; empty or public"));
  }
  WAHANA_ASSIGN_OR_RETURN(std::string region, ReportRegion(caller, request.region()));
  WAHANA_ASSIGN_OR_RETURN(ReportPeriod period, ParseReportPeriod(request.period(), "period"));
  WAHANA_ASSIGN_OR_RETURN(ReportGroupBy group_by,
                          ParseReportGroupBy(request.group_by(), "groupBy"));
  WAHANA_ASSIGN_OR_RETURN(RegionLevelKind level, ParseRegionCode(region, "region"));

  WAHANA_ASSIGN_OR_RETURN(std::vector<CaseCell> cells, store_->ReadCells(region, period.Months()));
  WAHANA_ASSIGN_OR_RETURN(GroupedReport grouped,
                          GroupCells(cells, group_by, region, period, "groupBy"));

  // Names beside codes. A registry that cannot answer now costs the labels, not the report.
  if (group_by == ReportGroupBy::kRegion && deps_.regions != nullptr) {
    for (ReportRow& row : grouped.rows) {
      absl::StatusOr<RegionInfo> info = deps_.regions->GetRegion(row.key, "region");
      if (info.ok()) row.label = info->name;
    }
  }

  const bool suppress = !SeesPersonalData(caller, Resource::kCase) || audience == kPublicAudience;
  // Region rows lie one level below the region; the other groupings' rows lie in it.
  const bool rows_small_area = AtOrBelowSubdistrict(level) || (group_by == ReportGroupBy::kRegion &&
                                                               level == RegionLevelKind::kRegency);
  std::vector<int64_t> counts;
  for (const ReportRow& row : grouped.rows) counts.push_back(row.count);
  ShownCounts shown =
      ShowCounts(counts, grouped.total, suppress, rows_small_area, AtOrBelowSubdistrict(level));

  wahana::reporting::v1::CaseReport report;
  report.set_region(region);
  report.set_period(request.period());
  report.set_group_by(request.group_by());
  for (size_t i = 0; i < grouped.rows.size(); ++i) {
    auto* row = report.add_rows();
    row->set_key(grouped.rows[i].key);
    row->set_label(grouped.rows[i].label);
    row->set_count(shown.rows[i]);
  }
  report.set_total(shown.total);

  absl::Time as_of = Now();
  if (deps_.progress != nullptr) {
    WAHANA_ASSIGN_OR_RETURN(
        GroupProgress progress,
        deps_.progress->Read(CaseStreamKey(region_), kReportingReadsCases.group));
    report.set_lag(progress.lag);
    if (progress.oldest_unapplied.has_value()) as_of = *progress.oldest_unapplied;
  }
  *report.mutable_as_of() = ToTimestamp(as_of);

  if (format == "csv") {
    report.mutable_http_body()->set_content_type("text/csv; charset=utf-8; header=present");
    report.mutable_http_body()->set_data(CaseReportCsv(report));
  }
  return report;
}

absl::StatusOr<wahana::reporting::v1::ReportingStatus> ReportingLogic::GetReportingStatus(
    const Principal& caller, const wahana::reporting::v1::GetReportingStatusRequest& /*request*/) {
  // Every role that reads reports may see how fresh they are, for a deployment that overlaps its
  // scope: the status names no record.
  WAHANA_ASSIGN_OR_RETURN(std::string scope,
                          ScopeListRegion(caller, Resource::kReport, "", "region"));
  if (!RegionWithin(scope, region_) && !RegionWithin(region_, scope)) {
    return absl::PermissionDeniedError(absl::StrCat(
        "your region scope ", scope, " lies outside this deployment's region ", region_));
  }
  wahana::reporting::v1::ReportingStatus status;
  const std::string stream = CaseStreamKey(region_);
  auto* consumer = status.add_consumers();
  consumer->set_stream(stream);
  consumer->set_group(kReportingReadsCases.group);
  if (deps_.progress != nullptr) {
    WAHANA_ASSIGN_OR_RETURN(GroupProgress progress,
                            deps_.progress->Read(stream, kReportingReadsCases.group));
    consumer->set_lag(progress.lag);
    consumer->set_pending(progress.pending);
    consumer->set_dead_letters(progress.dead_letters);
    if (progress.oldest_unapplied.has_value()) {
      *consumer->mutable_oldest_unapplied_time() = ToTimestamp(*progress.oldest_unapplied);
    }
  }
  WAHANA_ASSIGN_OR_RETURN(auto skipped, store_->ReadSkipped(stream));
  for (const auto& [type, count] : skipped) (*consumer->mutable_skipped())[type] = count;
  *status.mutable_as_of() = ToTimestamp(Now());
  return status;
}

}  // namespace wahana
