#include "reporting/subject_contributions.h"

#include <google/protobuf/util/time_util.h>

#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "reporting/report_period.h"

namespace wahana {
namespace {

std::string Field(absl::string_view dimension, int number) {
  return absl::StrCat(dimension, ":", number);
}

// A counted record's cell: `region`, the office month of `time`, n 1.
Contribution CountedAt(const std::string& region, const google::protobuf::Timestamp& time,
                       const OfficeCalendar& calendar) {
  Contribution contribution;
  contribution.region = region;
  contribution.month = MonthText(OfficeMonth(
      calendar,
      absl::FromUnixMillis(google::protobuf::util::TimeUtil::TimestampToMilliseconds(time))));
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

Contribution CaseCaseloadContribution(const wahana::cases::v1::Case& c) {
  Contribution contribution;
  if (c.assignee_worker_id().empty()) return contribution;
  contribution.parent = ParentRecord{CountedSubject::kWorker, c.assignee_worker_id()};
  if (c.status() != wahana::cases::v1::CLOSED) contribution.parent_fields["openCases"] = 1;
  return contribution;
}

int AgeReachedIn(int birth_year, int year) { return year - birth_year; }

}  // namespace wahana
