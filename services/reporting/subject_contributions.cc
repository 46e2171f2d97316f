#include "reporting/subject_contributions.h"

#include <google/protobuf/util/time_util.h>

#include <map>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/cases/case_rules.h"
#include "reporting/report_period.h"

namespace wahana {
namespace {

std::string Field(absl::string_view dimension, int number) {
  return absl::StrCat(dimension, ":", number);
}

absl::Time TimeOf(const google::protobuf::Timestamp& time) {
  return absl::FromUnixMillis(google::protobuf::util::TimeUtil::TimestampToMilliseconds(time));
}

// A counted record's cell: `region`, the office month of `time`, n 1.
Contribution CountedAt(const std::string& region, const google::protobuf::Timestamp& time,
                       const OfficeCalendar& calendar) {
  Contribution contribution;
  contribution.region = region;
  contribution.month = MonthText(OfficeMonth(calendar, TimeOf(time)));
  contribution.fields["n"] = 1;
  return contribution;
}

// The year of "YYYY-MM-DD", or 0.
int BirthYear(const std::string& date) {
  int year = 0;
  if (date.size() < 4 || !absl::SimpleAtoi(date.substr(0, 4), &year)) return 0;
  return year;
}

}  // namespace

Contribution BeneficiaryContribution(const wahana::registry::v1::Beneficiary& beneficiary,
                                     const OfficeCalendar& calendar) {
  if (beneficiary.archived()) return {};
  Contribution c = CountedAt(beneficiary.village_code(), beneficiary.create_time(), calendar);
  c.fields[Field("sex", beneficiary.sex())] = 1;
  c.fields[Field("born", BirthYear(beneficiary.birth_date()))] = 1;
  // One row per category the person has: a person with two categories is in both rows (and
  // counted once in the total).
  std::set<int> categories(beneficiary.ppks_categories().begin(),
                           beneficiary.ppks_categories().end());
  if (categories.empty()) categories.insert(0);
  for (int category : categories) c.fields[Field("category", category)] = 1;
  return c;
}

Contribution InstitutionContribution(const wahana::registry::v1::Institution& institution,
                                     const OfficeCalendar& calendar) {
  if (institution.archived()) return {};
  Contribution c = CountedAt(institution.village_code(), institution.create_time(), calendar);
  c.fields[Field("kind", institution.kind())] = 1;
  c.fields[Field("status", institution.status())] = 1;
  return c;
}

Contribution NetworkContribution(const wahana::registry::v1::Network& network,
                                 const OfficeCalendar& calendar) {
  if (network.archived()) return {};
  Contribution c = CountedAt(network.village_code(), network.create_time(), calendar);
  c.fields[Field("stage", network.stage())] = 1;
  return c;
}

Contribution WorkerContribution(const wahana::registry::v1::Worker& worker,
                                const OfficeCalendar& calendar) {
  if (worker.archived()) return {};
  Contribution c = CountedAt(worker.village_code(), worker.create_time(), calendar);
  c.fields[Field("kind", worker.kind())] = 1;
  return c;
}

Contribution EventContribution(const wahana::event::v1::Event& event,
                               const OfficeCalendar& calendar) {
  if (event.archived() || event.status() == wahana::event::v1::Event::CANCELLED) return {};
  Contribution c = CountedAt(event.region_code(), event.start_time(), calendar);
  c.fields[Field("kind", event.kind())] = 1;
  c.fields[Field("status", event.status())] = 1;
  return c;
}

Contribution ParticipantContribution(const wahana::event::v1::Participant& participant) {
  Contribution c;
  c.parent = ParentRecord{CountedSubject::kEvent, participant.event_id()};
  if (participant.status() == wahana::event::v1::Participant::REGISTERED) {
    c.parent_fields["participants"] = 1;
    if (participant.has_check_in_time()) c.parent_fields["checkedIn"] = 1;
  }
  return c;
}

Contribution CaseworkContribution(const wahana::cases::v1::Case& c, int overdue_days,
                                  const OfficeCalendar& calendar) {
  namespace pb = wahana::cases::v1;
  Contribution contribution = CountedAt(c.village_code(), c.create_time(), calendar);
  auto& fields = contribution.fields;
  const bool open = IsOpenStatus(c.status());
  if (open) fields["open"] = 1;
  if (!c.assignee_worker_id().empty()) {
    contribution.parent = ParentRecord{CountedSubject::kWorker, c.assignee_worker_id()};
    if (open) contribution.parent_fields["openCases"] = 1;
  }
  int awaiting = 0;
  for (const pb::Referral& referral : c.referrals()) {
    if (referral.status() == pb::REFERRAL_SENT) ++awaiting;
  }
  if (awaiting > 0) fields["referralsAwaiting"] = awaiting;
  const absl::Time created = TimeOf(c.create_time());
  const absl::Time last_action = TimeOf(c.update_time());
  if (c.status() == pb::CLOSED) {
    fields[Field("closedDays", static_cast<int>((last_action - created) / absl::Hours(24)))] = 1;
  }
  if (std::optional<absl::Time> overdue_at = CaseOverdueAt(c, overdue_days, calendar)) {
    fields[absl::StrCat("overdueFrom:", calendar.TodayText(*overdue_at))] = 1;
  }
  // SPM: the years the person needed the service (intake to close, and any year served in) and
  // the years they were served.
  const int intake_year = calendar.Year(created);
  const int last_year = c.status() == pb::CLOSED ? calendar.Year(last_action) : kStillOpenYear;
  std::map<int, std::set<int>> served;  // service -> years
  for (const pb::ServiceRecord& service : c.services()) {
    absl::CivilDay day;
    if (service.spm_service() == pb::SPM_SERVICE_UNSPECIFIED ||
        !absl::ParseCivilTime(service.date(), &day)) {
      continue;
    }
    served[service.spm_service()].insert(static_cast<int>(day.year()));
  }
  const int needed = SpmServiceOf(c);
  if (needed != pb::SPM_SERVICE_UNSPECIFIED) {
    fields[absl::StrCat("spmNeed:", needed, ":", intake_year, ":", last_year)] = 1;
  }
  for (const auto& [service, years] : served) {
    for (int year : years) {
      fields[absl::StrCat("spmServed:", service, ":", year)] = 1;
      const bool within = service == needed && year >= intake_year && year <= last_year;
      if (!within) fields[absl::StrCat("spmNeed:", service, ":", year, ":", year)] = 1;
    }
  }
  return contribution;
}

int SpmServiceOf(const wahana::cases::v1::Case& c) {
  namespace pb = wahana::cases::v1;
  namespace ppks = wahana::common::v1;
  const bool needs_rehabilitation = c.assessment().needs_outside_panti_rehabilitation();
  switch (c.category()) {
    case ppks::PENYANDANG_DISABILITAS:
    case ppks::ANAK_DENGAN_KEDISABILITASAN:
      return needs_rehabilitation ? pb::SPM_DISABILITAS_TELANTAR : pb::SPM_SERVICE_UNSPECIFIED;
    case ppks::ANAK_BALITA_TELANTAR:
    case ppks::ANAK_TELANTAR:
      return needs_rehabilitation ? pb::SPM_ANAK_TELANTAR : pb::SPM_SERVICE_UNSPECIFIED;
    case ppks::LANJUT_USIA_TELANTAR:
      return needs_rehabilitation ? pb::SPM_LANJUT_USIA_TELANTAR : pb::SPM_SERVICE_UNSPECIFIED;
    case ppks::GELANDANGAN:
    case ppks::PENGEMIS:
      return needs_rehabilitation ? pb::SPM_GELANDANGAN_PENGEMIS : pb::SPM_SERVICE_UNSPECIFIED;
    case ppks::KORBAN_BENCANA_ALAM:
    case ppks::KORBAN_BENCANA_SOSIAL:
      return pb::SPM_KORBAN_BENCANA;
    default:
      return c.kind() == pb::DISASTER ? pb::SPM_KORBAN_BENCANA : pb::SPM_SERVICE_UNSPECIFIED;
  }
}

int AgeReachedIn(int birth_year, int year) { return year - birth_year; }

}  // namespace wahana
