// ReportingLogic::GetSpmReport and GetKpiReport (reporting_logic.h): the official indicators, read
// from the cases' cells (case_indicators.h) and the workers' attached caseloads.

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/auth/access_policy.h"
#include "common/csv/csv_writer.h"
#include "common/region/region_code.h"
#include "common/status/status_macros.h"
#include "reporting/case_indicators.h"
#include "reporting/report_answer.h"
#include "reporting/reporting_logic.h"
#include "reporting/small_count_suppression.h"
#include "wahana/cases/v1/case.pb.h"

namespace wahana {
namespace {

namespace rpb = wahana::reporting::v1;

// The services as Permensos 9/2018 names them.
std::string SpmLabel(int service) {
  switch (service) {
    case wahana::cases::v1::SPM_DISABILITAS_TELANTAR:
      return "Rehabilitasi sosial dasar penyandang disabilitas telantar di luar panti";
    case wahana::cases::v1::SPM_ANAK_TELANTAR:
      return "Rehabilitasi sosial dasar anak telantar di luar panti";
    case wahana::cases::v1::SPM_LANJUT_USIA_TELANTAR:
      return "Rehabilitasi sosial dasar lanjut usia telantar di luar panti";
    case wahana::cases::v1::SPM_GELANDANGAN_PENGEMIS:
      return "Rehabilitasi sosial dasar gelandangan dan pengemis di luar panti";
    case wahana::cases::v1::SPM_KORBAN_BENCANA:
      return "Perlindungan dan jaminan sosial korban bencana pada saat dan setelah tanggap darurat";
  }
  return std::to_string(service);
}

absl::StatusOr<int> ParseYear(const std::string& text) {
  int year = 0;
  if (text.size() != 4 || !absl::SimpleAtoi(text, &year) || year < 1900 || year > 2999) {
    return absl::InvalidArgumentError(
        absl::StrCat("year: ", text.empty() ? "required" : absl::StrCat("\"", text, "\" is not"),
                     ", a year such as 2026"));
  }
  return year;
}

std::string SpmCsv(const rpb::SpmReport& report) {
  std::string csv = CsvRecord({"service", "label", "served", "needed", "percent", "target"});
  for (const auto& figure : report.services()) {
    csv += CsvRecord({wahana::cases::v1::SpmService_Name(figure.service()), figure.label(),
                      figure.served(), figure.needed(), figure.percent(), figure.target()});
  }
  return csv;
}

}  // namespace

absl::StatusOr<ContributionStore*> ReportingLogic::Contributions() const {
  if (deps_.contributions == nullptr) {
    return absl::UnavailableError("this reporting service counts no registry or event records");
  }
  return deps_.contributions.get();
}

absl::StatusOr<rpb::SpmReport> ReportingLogic::GetSpmReport(
    const Principal& caller, const rpb::GetSpmReportRequest& request) {
  WAHANA_RETURN_IF_ERROR(CheckReportFormat(request.format()));
  WAHANA_RETURN_IF_ERROR(CheckReportAudience(request.audience()));
  WAHANA_ASSIGN_OR_RETURN(std::string region, ReportRegion(caller, request.region()));
  WAHANA_ASSIGN_OR_RETURN(int year, ParseYear(request.year()));
  WAHANA_ASSIGN_OR_RETURN(RegionLevelKind level, ParseRegionCode(region, "region"));
  WAHANA_ASSIGN_OR_RETURN(ContributionStore * store, Contributions());
  // Every month: a case taken in years ago may be served, or still need the service, this year.
  WAHANA_ASSIGN_OR_RETURN(std::vector<absl::CivilMonth> months,
                          store->ReadMonths(CountedSubject::kCase));
  WAHANA_ASSIGN_OR_RETURN(std::vector<PivotCell> cells,
                          store->ReadCells(CountedSubject::kCase, region, months));

  const bool suppress =
      !SeesPersonalData(caller, Resource::kCase) || request.audience() == kPublicAudience;
  const bool small_area = AtOrBelowSubdistrict(level);
  rpb::SpmReport report;
  report.set_region(region);
  report.set_year(request.year());
  for (const SpmFigure& figure : SpmOf(cells, year)) {
    auto* out = report.add_services();
    out->set_service(static_cast<wahana::cases::v1::SpmService>(figure.service));
    out->set_label(SpmLabel(figure.service));
    out->set_served(ShownCount(figure.served, suppress, small_area));
    out->set_needed(ShownCount(figure.needed, suppress, small_area));
    const bool shown = out->served() == std::to_string(figure.served) &&
                       out->needed() == std::to_string(figure.needed);
    if (shown && figure.needed > 0) {
      out->set_percent(absl::StrFormat("%.1f", 100.0 * figure.served / figure.needed));
    }
    out->set_target("100");
  }
  absl::Time as_of = Now();
  int64_t lag = 0;
  WAHANA_RETURN_IF_ERROR(AddFreshness({kReportingReadsCases}, &lag, &as_of));
  report.set_lag(lag);
  *report.mutable_as_of() = ToTimestamp(as_of);
  if (request.format() == "csv") {
    report.mutable_http_body()->set_content_type("text/csv; charset=utf-8; header=present");
    report.mutable_http_body()->set_data(SpmCsv(report));
  }
  return report;
}

absl::StatusOr<rpb::KpiReport> ReportingLogic::GetKpiReport(
    const Principal& caller, const rpb::GetKpiReportRequest& request) {
  WAHANA_RETURN_IF_ERROR(CheckReportAudience(request.audience()));
  WAHANA_ASSIGN_OR_RETURN(std::string region, ReportRegion(caller, request.region()));
  WAHANA_ASSIGN_OR_RETURN(ContributionStore * store, Contributions());
  WAHANA_ASSIGN_OR_RETURN(ReportPeriod period, PeriodOf(request.period(), [store] {
                            return store->ReadMonths(CountedSubject::kCase);
                          }));
  WAHANA_ASSIGN_OR_RETURN(RegionLevelKind level, ParseRegionCode(region, "region"));
  WAHANA_ASSIGN_OR_RETURN(std::vector<PivotCell> cells,
                          store->ReadCells(CountedSubject::kCase, region, period.Months()));
  const KpiFigures kpi = KpiOf(cells, period, deps_.calendar.Today(Now()));

  // The workers based under the region and what is assigned to them now.
  WAHANA_ASSIGN_OR_RETURN(auto workers, store->ReadCounted(CountedSubject::kWorker));
  std::vector<std::pair<std::string, Contribution>> based;
  for (auto& [id, contribution] : workers) {
    if (contribution.counted() && RegionWithin(contribution.region, region)) {
      based.emplace_back(id, std::move(contribution));
    }
  }
  std::vector<rpb::WorkerCaseload> caseloads;
  int64_t workers_open = 0;
  for (const auto& [id, contribution] : based) {
    WAHANA_ASSIGN_OR_RETURN(auto attached, store->ReadAttached({CountedSubject::kWorker, id}));
    rpb::WorkerCaseload caseload;
    caseload.set_worker_id(id);
    caseload.set_village_code(contribution.region);
    caseload.set_open_cases(attached["openCases"]);
    workers_open += caseload.open_cases();
    caseloads.push_back(std::move(caseload));
  }
  std::sort(caseloads.begin(), caseloads.end(), [](const auto& a, const auto& b) {
    return a.open_cases() != b.open_cases() ? a.open_cases() > b.open_cases()
                                            : a.worker_id() < b.worker_id();
  });

  const bool sees = SeesPersonalData(caller, Resource::kCase);
  const bool suppress = !sees || request.audience() == kPublicAudience;
  const bool small_area = AtOrBelowSubdistrict(level);
  auto shown = [&](int64_t count) { return ShownCount(count, suppress, small_area); };
  rpb::KpiReport report;
  report.set_region(region);
  report.set_period(request.period());
  report.set_cases(shown(kpi.cases));
  report.set_open_cases(shown(kpi.open));
  report.set_closed_cases(shown(kpi.closed));
  if (kpi.median_days_to_close.has_value() && report.closed_cases() == std::to_string(kpi.closed)) {
    report.set_median_days_to_close(absl::StrFormat("%g", *kpi.median_days_to_close));
  }
  report.set_referrals_awaiting(shown(kpi.referrals_awaiting));
  report.set_overdue_cases(shown(kpi.overdue));
  report.set_workers(std::to_string(based.size()));
  report.set_workers_open_cases(shown(workers_open));
  if (!based.empty() && report.workers_open_cases() == std::to_string(workers_open)) {
    report.set_mean_open_caseload(
        absl::StrFormat("%.1f", static_cast<double>(workers_open) / based.size()));
  }
  if (sees && request.audience() != kPublicAudience) {
    for (auto& caseload : caseloads) *report.add_caseloads() = std::move(caseload);
  }
  absl::Time as_of = Now();
  int64_t lag = 0;
  WAHANA_RETURN_IF_ERROR(
      AddFreshness({kReportingReadsCases, kReportingReadsRegistry}, &lag, &as_of));
  report.set_lag(lag);
  *report.mutable_as_of() = ToTimestamp(as_of);
  return report;
}

}  // namespace wahana
