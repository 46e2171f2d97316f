// ReportingLogic's reports (reporting_logic.h): the case pivot and the record pivots, built by one
// function (BuildReport) with their privacy, freshness and file.

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/auth/access_policy.h"
#include "common/bus/bus_contract.h"
#include "common/csv/csv_writer.h"
#include "common/region/region_code.h"
#include "common/status/status_macros.h"
#include "reporting/pivot_grouping.h"
#include "reporting/report_answer.h"
#include "reporting/report_period.h"
#include "reporting/report_specs.h"
#include "reporting/reporting_logic.h"
#include "reporting/small_count_suppression.h"

namespace wahana {
namespace {

using wahana::reporting::v1::GetRecordReportRequest;
using wahana::reporting::v1::RecordReport;

// The report as a file: header, one record per row, the total last.
std::string ReportCsv(const RecordReport& report, const std::vector<std::string>& sums) {
  std::vector<std::string> header = {"key", "label", "count"};
  header.insert(header.end(), sums.begin(), sums.end());
  std::string csv = CsvRecord(header);
  auto record = [&](const std::string& key, const std::string& label, const std::string& count,
                    const google::protobuf::Map<std::string, std::string>& totals) {
    std::vector<std::string> fields = {key, label, count};
    for (const std::string& sum : sums) {
      auto it = totals.find(sum);
      fields.push_back(it == totals.end() ? "" : it->second);
    }
    csv += CsvRecord(fields);
  };
  for (const auto& row : report.rows()) record(row.key(), row.label(), row.count(), row.totals());
  record("total", "Total", report.total(), report.totals());
  return csv;
}

}  // namespace

absl::StatusOr<ReportPeriod> ReportingLogic::PeriodOf(const std::string& text,
                                                      const MonthsReader& every_month) {
  if (!text.empty() || !every_month) return ParseReportPeriod(text, "period");
  // Every period: from the first month with a record to this month (ages are reached this year).
  WAHANA_ASSIGN_OR_RETURN(std::vector<absl::CivilMonth> months, every_month());
  const absl::CivilMonth now = OfficeMonth(deps_.calendar, Now());
  ReportPeriod period{now, now};
  if (!months.empty()) {
    period.first = std::min(months.front(), now);
    period.last = std::max(months.back(), now);
  }
  return period;
}

absl::StatusOr<RecordReport> ReportingLogic::BuildReport(const Principal& caller,
                                                         const GetRecordReportRequest& request,
                                                         const ReportDefinition& definition,
                                                         const CellsReader& read_cells,
                                                         const RollupsReader& read_rollups,
                                                         const MonthsReader& every_month) {
  WAHANA_RETURN_IF_ERROR(CheckReportFormat(request.format()));
  WAHANA_RETURN_IF_ERROR(CheckReportAudience(request.audience()));
  WAHANA_ASSIGN_OR_RETURN(std::string region, ReportRegion(caller, request.region()));
  WAHANA_ASSIGN_OR_RETURN(ReportPeriod period, PeriodOf(request.period(), every_month));
  WAHANA_ASSIGN_OR_RETURN(RegionLevelKind level, ParseRegionCode(region, "region"));
  // The roll-up of the region, or of each region below it for a region grouping (then with what
  // sits at the region itself); the villages' cells when the regions below cannot be listed.
  const bool by_region = request.group_by() == "region";
  absl::StatusOr<std::vector<RegionInfo>> children = absl::UnavailableError("no region directory");
  if (by_region && deps_.regions != nullptr) children = deps_.regions->ListChildren(region);
  std::vector<PivotCell> cells;
  if (!by_region) {
    WAHANA_ASSIGN_OR_RETURN(cells, read_rollups({region}, "", period.Months()));
  } else if (children.ok()) {
    std::vector<std::string> codes;
    for (const RegionInfo& child : *children) codes.push_back(child.code);
    WAHANA_ASSIGN_OR_RETURN(cells, read_rollups(codes, region, period.Months()));
  } else {
    WAHANA_ASSIGN_OR_RETURN(cells, read_cells(region, period.Months()));
  }
  WAHANA_ASSIGN_OR_RETURN(
      PivotTable table,
      GroupPivotCells(cells, definition.spec, request.group_by(), region, period, "groupBy"));

  if (by_region) AddRegionRowsAndNames(children, table, definition.spec);

  const bool suppress =
      !SeesPersonalData(caller, definition.resource) || request.audience() == kPublicAudience;
  // Region rows lie one level below the region; the other groupings' rows lie in it.
  const bool rows_small_area = AtOrBelowSubdistrict(level) || (request.group_by() == "region" &&
                                                               level == RegionLevelKind::kRegency);
  auto shown = [&](auto value_of, int64_t total) {
    std::vector<int64_t> counts;
    for (const PivotRow& row : table.rows) counts.push_back(value_of(row));
    return ShowCounts(counts, total, suppress, rows_small_area, AtOrBelowSubdistrict(level));
  };
  const ShownCounts counts = shown([](const PivotRow& row) { return row.count; }, table.total);

  RecordReport report;
  report.set_region(region);
  report.set_period(request.period());
  report.set_group_by(request.group_by());
  for (size_t i = 0; i < table.rows.size(); ++i) {
    auto* row = report.add_rows();
    row->set_key(table.rows[i].key);
    row->set_label(table.rows[i].label);
    row->set_count(counts.rows[i]);
  }
  report.set_total(counts.total);
  const std::vector<std::string>& sums = definition.spec.sums;
  for (size_t s = 0; s < sums.size(); ++s) {
    const ShownCounts sum = shown([s](const PivotRow& row) { return row.sums[s]; }, table.sums[s]);
    for (size_t i = 0; i < table.rows.size(); ++i) {
      (*report.mutable_rows(static_cast<int>(i))->mutable_totals())[sums[s]] = sum.rows[i];
    }
    (*report.mutable_totals())[sums[s]] = sum.total;
  }

  absl::Time as_of = Now();
  int64_t lag = 0;
  WAHANA_RETURN_IF_ERROR(AddFreshness(definition.fed_by, &lag, &as_of));
  report.set_lag(lag);
  *report.mutable_as_of() = ToTimestamp(as_of);

  if (request.format() == "csv") {
    report.mutable_http_body()->set_content_type("text/csv; charset=utf-8; header=present");
    report.mutable_http_body()->set_data(ReportCsv(report, sums));
  }
  return report;
}

absl::StatusOr<wahana::reporting::v1::CaseReport> ReportingLogic::GetCaseReport(
    const Principal& caller, const wahana::reporting::v1::GetCaseReportRequest& request) {
  GetRecordReportRequest asked;
  asked.set_region(request.region());
  asked.set_period(request.period());
  asked.set_group_by(request.group_by());
  asked.set_format(request.format());
  asked.set_audience(request.audience());
  // A case report's period is required: cases are counted by intake, and a case load is asked of
  // a year.
  WAHANA_ASSIGN_OR_RETURN(
      RecordReport built,
      BuildReport(
          caller, asked, CaseReportDefinition(),
          [this](const std::string& region, const std::vector<absl::CivilMonth>& months) {
            return store_->ReadCells(region, months);
          },
          [this](const std::vector<std::string>& codes, const std::string& exact,
                 const std::vector<absl::CivilMonth>& months) {
            return store_->ReadRollups(codes, exact, months);
          },
          nullptr));
  wahana::reporting::v1::CaseReport report;
  report.set_region(built.region());
  report.set_period(built.period());
  report.set_group_by(built.group_by());
  for (const auto& row : built.rows()) {
    auto* out = report.add_rows();
    out->set_key(row.key());
    out->set_label(row.label());
    out->set_count(row.count());
  }
  report.set_total(built.total());
  *report.mutable_as_of() = built.as_of();
  report.set_lag(built.lag());
  if (built.has_http_body()) *report.mutable_http_body() = built.http_body();
  return report;
}

void ReportingLogic::AddRegionRowsAndNames(const absl::StatusOr<std::vector<RegionInfo>>& children,
                                           PivotTable& table, const PivotSpec& spec) {
  if (deps_.regions == nullptr) return;
  // Every region below, zeros included, and names beside codes. A registry that cannot answer now
  // costs the zero rows and the labels, not the report.
  std::map<std::string, std::string> names;
  if (children.ok()) {
    std::set<std::string> present;
    for (const PivotRow& row : table.rows) present.insert(row.key);
    for (const RegionInfo& child : *children) {
      names[child.code] = child.name;
      if (present.count(child.code) == 0) {
        table.rows.push_back({child.code, "", 0, std::vector<int64_t>(spec.sums.size(), 0)});
      }
    }
    std::sort(table.rows.begin(), table.rows.end(),
              [](const PivotRow& a, const PivotRow& b) { return a.key < b.key; });
  }
  for (PivotRow& row : table.rows) {
    auto name = names.find(row.key);
    if (name != names.end()) {
      row.label = name->second;
      continue;
    }
    absl::StatusOr<RegionInfo> info = deps_.regions->GetRegion(row.key, "region");
    if (info.ok()) row.label = info->name;
  }
}

absl::Status ReportingLogic::AddFreshness(const std::vector<BusSubscription>& feeds, int64_t* lag,
                                          absl::Time* as_of) {
  if (deps_.progress == nullptr) return absl::OkStatus();
  // Fresh as the least fresh stream it is fed by.
  for (const BusSubscription& feed : feeds) {
    WAHANA_ASSIGN_OR_RETURN(GroupProgress progress,
                            deps_.progress->Read(feed.StreamKey(region_), feed.group));
    *lag += progress.lag;
    if (progress.oldest_unapplied.has_value())
      *as_of = std::min(*as_of, *progress.oldest_unapplied);
  }
  return absl::OkStatus();
}

absl::StatusOr<RecordReport> ReportingLogic::GetRecordReport(
    const Principal& caller, RecordReportKind kind, const GetRecordReportRequest& request) {
  WAHANA_ASSIGN_OR_RETURN(ContributionStore * contributions, Contributions());
  const ReportDefinition& definition = RecordReportDefinition(kind);
  ContributionStore& store = *contributions;
  return BuildReport(
      caller, request, definition,
      [&](const std::string& region, const std::vector<absl::CivilMonth>& months) {
        return store.ReadCells(definition.subject, region, months);
      },
      [&](const std::vector<std::string>& codes, const std::string& exact,
          const std::vector<absl::CivilMonth>& months) {
        return store.ReadRollups(definition.subject, codes, exact, months);
      },
      [&] { return store.ReadMonths(definition.subject); });
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
  for (const BusSubscription& feed : Subscriptions()) {
    const std::string stream = feed.StreamKey(region_);
    auto* consumer = status.add_consumers();
    consumer->set_stream(stream);
    consumer->set_group(feed.group);
    if (deps_.progress != nullptr) {
      WAHANA_ASSIGN_OR_RETURN(GroupProgress progress, deps_.progress->Read(stream, feed.group));
      consumer->set_lag(progress.lag);
      consumer->set_pending(progress.pending);
      consumer->set_dead_letters(progress.dead_letters);
      if (progress.oldest_unapplied.has_value()) {
        *consumer->mutable_oldest_unapplied_time() = ToTimestamp(*progress.oldest_unapplied);
      }
    }
    WAHANA_ASSIGN_OR_RETURN(auto skipped, store_->ReadSkipped(stream));
    for (const auto& [type, count] : skipped) (*consumer->mutable_skipped())[type] = count;
  }
  *status.mutable_as_of() = ToTimestamp(Now());
  return status;
}

}  // namespace wahana
