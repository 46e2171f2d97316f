#include "common/cases/case_rules.h"

#include <algorithm>

namespace wahana {
namespace {

namespace pb = wahana::cases::v1;

}  // namespace

bool IsOpenStatus(pb::CaseStatus s) {
  return s == pb::INTAKE || s == pb::ASSESSMENT || s == pb::PLANNING || s == pb::INTERVENTION ||
         s == pb::MONITORING;
}

std::optional<absl::Time> CaseOverdueAt(const pb::Case& c, int overdue_days,
                                        const OfficeCalendar& calendar) {
  std::optional<absl::Time> at;
  auto earliest = [&at](absl::Time t) { at = at.has_value() ? std::min(*at, t) : t; };
  if (IsOpenStatus(c.status())) {
    earliest(absl::FromUnixSeconds(c.update_time().seconds()) + absl::Hours(24 * overdue_days) +
             absl::Seconds(1));
  }
  if (c.status() != pb::CLOSED) {
    for (const pb::Referral& r : c.referrals()) {
      if (r.status() != pb::REFERRAL_SENT && r.status() != pb::REFERRAL_ACCEPTED) continue;
      absl::CivilDay due;
      if (r.due_date().empty() || !absl::ParseCivilTime(r.due_date(), &due)) continue;
      earliest(absl::FromCivil(due + 1, calendar.zone()));
    }
  }
  return at;
}

}  // namespace wahana
