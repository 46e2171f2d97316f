// The reporting service's measurements (issue 13, "Measure"):
//
//   wahana_reporting_bench --method=pivot --target=REPORTING --registry=H:P --cases=N
//   [--seconds=10]
//       brings the cases of last year's pivot up to N, then times GetCaseReport of the deployment
//       for that year, one call at a time for `seconds`, groupBy category, region and month in
//       turn; prints "pivot cases=<N> written=<new> write_s=... catchup_s=... cells=<village-month
//       cells> queries=<n> p50_us=... p99_us=... category_p99_us=... region_p99_us=...
//       month_p99_us=... errors=<n>" and, with --reporting-pid, "reporting_cpu_us=...
//       redis_cpu_us=..." per query. The cases are not created through CreateCase (a million would
//       take hours): the CaseChanged messages the case service writes for a create are written
//       straight onto its stream, then the bench waits until every consumer group of the stream has
//       caught up (the reporting group's lag 0 by GetReportingStatus). They spread over every
//       village of the deployment (from the registry's ListRegions), the 12 months, 25 categories
//       and two kinds.
//   wahana_reporting_bench --method=delay --target=REPORTING --case=H:P --registry=H:P
//       [--seconds=10] [--probes=200] [--idle-probes=50] [--load-percent=50]
//       the creation-to-pivot delay. A probe: a CreateCase of KOMUNITAS_ADAT_TERPENCIL in the first
//       village of the deployment's last kecamatan (a village and category no load uses), then
//       GetCaseReport of that village (groupBy category, this year) until its count shows the
//       probe; delay = from the create's start to the first answer showing it. First
//       `idle-probes` probes without load (the floor: "delay-idle probes=... p50_us=..."); then
//       the CreateCase capacity (case_bench's create-case loop, 50 in flight for `seconds`),
//       and, once the consumers have caught up, a steady open-loop load of the same cases at
//       `load-percent` of it while `probes` probes run one after another (given up after 3 in a
//       row do not show within 10 s: the consumer has fallen behind). Prints "delay
//       capacity=<creates/s> load_rate=<target/s> load_achieved=<creates/s> load_errors=<failed
//       or dropped> load_s=... consumer_read_per_s=<the reporting group's reads during the
//       load> lag_after=<messages> probes=<n> p50_us=... p99_us=... max_us=... create_p50_us=...
//       polls_per_probe=... failed=<n> village=<code>".
//
// Authentication and flags as the other benches (bench_client.h). Redis (for the stream writes,
// the groups' progress and INFO cpu) from the services' WAHANA_REDIS_* settings.

#include <google/protobuf/util/time_util.h>
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench_cases.h"
#include "bench_client.h"
#include "common/bus/bus_contract.h"
#include "common/bus/envelope.h"
#include "common/config/env_reader.h"
#include "common/ids/time_ordered_id.h"
#include "common/redis/redis_setup.h"
#include "cpu_usage.h"
#include "reporting/reporting_keys.h"
#include "wahana/cases/v1/case.grpc.pb.h"
#include "wahana/registry/v1/beneficiary.grpc.pb.h"
#include "wahana/registry/v1/registry.grpc.pb.h"
#include "wahana/reporting/v1/reporting.grpc.pb.h"

