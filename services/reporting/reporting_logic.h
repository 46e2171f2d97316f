#pragma once
// The reporting service's rules, without a server or a stream: how a message moves the counters,
// and what GetCaseCounts, the reports and GetReportingStatus answer. Storage, the
// region names, the consumers' progress and the clock come in through the constructor.
//
// Thread-safe when its dependencies are (the production ones are).

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "common/bus/bus_contract.h"
#include "common/bus/group_progress.h"
#include "common/region/region_directory.h"
#include "common/time/office_calendar.h"
#include "reporting/case_counts_store.h"
#include "reporting/contribution_store.h"
#include "reporting/counted_messages.h"
#include "reporting/pivot_cells.h"
#include "reporting/pivot_grouping.h"
#include "reporting/report_period.h"
#include "reporting/report_specs.h"
#include "wahana/common/v1/message.pb.h"
#include "wahana/reporting/v1/reporting.pb.h"

namespace wahana {

struct ReportingDeps {
  // The region names of the region grouping; none: rows carry codes only.
  std::shared_ptr<RegionDirectory> regions;
  // The consumers' lag (asOf, lag, the status page); none: nothing is reported waiting.
  std::shared_ptr<GroupProgressReader> progress;
  // Places a case in the month of its intake.
  OfficeCalendar calendar;
  // The clock; none: absl::Now.
  std::function<absl::Time()> now;
  // The registry's and the event service's records and the workers' caseloads; none: only cases
  // are counted (the record reports answer UNAVAILABLE, no registry or event stream is read).
  std::shared_ptr<ContributionStore> contributions;
  // WAHANA_CASE_OVERDUE_DAYS: when an idle case is overdue (the overdue KPI).
  int case_overdue_days = 30;
};

class ReportingLogic {
 public:
  // `region` is the deployment's region ("16.06").
  ReportingLogic(std::string region, std::shared_ptr<CaseCountsStore> store,
                 ReportingDeps deps = {});

  // Applies one message of the case stream, exactly once in effect: the counters it moves
  // (case_counter_moves.h) and its "applied" mark change in one atomic step, so a redelivery
  // changes nothing. A type this version does not know is skipped and counted (once per message,
  // shown by GetReportingStatus), never an error, so the case service may add types. Actions that
  // change nothing counted are skipped (OK). INVALID_ARGUMENT for a CaseChanged that cannot be
  // applied (unreadable payload, region malformed or outside the deployment, no create_time): the
  // consumer moves it to the dead-letter stream. UNAVAILABLE when Redis cannot be reached.
  // Also sets the case's share of its worker's caseload (counted_messages.h), by its version.
  // A province counts nothing of a case it opened from a district's referral (referred_from):
  // the district's delivered figures count that person already.
  absl::Status HandleCaseMessage(const wahana::common::v1::Envelope& envelope);

  // Applies one message of `feed`'s stream (the registry's or the event service's): the record's
  // contribution (counted_messages.h) by its version, so a redelivered or overtaken message
  // changes nothing. Unknown types are skipped and counted as for cases; a household is ignored.
  // INVALID_ARGUMENT (a dead letter) for a message that cannot be applied; UNAVAILABLE when
  // Redis cannot be reached.
  absl::Status HandleRecordMessage(const wahana::common::v1::Envelope& envelope,
                                   const BusSubscription& feed);

  // The streams this service consumes, with its group on each.
  std::vector<BusSubscription> Subscriptions() const;

  // Counts by status (every status, zeros included, in lifecycle order) and the total under
  // `request.region`, narrowed to the caller's scope (access_policy.h ScopeListRegion on
  // kReport, which every role reads): empty means the caller's scope; a region above the
  // deployment (a PROVINCE_VIEWER's province) answers for the deployment, the part of it this
  // service counts. INVALID_ARGUMENT naming `region` when it is malformed or outside the
  // deployment; PERMISSION_DENIED when it is disjoint from the caller's scope.
  absl::StatusOr<wahana::reporting::v1::CaseCounts> GetCaseCounts(
      const Principal& caller, const wahana::reporting::v1::GetCaseCountsRequest& request);

