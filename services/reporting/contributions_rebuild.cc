#include "reporting/contributions_rebuild.h"

#include <spdlog/spdlog.h>

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/bus/envelope.h"
#include "common/status/status_macros.h"
#include "common/storage/record_store.h"
#include "reporting/redis_contribution_store.h"
#include "reporting/reporting_keys.h"
#include "wahana/event/v1/event.pb.h"
#include "wahana/registry/v1/beneficiary.pb.h"
#include "wahana/registry/v1/institution.pb.h"
#include "wahana/registry/v1/network.pb.h"
#include "wahana/registry/v1/worker.pb.h"

namespace wahana {
namespace {

namespace events = wahana::event::v1;
namespace reg = wahana::registry::v1;

constexpr int kRenewEvery = 500;  // staged records between lease renewals

}  // namespace

ContributionsRebuild::ContributionsRebuild(std::string region, CountingRules rules)
    : region_(std::move(region)), rules_(std::move(rules)) {}

void ContributionsRebuild::Count(const google::protobuf::Message& changed, const std::string& id,
                                 const std::string& etag, const std::string& region_code) {
  const std::optional<int64_t> version = VersionOfEtag(etag);
  if (!version.has_value()) {
    spdlog::warn("rebuild: {} {} not counted: etag is not a version",
                 changed.GetDescriptor()->name(), id);
    ++skipped_;
    return;
  }
  absl::StatusOr<std::optional<CountedChange>> change =
      CountedChangeOf(MakeEnvelope(changed, {region_, id, *version, region_code}), region_, rules_);
  if (!change.ok() || !change->has_value()) {
    spdlog::warn("rebuild: {} {} not counted: {}", changed.GetDescriptor()->name(), id,
                 change.ok() ? "not a counted type" : change.status().ToString());
    ++skipped_;
    return;
  }
  changes_.push_back(std::move(**change));
}

void ContributionsRebuild::AddCase(const wahana::cases::v1::Case& c, int64_t version) {
  wahana::cases::v1::CaseChanged changed;
  *changed.mutable_case_() = c;
  Count(changed, c.id(), EtagOf(version), c.village_code());
}

template <typename Changed, typename Page, typename Record, typename List>
absl::Status ContributionsRebuild::CountAll(
    const List& page_of, const google::protobuf::RepeatedPtrField<Record>& (Page::*records)() const,
    Record* (Changed::*record_in)(), const std::string& (Record::*region_of)() const,
    const std::function<absl::Status()>& renew, std::vector<std::string>* ids) {
  std::string token;
  do {
    WAHANA_ASSIGN_OR_RETURN(Page page, page_of(token));
    for (const Record& record : (page.*records)()) {
      Changed changed;
      *(changed.*record_in)() = record;
      Count(changed, record.id(), record.etag(), (record.*region_of)());
      if (ids != nullptr) ids->push_back(record.id());
    }
    token = page.next_page_token();
    WAHANA_RETURN_IF_ERROR(renew());
  } while (!token.empty());
  return absl::OkStatus();
}

absl::Status ContributionsRebuild::ListRecords(RecordSource& source,
                                               const std::function<absl::Status()>& renew) {
  const size_t before = changes_.size();
  WAHANA_RETURN_IF_ERROR(CountAll(
      [&](const std::string& token) { return source.Beneficiaries(token); },
      &reg::ListBeneficiariesResponse::beneficiaries, &reg::BeneficiaryChanged::mutable_beneficiary,
      &reg::Beneficiary::village_code, renew));
  WAHANA_RETURN_IF_ERROR(CountAll(
      [&](const std::string& token) { return source.Institutions(token); },
      &reg::ListInstitutionsResponse::institutions, &reg::InstitutionChanged::mutable_institution,
      &reg::Institution::village_code, renew));
  WAHANA_RETURN_IF_ERROR(CountAll([&](const std::string& token) { return source.Networks(token); },
                                  &reg::ListNetworksResponse::networks,
                                  &reg::NetworkChanged::mutable_network,
                                  &reg::Network::village_code, renew));
  WAHANA_RETURN_IF_ERROR(CountAll([&](const std::string& token) { return source.Workers(token); },
                                  &reg::ListWorkersResponse::workers,
                                  &reg::WorkerChanged::mutable_worker, &reg::Worker::village_code,
                                  renew));
  std::vector<std::string> event_ids;
  WAHANA_RETURN_IF_ERROR(CountAll([&](const std::string& token) { return source.Events(token); },
                                  &events::ListEventsResponse::events,
                                  &events::EventChanged::mutable_event, &events::Event::region_code,
                                  renew, &event_ids));
  for (const std::string& event_id : event_ids) {
    WAHANA_RETURN_IF_ERROR(
        CountAll([&](const std::string& token) { return source.Participants(event_id, token); },
                 &events::ListParticipantsResponse::participants,
                 &events::ParticipantChanged::mutable_participant,
                 &events::Participant::region_code, renew));
  }
  records_ += static_cast<int64_t>(changes_.size() - before);
  return absl::OkStatus();
}

absl::Status ContributionsRebuild::Stage(RedisClient& redis,
                                         const std::function<absl::Status()>& renew) const {
  // The staging keys are this rebuild's alone: no lease to wait for (it holds it).
  RedisContributionStore staging(redis, region_, StagedKeyBase(region_),
                                 RedisContributionStore::Lease::kIgnore);
  int staged = 0;
  for (const CountedChange& change : changes_) {
    WAHANA_RETURN_IF_ERROR(
        staging.Apply(change.subject, change.id, change.version, change.contribution).status());
    if (++staged % kRenewEvery == 0) WAHANA_RETURN_IF_ERROR(renew());
  }
  // The months a subject has ever had cells in (what a report over every period spans) are
  // history the records do not hold: the live ones are kept (they cannot change meanwhile: the
  // consumer waits for the lease).
  const std::string live = ReportingKeyBase(region_);
  const std::string staged_base = StagedKeyBase(region_);
  for (CountedSubject subject : CelledSubjects()) {
    const absl::string_view name = CountedSubjectName(subject);
    const std::string staged_months = PivotMonthsKeyAt(staged_base, name);
    WAHANA_RETURN_IF_ERROR(
        redis.Command({"SUNIONSTORE", staged_months, staged_months, PivotMonthsKeyAt(live, name)})
            .status());
  }
  return absl::OkStatus();
}

std::vector<std::string> ContributionsRebuild::LivePatterns() const {
  const std::string base = ReportingKeyBase(region_);
  std::vector<std::string> patterns = {CountedRecordsKeyAt(base, "*"),
                                       AttachedTotalsKeyAt(base, "*")};
  for (CountedSubject subject : CelledSubjects()) {
    const absl::string_view name = CountedSubjectName(subject);
    patterns.push_back(PivotCellKeyAt(base, name, "*", "*"));
    patterns.push_back(PivotRollupKeyAt(base, name, "*", "*"));
    patterns.push_back(PivotCellVillagesKeyAt(base, name, "*"));
    patterns.push_back(PivotMonthsKeyAt(base, name));
  }
  return patterns;
}

}  // namespace wahana