namespace {

namespace cases = wahana::cases::v1;
namespace reg = wahana::registry::v1;
namespace rep = wahana::reporting::v1;
using wahana::bench::Clock;
using wahana::bench::Describe;
using wahana::bench::Percentile;
using wahana::bench::ProcessCpuSeconds;
using wahana::bench::RedisCpuSeconds;

constexpr int kCategories = 25;  // 1..25; 26 is the probes' alone
constexpr auto kProbeCategory = wahana::common::v1::KOMUNITAS_ADAT_TERPENCIL;
constexpr int kWriteBatch = 1000;
constexpr auto kCatchUpLimit = std::chrono::hours(2);
constexpr auto kProbeLimit = std::chrono::seconds(10);
constexpr int kLoadMaxInFlight = 500;

struct Options {
  std::string target, case_target, registry;
  std::string region;
  int cases = 1000;
  int seconds = 10;
  int probes = 200;
  int idle_probes = 50;
  int load_percent = 50;  // of the measured CreateCase capacity
  int reporting_pid = 0;
};

grpc::ClientContext* WithDeadline(grpc::ClientContext* context) {
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return context;
}

double MicrosSince(Clock::time_point start) {
  return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

// Every village of `region` (a regency), by code, from the registry.
absl::StatusOr<std::vector<std::string>> Villages(reg::RegistryService::Stub& registry,
                                                  const std::string& region) {
  auto children = [&](const std::string& parent) -> absl::StatusOr<std::vector<std::string>> {
    std::vector<std::string> codes;
    reg::ListRegionsRequest request;
    request.set_parent(parent);
    request.set_page_size(500);
    do {
      reg::ListRegionsResponse page;
      grpc::ClientContext context;
      grpc::Status status = registry.ListRegions(WithDeadline(&context), request, &page);
      if (!status.ok()) return absl::UnavailableError("ListRegions: " + Describe(status));
      for (const reg::Region& r : page.regions()) codes.push_back(r.code());
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    return codes;
  };
  absl::StatusOr<std::vector<std::string>> subdistricts = children(region);
  if (!subdistricts.ok()) return subdistricts.status();
  std::vector<std::string> villages;
  for (const std::string& subdistrict : *subdistricts) {
    absl::StatusOr<std::vector<std::string>> in = children(subdistrict);
    if (!in.ok()) return in.status();
    villages.insert(villages.end(), in->begin(), in->end());
  }
  if (villages.empty()) return absl::NotFoundError("the registry lists no village of " + region);
  return villages;
}

int LastYear() { return absl::ToCivilYear(absl::Now(), absl::UTCTimeZone()).year() - 1; }
int ThisYear() { return absl::ToCivilYear(absl::Now(), absl::UTCTimeZone()).year(); }

// The message the case service writes for the create of the n-th bulk case of `year`: village,
// month, category and kind each cycle on their own, so every village-month cell fills.
wahana::common::v1::Envelope BulkCaseCreated(const std::string& region,
                                             const std::vector<std::string>& villages, int year,
                                             long n) {
  const std::string& village = villages[n % villages.size()];
  const int month = 1 + (n / villages.size()) % 12;
  // Noon UTC of the month's 1st..28th: the same day in any office time zone of Indonesia.
  const absl::Time created =
      absl::FromCivil(absl::CivilHour(year, month, 1 + n % 28, 12), absl::UTCTimeZone());
  const auto when =
      google::protobuf::util::TimeUtil::MillisecondsToTimestamp(absl::ToUnixMillis(created));
  cases::CaseChanged changed;
  cases::Case* c = changed.mutable_case_();
  c->set_id(wahana::TimeOrderedIdGenerator::Default().Next());
  c->set_number(absl::StrCat(region, "/", year, "/B", n));
  c->set_status(cases::INTAKE);
  c->set_category(static_cast<wahana::common::v1::PpksCategory>(1 + n % kCategories));
  c->set_kind(n / kCategories % 2 == 0 ? cases::INDIVIDUAL : cases::FAMILY);
  c->set_village_code(village);
  c->set_summary("Kasus muatan benchmark pelaporan");
  c->mutable_reporter()->set_kind(cases::Reporter::PUBLIC);
  c->set_urgency(cases::NORMAL);
  *c->mutable_create_time() = when;
  *c->mutable_update_time() = when;
  cases::CaseAction* action = changed.mutable_action();
  action->set_sequence(1);
  action->set_type(cases::ACTION_CREATE);
  action->set_actor("bench:reporting");
  *action->mutable_time() = when;
  changed.set_status_after(cases::INTAKE);
  changed.set_category_after(c->category());
  return wahana::MakeEnvelope(changed, {region, c->id(), 1, village});
}

// Writes `count` bulk cases (numbered from `first`) onto the case stream, kWriteBatch per pipeline.
absl::Status WriteBulkCases(wahana::RedisClient& redis, const std::string& region,
                            const std::vector<std::string>& villages, int year, long first,
                            long count) {
  const std::string stream = wahana::CaseStreamKey(region);
  for (long done = 0; done < count;) {
    std::vector<std::vector<std::string>> batch;
    for (; done < count && batch.size() < kWriteBatch; ++done) {
      batch.push_back(
          wahana::XaddArgv(stream, BulkCaseCreated(region, villages, year, first + done)));
    }
    absl::StatusOr<std::vector<wahana::RedisReply>> replies = redis.Pipeline(batch);
    if (!replies.ok()) return replies.status();
    for (const wahana::RedisReply& reply : *replies) {
      if (reply.is_error()) return absl::InternalError("XADD: " + reply.str);
    }
  }
  return absl::OkStatus();
}

// Messages of `stream` some consumer group has not yet applied: each group's lag (unread) plus
// pending (read, not acknowledged), from XINFO GROUPS. A group whose lag Redis cannot tell (after
// a trim) counts one unless it has delivered the stream's last entry.
absl::StatusOr<long> GroupsOwe(wahana::RedisClient& redis, const std::string& stream) {
  absl::StatusOr<wahana::RedisReply> groups = redis.Command({"XINFO", "GROUPS", stream});
  if (!groups.ok()) return groups.status();
  absl::StatusOr<wahana::RedisReply> last =
      redis.Command({"XREVRANGE", stream, "+", "-", "COUNT", "1"});
  if (!last.ok()) return last.status();
  const std::string last_id = last->elements.empty() || last->elements[0].elements.empty()
                                  ? ""
                                  : last->elements[0].elements[0].str;
  long owed = 0;
  for (const wahana::RedisReply& group : groups->elements) {
    bool lag_unknown = false;
    std::string delivered;
    for (size_t i = 0; i + 1 < group.elements.size(); i += 2) {
      const std::string& name = group.elements[i].str;
      const wahana::RedisReply& value = group.elements[i + 1];
      if (name == "lag" && value.is_nil()) lag_unknown = true;
      if (name == "lag" || name == "pending") owed += value.integer;
      if (name == "last-delivered-id") delivered = value.str;
    }
    if (lag_unknown && delivered != last_id) ++owed;
  }
  return owed;
}

// The reporting group's lag and pending, as the service reports them.
absl::StatusOr<long> ReportingOwes(rep::ReportingService::Stub& reporting) {
  rep::ReportingStatus status;
  grpc::ClientContext context;
  grpc::Status answer = reporting.GetReportingStatus(WithDeadline(&context),
                                                     rep::GetReportingStatusRequest(), &status);
  if (!answer.ok()) return absl::UnavailableError("GetReportingStatus: " + Describe(answer));
  long owed = 0;
  for (const rep::ConsumerStatus& consumer : status.consumers()) {
    owed += consumer.lag() + consumer.pending();
  }
  return owed;
}

// Waits until the reporting service and every other group of the case stream (the event
// service's) have applied everything: a query timed while a consumer still works would measure
// that work too.
absl::Status WaitCaughtUp(wahana::RedisClient& redis, rep::ReportingService::Stub& reporting,
                          const std::string& region) {
  const Clock::time_point limit = Clock::now() + kCatchUpLimit;
  for (;;) {
    absl::StatusOr<long> reporting_owes = ReportingOwes(reporting);
    if (!reporting_owes.ok()) return reporting_owes.status();
    absl::StatusOr<long> groups_owe = GroupsOwe(redis, wahana::CaseStreamKey(region));
    if (!groups_owe.ok()) return groups_owe.status();
    if (*reporting_owes == 0 && *groups_owe == 0) return absl::OkStatus();
    if (Clock::now() > limit) {
      return absl::DeadlineExceededError(absl::StrCat(
          "consumers still owe ", *groups_owe, " messages (reporting ", *reporting_owes, ")"));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

// One GetCaseReport; its total (ADMIN: never suppressed) in `total`.
grpc::Status Report(rep::ReportingService::Stub& reporting, const std::string& region,
                    const std::string& period, const std::string& group_by, rep::CaseReport* out) {
  rep::GetCaseReportRequest request;
  request.set_region(region);
  request.set_period(period);
  request.set_group_by(group_by);
  grpc::ClientContext context;
  return reporting.GetCaseReport(WithDeadline(&context), request, out);
}

long CountOf(const std::string& text) {
  long n = 0;
  return absl::SimpleAtoi(text, &n) ? n : -1;
}

// The village-month cells the year's pivot reads (SCARD of each month's village set).
long PivotCells(wahana::RedisClient& redis, const std::string& region, int year) {
  std::vector<std::vector<std::string>> cards;
  for (int month = 1; month <= 12; ++month) {
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02d", year, month);
    cards.push_back({"SCARD", wahana::CaseCellVillagesKey(region, text)});
  }
  absl::StatusOr<std::vector<wahana::RedisReply>> replies = redis.Pipeline(cards);
  long cells = 0;
  if (replies.ok()) {
    for (const wahana::RedisReply& r : *replies) cells += r.integer;
  }
  return cells;
}

// Brings the year's pivot to `options.cases` bulk cases; writes `written`, `write_s`, `catchup_s`.
absl::Status LoadCases(wahana::RedisClient& redis, reg::RegistryService::Stub& registry,
                       rep::ReportingService::Stub& reporting, const Options& options,
                       long* written, double* write_s, double* catchup_s) {
  const int year = LastYear();
  absl::StatusOr<std::vector<std::string>> villages = Villages(registry, options.region);
  if (!villages.ok()) return villages.status();
  // What the pivot counts now (an earlier run's cases, or this run's smaller size).
  absl::Status caught_up = WaitCaughtUp(redis, reporting, options.region);
  if (!caught_up.ok()) return caught_up;
  rep::CaseReport before;
  grpc::Status read = Report(reporting, options.region, std::to_string(year), "month", &before);
  if (!read.ok()) return absl::UnavailableError("GetCaseReport: " + Describe(read));
  const long have = CountOf(before.total());
  *written = std::max(0L, options.cases - have);
  Clock::time_point start = Clock::now();
  absl::Status wrote = WriteBulkCases(redis, options.region, *villages, year, have, *written);
  if (!wrote.ok()) return wrote;
  *write_s = MicrosSince(start) / 1e6;
  start = Clock::now();
  caught_up = WaitCaughtUp(redis, reporting, options.region);
  *catchup_s = MicrosSince(start) / 1e6;
  return caught_up;
}

int Pivot(wahana::RedisClient& redis, reg::RegistryService::Stub& registry,
          rep::ReportingService::Stub& reporting, const Options& options) {
  long written = 0;
  double write_s = 0, catchup_s = 0;
  absl::Status loaded =
      LoadCases(redis, registry, reporting, options, &written, &write_s, &catchup_s);
  if (!loaded.ok()) {
    std::fprintf(stderr, "reporting_bench: loading cases: %s\n", loaded.ToString().c_str());
    return 1;
  }
  const std::string period = std::to_string(LastYear());
  const std::vector<std::string> groupings = {"category", "region", "month"};
  std::vector<std::vector<double>> latencies(groupings.size());
  std::vector<double> all;
  int errors = 0;
  long total = -1;
  std::string first_error;
  const double reporting_cpu = ProcessCpuSeconds(options.reporting_pid);
  const double redis_cpu = RedisCpuSeconds(redis);
  const Clock::time_point end = Clock::now() + std::chrono::seconds(options.seconds);
  for (size_t n = 0; Clock::now() < end; ++n) {
    const size_t g = n % groupings.size();
    rep::CaseReport report;
    const Clock::time_point start = Clock::now();
    grpc::Status status = Report(reporting, options.region, period, groupings[g], &report);
    const double us = MicrosSince(start);
    if (!status.ok()) {
      if (errors++ == 0) first_error = Describe(status);
      continue;
    }
    latencies[g].push_back(us);
    all.push_back(us);
    total = CountOf(report.total());
  }
  const double reporting_cpu_us = (ProcessCpuSeconds(options.reporting_pid) - reporting_cpu) * 1e6 /
                                  std::max<size_t>(1, all.size());
  const double redis_cpu_us =
      (RedisCpuSeconds(redis) - redis_cpu) * 1e6 / std::max<size_t>(1, all.size());
  for (auto& l : latencies) std::sort(l.begin(), l.end());
  std::sort(all.begin(), all.end());
  std::printf(
      "pivot cases=%ld written=%ld write_s=%.1f catchup_s=%.1f cells=%ld queries=%zu p50_us=%.0f "
      "p99_us=%.0f category_p99_us=%.0f region_p99_us=%.0f month_p99_us=%.0f errors=%d",
      total, written, write_s, catchup_s, PivotCells(redis, options.region, LastYear()), all.size(),
      Percentile(all, 0.50), Percentile(all, 0.99), Percentile(latencies[0], 0.99),
      Percentile(latencies[1], 0.99), Percentile(latencies[2], 0.99), errors);
  if (options.reporting_pid > 0) {
    std::printf(" reporting_cpu_us=%.0f redis_cpu_us=%.0f", reporting_cpu_us, redis_cpu_us);
  }
  std::printf("\n");
  if (!first_error.empty())
    std::fprintf(stderr, "reporting_bench: first error: %s\n", first_error.c_str());
  return 0;
}

// CreateCase at `rate` per second (open loop: a call is due every 1/rate s whatever the answers),
// on a thread of its own until Stop(); at most kLoadMaxInFlight in flight (a due call beyond that
// is dropped and counted, so an overloaded service shows as a lower achieved rate).
class SteadyLoad {
 public:
  SteadyLoad(cases::CaseService::Stub& stub, std::vector<std::string> subjects, double rate)
      : stub_(stub), subjects_(std::move(subjects)), rate_(rate) {}
  ~SteadyLoad() { Stop(); }

  void Start() {
    start_ = Clock::now();
    thread_ = std::thread([this] { Pace(); });
  }
  void Stop() {
    if (!thread_.joinable()) return;
    stop_ = true;
    thread_.join();
    elapsed_s_ = MicrosSince(start_) / 1e6;
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(this, &SteadyLoad::Drained));
  }
  double achieved() const { return ok_ / elapsed_s_; }
  long errors() const { return errors_ + dropped_; }

 private:
  void Pace() {
    for (long n = 0; !stop_; ++n) {
      std::this_thread::sleep_until(start_ +
                                    std::chrono::microseconds(static_cast<long>(n * 1e6 / rate_)));
      {
        absl::MutexLock lock(&mu_);
        if (in_flight_ >= kLoadMaxInFlight) {
          ++dropped_;
          continue;
        }
        ++in_flight_;
      }
      wahana::bench::SendAsync(stub_.async(), &cases::CaseService::Stub::async::CreateCase,
                               wahana::bench::ElderlyCase(subjects_[n % subjects_.size()]),
                               [this](const grpc::Status& status, cases::Case&) {
                                 status.ok() ? ++ok_ : ++errors_;
                                 absl::MutexLock lock(&mu_);
                                 --in_flight_;
                               });
    }
  }
  bool Drained() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return in_flight_ == 0; }

  cases::CaseService::Stub& stub_;
  const std::vector<std::string> subjects_;
  const double rate_;
  Clock::time_point start_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<long> ok_{0}, errors_{0}, dropped_{0};
  double elapsed_s_ = 1;
  absl::Mutex mu_;
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
};

// CreateCase capacity: case_bench's create-case loop (50 in flight for `seconds`).
double CreateCapacity(cases::CaseService::Stub& stub, const std::vector<std::string>& subjects,
                      int seconds) {
  std::atomic<long> next{0};
  wahana::bench::ClosedLoop loop(50, seconds, [&](int, wahana::bench::ClosedLoop::Finish finish) {
    wahana::bench::SendAsync(
        stub.async(), &cases::CaseService::Stub::async::CreateCase,
        wahana::bench::ElderlyCase(subjects[next++ % subjects.size()]),
        [finish](const grpc::Status& status, cases::Case&) { finish(status); });
    return true;
  });
  loop.Run();
  return loop.rate();
}

// The probes' village: the first of the deployment's last kecamatan (the loads use 16.06.01).
absl::StatusOr<std::string> ProbeVillage(reg::RegistryService::Stub& registry,
                                         const std::string& region) {
  absl::StatusOr<std::vector<std::string>> villages = Villages(registry, region);
  if (!villages.ok()) return villages.status();
  const std::string last_subdistrict = villages->back().substr(0, villages->back().rfind('.'));
  for (const std::string& v : *villages) {
    if (v.rfind(last_subdistrict + ".", 0) == 0) return v;
  }
  return villages->back();
}

// The probe category's count in `village` this year; -1 when the answer has no such row.
absl::StatusOr<long> ProbeCount(rep::ReportingService::Stub& reporting,
                                const std::string& village) {
  rep::CaseReport report;
  grpc::Status status = Report(reporting, village, std::to_string(ThisYear()), "category", &report);
  if (!status.ok()) return absl::UnavailableError("GetCaseReport: " + Describe(status));
  for (const rep::CaseReportRow& row : report.rows()) {
    if (row.key() == wahana::common::v1::PpksCategory_Name(kProbeCategory)) {
      return CountOf(row.count());
    }
  }
  return 0;
}

struct ProbeResult {
  double delay_us = 0, create_us = 0;
  int polls = 0;
};

// One probe: a create, then reports until the count passes `before`.
absl::StatusOr<ProbeResult> Probe(cases::CaseService::Stub& case_stub,
                                  rep::ReportingService::Stub& reporting,
                                  const std::string& village, long before) {
  cases::CreateCaseRequest request;
  cases::Case* c = request.mutable_case_();
  c->set_category(kProbeCategory);
  c->set_kind(cases::INDIVIDUAL);
  c->set_village_code(village);
  c->set_summary("Probe: warga komunitas adat terpencil memerlukan pendampingan.");
  c->mutable_reporter()->set_kind(cases::Reporter::PUBLIC);
  ProbeResult result;
  const Clock::time_point start = Clock::now();
  cases::Case created;
  grpc::ClientContext context;
  grpc::Status status = case_stub.CreateCase(WithDeadline(&context), request, &created);
  if (!status.ok()) return absl::UnavailableError("CreateCase: " + Describe(status));
  result.create_us = MicrosSince(start);
  while (Clock::now() - start < kProbeLimit) {
    absl::StatusOr<long> count = ProbeCount(reporting, village);
    ++result.polls;
    if (!count.ok()) return count.status();
    if (*count > before) {
      result.delay_us = MicrosSince(start);
      return result;
    }
  }
  return absl::DeadlineExceededError("the probe did not show within 10 s");
}

// A series of probes, one after another, and what they showed.
struct ProbeSeries {
  std::vector<double> delays_us, creates_us;  // sorted once Run() returns
  int polls = 0, failed = 0;
  std::string first_error;

  // Stops early after kGiveUpAfter failures in a row: the consumer has fallen behind, and each
  // further probe would only wait out its limit.
  void Run(cases::CaseService::Stub& case_stub, rep::ReportingService::Stub& reporting,
           const std::string& village, int probes) {
    constexpr int kGiveUpAfter = 3;
    int failed_in_a_row = 0;
    absl::StatusOr<long> count = ProbeCount(reporting, village);
    for (int n = 0; n < probes && count.ok() && failed_in_a_row < kGiveUpAfter; ++n) {
      // A pause between probes, varied so they do not beat with the load's pacing.
      std::this_thread::sleep_for(std::chrono::milliseconds(10 + n * 7 % 23));
      absl::StatusOr<ProbeResult> probe = Probe(case_stub, reporting, village, *count);
      if (!probe.ok()) {
        if (failed++ == 0) first_error = probe.status().ToString();
        ++failed_in_a_row;
        count = ProbeCount(reporting, village);
        continue;
      }
      failed_in_a_row = 0;
      delays_us.push_back(probe->delay_us);
      creates_us.push_back(probe->create_us);
      polls += probe->polls;
      *count += 1;
    }
    if (!count.ok() && first_error.empty()) first_error = count.status().ToString();
    std::sort(delays_us.begin(), delays_us.end());
    std::sort(creates_us.begin(), creates_us.end());
  }

  // "probes=<n> p50_us=... p99_us=... max_us=... create_p50_us=... polls_per_probe=... failed=<n>"
  std::string Figures() const {
    char text[200];
    std::snprintf(text, sizeof text,
                  "probes=%zu p50_us=%.0f p99_us=%.0f max_us=%.0f create_p50_us=%.0f "
                  "polls_per_probe=%.1f failed=%d",
                  delays_us.size(), Percentile(delays_us, 0.50), Percentile(delays_us, 0.99),
                  delays_us.empty() ? 0.0 : delays_us.back(), Percentile(creates_us, 0.50),
                  delays_us.empty() ? 0.0 : static_cast<double>(polls) / delays_us.size(), failed);
    return text;
  }
};

// The entries the reporting group has read from the case stream so far (XINFO GROUPS
// entries-read); -1 when Redis cannot tell.
long ReportingEntriesRead(wahana::RedisClient& redis, const std::string& region) {
  absl::StatusOr<wahana::RedisReply> groups =
      redis.Command({"XINFO", "GROUPS", wahana::CaseStreamKey(region)});
  if (!groups.ok()) return -1;
  for (const wahana::RedisReply& group : groups->elements) {
    long read = -1;
    bool reporting = false;
    for (size_t i = 0; i + 1 < group.elements.size(); i += 2) {
      if (group.elements[i].str == "name") reporting = group.elements[i + 1].str == "reporting";
      if (group.elements[i].str == "entries-read") read = group.elements[i + 1].integer;
    }
    if (reporting) return read;
  }
  return -1;
}

int Delay(wahana::RedisClient& redis, cases::CaseService::Stub& case_stub,
          reg::BeneficiaryService::Stub& beneficiaries, reg::RegistryService::Stub& registry,
          rep::ReportingService::Stub& reporting, const Options& options) {
  std::vector<std::string> subjects;
  grpc::Status made = wahana::bench::EnsureBeneficiaries(
      beneficiaries, wahana::bench::kReportingBenchSubjects, &subjects);
  if (!made.ok()) {
    std::fprintf(stderr, "reporting_bench: beneficiaries: %s\n", Describe(made).c_str());
    return 1;
  }
  absl::StatusOr<std::string> village = ProbeVillage(registry, options.region);
  if (!village.ok()) {
    std::fprintf(stderr, "reporting_bench: %s\n", village.status().ToString().c_str());
    return 1;
  }
  // Without load first: the delay's floor, for telling the path from the queueing.
  ProbeSeries idle;
  idle.Run(case_stub, reporting, *village, options.idle_probes);
  std::printf("delay-idle %s\n", idle.Figures().c_str());

  const double capacity = CreateCapacity(case_stub, subjects, options.seconds);
  absl::Status caught_up = WaitCaughtUp(redis, reporting, options.region);
  if (!caught_up.ok()) {
    std::fprintf(stderr, "reporting_bench: after the capacity run: %s\n",
                 caught_up.ToString().c_str());
    return 1;
  }
  const double rate = capacity * options.load_percent / 100;
  SteadyLoad load(case_stub, subjects, rate);
  const long read_before = ReportingEntriesRead(redis, options.region);
  const Clock::time_point start = Clock::now();
  load.Start();
  ProbeSeries loaded;
  loaded.Run(case_stub, reporting, *village, options.probes);
  load.Stop();
  const double load_s = MicrosSince(start) / 1e6;
  const double applied_per_s = (ReportingEntriesRead(redis, options.region) - read_before) / load_s;
  absl::StatusOr<long> lag = ReportingOwes(reporting);
  std::printf(
      "delay capacity=%.0f load_rate=%.0f load_achieved=%.0f load_errors=%ld load_s=%.1f "
      "consumer_read_per_s=%.0f lag_after=%ld %s village=%s\n",
      capacity, rate, load.achieved(), load.errors(), load_s, applied_per_s, lag.ok() ? *lag : -1L,
      loaded.Figures().c_str(), village->c_str());
  for (const ProbeSeries* series : {&idle, &loaded}) {
    if (!series->first_error.empty()) {
      std::fprintf(stderr, "reporting_bench: first error: %s\n", series->first_error.c_str());
    }
  }
  return loaded.delays_us.empty() ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  wahana::bench::Flags flags(argc, argv,
                             {"method", "target", "case", "registry", "cases", "seconds", "probes",
                              "idle-probes", "load-percent", "reporting-pid"});
  Options options;
  const std::string method = flags.String("method");
  options.target = flags.String("target");
  options.case_target = flags.String("case");
  options.registry = flags.String("registry");
  options.cases = flags.Int("cases", options.cases, 0, 100000000);
  options.seconds = flags.Int("seconds", options.seconds, 1, 24 * 3600);
  options.probes = flags.Int("probes", options.probes, 1, 100000);
  options.idle_probes = flags.Int("idle-probes", options.idle_probes, 0, 100000);
  options.load_percent = flags.Int("load-percent", options.load_percent, 1, 100);
  options.reporting_pid = flags.Int("reporting-pid", 0, 0, 1 << 30);
  wahana::EnvReader env;
  options.region = env.RegionCode("WAHANA_REGION");
  wahana::RedisOptions redis_options = wahana::ReadRedisOptions(env);
  if (!flags.Finish().ok() || !env.Finish().ok() || (method != "pivot" && method != "delay") ||
      options.target.empty() || options.registry.empty() ||
      (method == "delay" && options.case_target.empty())) {
    for (const absl::Status& bad : {flags.Finish(), env.Finish()}) {
      if (!bad.ok()) std::fprintf(stderr, "%s\n", bad.ToString().c_str());
    }
    std::fprintf(stderr,
                 "--method=pivot --target=H:P --registry=H:P [--cases=1000] [--seconds=10] "
                 "[--reporting-pid=PID]\n"
                 "--method=delay --target=H:P --case=H:P --registry=H:P [--seconds=10] "
                 "[--probes=200] [--idle-probes=50] [--load-percent=50]\n");
    return 2;
  }
  absl::StatusOr<std::shared_ptr<const wahana::TokenSource>> tokens =
      wahana::bench::AdminTokens("reporting");
  if (!tokens.ok()) {
    std::fprintf(stderr, "reporting_bench: %s\n", tokens.status().ToString().c_str());
    return 2;
  }
  absl::StatusOr<std::unique_ptr<wahana::RedisClient>> redis =
      wahana::ConnectWaiting(redis_options);
  if (!redis.ok()) {
    std::fprintf(stderr, "reporting_bench: Redis: %s\n", redis.status().ToString().c_str());
    return 1;
  }
  auto registry_channel = wahana::bench::Connect(options.registry, *tokens);
  auto registry = reg::RegistryService::NewStub(registry_channel);
  auto reporting = rep::ReportingService::NewStub(wahana::bench::Connect(options.target, *tokens));
  if (method == "pivot") return Pivot(**redis, *registry, *reporting, options);
  auto beneficiaries = reg::BeneficiaryService::NewStub(registry_channel);
  auto case_stub =
      cases::CaseService::NewStub(wahana::bench::Connect(options.case_target, *tokens));
  return Delay(**redis, *case_stub, *beneficiaries, *registry, *reporting, options);
}