  // The pivot (pivot_grouping.h) of the cases with intake in `period` under `region` (narrowed
  // as in GetCaseCounts), small counts suppressed for callers who may not read personal data and
  // for audience=public (small_count_suppression.h), with asOf and lag; format=csv also fills
  // http_body. INVALID_ARGUMENT naming region, period, groupBy, format or audience;
  // PERMISSION_DENIED for a region disjoint from the caller's scope.
  absl::StatusOr<wahana::reporting::v1::CaseReport> GetCaseReport(
      const Principal& caller, const wahana::reporting::v1::GetCaseReportRequest& request);

  // The pivot of one kind of record (report_specs.h: the dimensions of each; events with their
  // participant and check-in totals, workers with their open cases) under `request.region`
  // (narrowed as in GetCaseCounts), in `request.period` or every period, suppressed, fresh and
  // filed as the case report. Errors as GetCaseReport's; UNAVAILABLE without a contribution store.
  absl::StatusOr<wahana::reporting::v1::RecordReport> GetRecordReport(
      const Principal& caller, RecordReportKind kind,
      const wahana::reporting::v1::GetRecordReportRequest& request);

  // The SPM of `request.year` under `request.region` (case_indicators.h SpmOf), suppressed as
  // the reports are, as JSON or CSV.
  absl::StatusOr<wahana::reporting::v1::SpmReport> GetSpmReport(
      const Principal& caller, const wahana::reporting::v1::GetSpmReportRequest& request);

  // The KPIs (case_indicators.h KpiOf) of the cases taken in during `request.period` under
  // `request.region`, and the caseloads of the workers based there.
  absl::StatusOr<wahana::reporting::v1::KpiReport> GetKpiReport(
      const Principal& caller, const wahana::reporting::v1::GetKpiReportRequest& request);

  // Per stream and group this service consumes: lag, pending, dead letters, skipped types.
  absl::StatusOr<wahana::reporting::v1::ReportingStatus> GetReportingStatus(
      const Principal& caller, const wahana::reporting::v1::GetReportingStatusRequest& request);

 private:
  // The region a report answers for: `requested` checked, narrowed to the caller's scope and to
  // the deployment (see GetCaseCounts).
  absl::StatusOr<std::string> ReportRegion(const Principal& caller, const std::string& requested);
  absl::Time Now() const { return deps_.now ? deps_.now() : absl::Now(); }

  // A report's cells under a region in some months, and every month a subject has cells in.
  using CellsReader = std::function<absl::StatusOr<std::vector<PivotCell>>(
      const std::string& region, const std::vector<absl::CivilMonth>& months)>;
  using MonthsReader = std::function<absl::StatusOr<std::vector<absl::CivilMonth>>()>;
  // The roll-ups at some region codes and the cells placed at one (pivot_cells.h).
  using RollupsReader = std::function<absl::StatusOr<std::vector<PivotCell>>(
      const std::vector<std::string>& codes, const std::string& exact_code,
      const std::vector<absl::CivilMonth>& months)>;
  // `text` parsed; empty means every period when `every_month` is given, and is refused otherwise.
  absl::StatusOr<ReportPeriod> PeriodOf(const std::string& text, const MonthsReader& every_month);
  // A region grouping's rows: every region of `children` (zeros too), named.
  void AddRegionRowsAndNames(const absl::StatusOr<std::vector<RegionInfo>>& children,
                             PivotTable& table, const PivotSpec& spec);
  // Adds the lag of `feeds` to `lag` and moves `as_of` back to their oldest unapplied message.
  absl::Status AddFreshness(const std::vector<BusSubscription>& feeds, int64_t* lag,
                            absl::Time* as_of);
  // The contribution store, or UNAVAILABLE.
  absl::StatusOr<ContributionStore*> Contributions() const;
  // Every report: checks, grouping, region names, suppression, asOf and lag, CSV.
  absl::StatusOr<wahana::reporting::v1::RecordReport> BuildReport(
      const Principal& caller, const wahana::reporting::v1::GetRecordReportRequest& request,
      const ReportDefinition& definition, const CellsReader& read_cells,
      const RollupsReader& read_rollups, const MonthsReader& every_month);

  const std::string region_;
  std::shared_ptr<CaseCountsStore> store_;
  const ReportingDeps deps_;
};

}  // namespace wahana
