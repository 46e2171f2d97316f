// The event service's load generator (issue 12, "Measure"): the same closed loop as echo_bench.cc
// (each of `concurrency` slots starts its next call when the previous one finishes, every call on
// one channel through gRPC's callback API), so its figures compare with the echo's.
//
//   wahana_event_bench --method=register --target=H:P [--events=4] [--out=FILE] [common flags]
//       creates `events` events (capacity 0 = no limit, left PLANNED), then registers walk-ins
//       into them in turn, each with a NIK no other registration of the run has; prints
//       "register rate=<calls/s> p50_us=... p99_us=... errors=<n> calls=<ok>" and writes one
//       "<event id> <participant id>" line per registration to FILE (for prepare-check-in).
//   wahana_event_bench --method=prepare-check-in --target=H:P --in=FILE --out=CODES
//       opens each event of FILE (OpenEvent with its etag) and fetches every participant's code
//       (GetCheckInCode, 50 in flight, no time limit); prints "check-in-code rate=... calls=<n>"
//       and writes one "<event id> <code>" line per participant to CODES.
//   wahana_event_bench --method=check-in --target=H:P --in=CODES [common flags]
//       CheckInByCode of each code once, until the time is up or the codes run out; prints
//       "check-in rate=... p50_us=... p99_us=... errors=<n> calls=<ok> codes=<n> seconds=<s>".
//   wahana_event_bench --method=capacity --target=H:P [--runs=20] [--people=200] [--capacity=100]
//       per run, one event of `capacity` seats and `people` registrations all sent at once;
//       prints "capacity runs=<n> exact=<runs where exactly `capacity` got in>
//       accepted=<min>..<max> full=<refused as full> other=<any other answer>".
//
// Common flags: --concurrency=50 --seconds=10. prepare-check-in and check-in exit 3 with a
// "skipped:" line when the service answers UNIMPLEMENTED (a build without check-in codes).
// Authentication as case_bench's: tokens of an ADMIN of WAHANA_REGION signed with
// WAHANA_TOKEN_SIGNING_KEY_FILE (WAHANA_TOKEN_SECRET_FILE read too, as the services read it).
// Walk-ins need no registry call, so this measures the event service and Redis alone.

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/match.h"
#include "absl/synchronization/mutex.h"
#include "common/auth/auth_settings.h"
#include "common/auth/bearer_channel.h"
#include "common/auth/principal.h"
#include "common/config/env_reader.h"
#include "wahana/event/v1/event.grpc.pb.h"

namespace {

namespace pb = wahana::event::v1;
using Clock = std::chrono::steady_clock;
using EventAsync = class pb::EventService::Stub::async;

constexpr auto kCallDeadline = std::chrono::seconds(5);
// Skipped: the service does not serve the method (exit status run.sh looks for).
constexpr int kSkipped = 3;

enum class Mode { kRegister, kPrepareCheckIn, kCheckIn, kCapacity };

struct Options {
  Mode mode = Mode::kRegister;
  std::string target, in, out;
  int concurrency = 50;
  int seconds = 10;
  int events = 4;
  int runs = 20, people = 200, capacity = 100;
};

std::string Describe(const grpc::Status& status) {
  return std::to_string(status.error_code()) + " " + status.error_message();
}

// One call in flight: owns its context, request and response until its callback has run.
template <typename Request, typename Response>
struct Pending {
  grpc::ClientContext context;
  Request request;
  Response response;
};

// Sends one call of `method`; `done(status, response)` runs on a gRPC thread once the call's own
// state is gone (the loop may end the run in `done`, and main must not outlive a context).
template <typename Request, typename Response, typename Done>
void Send(pb::EventService::Stub& stub,
          void (EventAsync::*method)(grpc::ClientContext*, const Request*, Response*,
                                     std::function<void(grpc::Status)>),
          Request request, Done done) {
  auto* call = new Pending<Request, Response>();
  call->context.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
  call->request = std::move(request);
  (stub.async()->*method)(&call->context, &call->request, &call->response,
                          [call, done = std::move(done)](grpc::Status status) {
                            Response response = std::move(call->response);
                            delete call;
                            done(status, response);
                          });
}

// The closed loop: `issue(finish)` starts one operation and calls `finish(status)` when it is
// over, or returns false when there is nothing left to start.
class ClosedLoop {
 public:
  using Finish = std::function<void(const grpc::Status&)>;
  using Issue = std::function<bool(Finish)>;

  ClosedLoop(int concurrency, int seconds, Issue issue)
      : concurrency_(concurrency), seconds_(seconds), issue_(std::move(issue)) {}

  void Run() {
    start_ = Clock::now();
    end_ = start_ + std::chrono::seconds(seconds_);
    {
      absl::MutexLock lock(&mu_);
      in_flight_ = concurrency_;
    }
    for (int slot = 0; slot < concurrency_; ++slot) Start();
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(this, &ClosedLoop::Drained));
    elapsed_s_ = std::chrono::duration<double>(Clock::now() - start_).count();
  }

  // "rate=... p50_us=... p99_us=... errors=... calls=..."
  std::string Figures() {
    absl::MutexLock lock(&mu_);
    std::sort(latencies_us_.begin(), latencies_us_.end());
    auto pct = [&](double p) {
      return latencies_us_.empty()
                 ? 0.0
                 : latencies_us_[static_cast<size_t>(p * (latencies_us_.size() - 1))];
    };
    char text[160];
    std::snprintf(text, sizeof text, "rate=%.0f p50_us=%.0f p99_us=%.0f errors=%d calls=%zu",
                  latencies_us_.size() / elapsed_s_, pct(0.50), pct(0.99), errors_,
                  latencies_us_.size());
    return text;
  }
  size_t ok() {
    absl::MutexLock lock(&mu_);
    return latencies_us_.size();
  }
  int errors() {
    absl::MutexLock lock(&mu_);
    return errors_;
  }
  grpc::Status first_error() {
    absl::MutexLock lock(&mu_);
    return first_error_;
  }
  double elapsed_s() {
    absl::MutexLock lock(&mu_);
    return elapsed_s_;
  }

 private:
  // A slot counts as in flight from its first start until it finds nothing more to do, so the
  // run cannot look drained between one call's end and the next one's start.
  void Start() {
    const Clock::time_point started = Clock::now();
    const bool issued = issue_([this, started](const grpc::Status& status) {
      const Clock::time_point now = Clock::now();
      const bool again = now < end_;
      {
        absl::MutexLock lock(&mu_);
        if (status.ok()) {
          latencies_us_.push_back(std::chrono::duration<double, std::micro>(now - started).count());
        } else if (errors_++ == 0) {
          first_error_ = status;
        }
        if (!again) --in_flight_;
      }
      if (again) Start();
    });
    if (!issued) {
      absl::MutexLock lock(&mu_);
      --in_flight_;
    }
  }

  bool Drained() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return in_flight_ == 0; }

  const int concurrency_, seconds_;
  const Issue issue_;
  Clock::time_point start_, end_;
  absl::Mutex mu_;
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  int errors_ ABSL_GUARDED_BY(mu_) = 0;
  grpc::Status first_error_ ABSL_GUARDED_BY(mu_);
  std::vector<double> latencies_us_ ABSL_GUARDED_BY(mu_);
  double elapsed_s_ ABSL_GUARDED_BY(mu_) = 1;
};

// The n-th walk-in's NIK: kecamatan 160601, a birth date and a serial (never 0000) that no
// smaller n shares, for the first 336 million n.
std::string WalkInNik(long n) {
  const long serial = 1 + n % 9999, d = n / 9999;
  char nik[32];
  std::snprintf(nik, sizeof nik, "160601%02ld%02ld%02ld%04ld", 1 + d % 28, 1 + d / 28 % 12,
                d / 336 % 100, serial);
  return nik;
}

pb::RegisterParticipantRequest WalkIn(const std::string& event_id, long n) {
  pb::RegisterParticipantRequest request;
  request.set_event_id(event_id);
  pb::Participant::WalkIn* w = request.mutable_participant()->mutable_walk_in();
  w->set_full_name("Peserta Bench " + std::to_string(n));
  w->set_nik(WalkInNik(n));
  w->set_affiliation("Karang Taruna Desa Soak Baru");
  return request;
}

// A PLANNED event in kecamatan 16.06.01 that began an hour ago and ends in 12 hours (so its
// check-in codes are valid for the whole run).
grpc::Status CreateEvent(pb::EventService::Stub& stub, int capacity, std::string* id) {
  pb::CreateEventRequest request;
  pb::Event* e = request.mutable_event();
  e->set_kind(pb::SOSIALISASI);
  e->set_title("Sosialisasi Penumbuhan WKSBM (benchmark)");
  e->set_region_code("16.06.01");
  e->set_venue("Balai Desa Soak Baru");
  e->set_organised_by_office(true);
  e->set_capacity(capacity);
  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  e->mutable_start_time()->set_seconds(now - 3600);
  e->mutable_end_time()->set_seconds(now + 12 * 3600);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
  pb::Event created;
  grpc::Status status = stub.CreateEvent(&context, request, &created);
  *id = created.id();
  return status;
}

grpc::Status OpenEvent(pb::EventService::Stub& stub, const std::string& id) {
  pb::GetEventRequest get;
  get.set_id(id);
  pb::Event event;
  grpc::ClientContext read;
  read.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
  grpc::Status status = stub.GetEvent(&read, get, &event);
  if (!status.ok() || event.status() == pb::Event::OPEN) return status;
  pb::EventStepRequest open;
  open.set_id(id);
  open.set_etag(event.etag());
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
  return stub.OpenEvent(&context, open, &event);
}

// Pairs of words, one pair a line: (event id, participant id) or (event id, code).
std::vector<std::pair<std::string, std::string>> ReadPairs(const std::string& path) {
  std::vector<std::pair<std::string, std::string>> pairs;
  std::ifstream in(path);
  std::string a, b;
  while (in >> a >> b) pairs.emplace_back(std::move(a), std::move(b));
  return pairs;
}

bool WritePairs(const std::string& path,
                const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::ofstream out(path, std::ios::trunc);
  for (const auto& [a, b] : pairs) out << a << ' ' << b << '\n';
  return static_cast<bool>(out);
}

int Fail(const char* what, const std::string& message) {
  std::fprintf(stderr, "event_bench: %s: %s\n", what, message.c_str());
  return 1;
}

// The end of a measured loop: its line, and the first error on stderr.
void Report(const char* name, ClosedLoop& loop, const std::string& extra = "") {
  std::printf("%s %s%s\n", name, loop.Figures().c_str(), extra.c_str());
  if (loop.errors() > 0) {
    std::fprintf(stderr, "event_bench: %s: first error: %s\n", name,
                 Describe(loop.first_error()).c_str());
  }
}

// True (after printing the "skipped:" line) when every call was answered UNIMPLEMENTED.
bool Unimplemented(const char* method, ClosedLoop& loop) {
  if (loop.ok() > 0 || loop.first_error().error_code() != grpc::StatusCode::UNIMPLEMENTED) {
    return false;
  }
  std::printf("skipped: the event service answers %s with UNIMPLEMENTED\n", method);
  return true;
}

int Register(pb::EventService::Stub& stub, const Options& options) {
  std::vector<std::string> events(options.events);
  for (std::string& id : events) {
    grpc::Status status = CreateEvent(stub, /*capacity=*/0, &id);
    if (!status.ok()) return Fail("creating an event", Describe(status));
  }
  std::atomic<long> next{0};
  absl::Mutex mu;
  std::vector<std::pair<std::string, std::string>> registered;
  ClosedLoop loop(options.concurrency, options.seconds, [&](ClosedLoop::Finish finish) {
    const long n = next++;
    Send(stub, &EventAsync::RegisterParticipant, WalkIn(events[n % events.size()], n),
         [&, finish](const grpc::Status& status, pb::Participant& p) {
           if (status.ok()) {
             absl::MutexLock lock(&mu);
             registered.emplace_back(p.event_id(), p.id());
           }
           finish(status);
         });
    return true;
  });
  loop.Run();
  Report("register", loop);
  if (!options.out.empty() && !WritePairs(options.out, registered)) {
    return Fail("writing", options.out);
  }
  return 0;
}

int PrepareCheckIn(pb::EventService::Stub& stub, const Options& options) {
  const auto participants = ReadPairs(options.in);
  if (participants.empty()) return Fail("reading participants", options.in + " holds none");
  std::map<std::string, bool> events;
  for (const auto& [event_id, id] : participants) events[event_id] = true;
  for (const auto& [event_id, unused] : events) {
    grpc::Status status = OpenEvent(stub, event_id);
    if (!status.ok()) return Fail("opening an event", Describe(status));
  }
  std::atomic<size_t> next{0};
  absl::Mutex mu;
  std::vector<std::pair<std::string, std::string>> codes;
  // No time limit: every participant gets its code.
  ClosedLoop loop(options.concurrency, 24 * 3600, [&](ClosedLoop::Finish finish) {
    const size_t n = next++;
    if (n >= participants.size()) return false;
    pb::GetCheckInCodeRequest request;
    request.set_event_id(participants[n].first);
    request.set_id(participants[n].second);
    Send(stub, &EventAsync::GetCheckInCode, std::move(request),
         [&, finish](const grpc::Status& status, pb::CheckInCode& code) {
           if (status.ok()) {
             absl::MutexLock lock(&mu);
             codes.emplace_back(code.event_id(), code.code());
           }
           finish(status);
         });
    return true;
  });
  loop.Run();
  if (Unimplemented("GetCheckInCode", loop)) return kSkipped;
  Report("check-in-code", loop);
  if (!WritePairs(options.out, codes)) return Fail("writing", options.out);
  return 0;
}

int CheckIn(pb::EventService::Stub& stub, const Options& options) {
  const auto codes = ReadPairs(options.in);
  if (codes.empty()) return Fail("reading codes", options.in + " holds none");
  std::atomic<size_t> next{0};
  ClosedLoop loop(options.concurrency, options.seconds, [&](ClosedLoop::Finish finish) {
    const size_t n = next++;
    if (n >= codes.size()) return false;
    pb::CheckInByCodeRequest request;
    request.set_event_id(codes[n].first);
    request.set_code(codes[n].second);
    Send(stub, &EventAsync::CheckInByCode, std::move(request),
         [finish](const grpc::Status& status, pb::Participant& p) {
           // A first check-in answers the participant with its time, checked in by code.
           if (status.ok() &&
               (!p.has_check_in_time() || p.check_in_method() != pb::Participant::BY_CODE)) {
             finish(grpc::Status(grpc::StatusCode::INTERNAL, "answered without a check-in"));
             return;
           }
           finish(status);
         });
    return true;
  });
  loop.Run();
  if (Unimplemented("CheckInByCode", loop)) return kSkipped;
  char extra[64];
  std::snprintf(extra, sizeof extra, " codes=%zu seconds=%.1f", codes.size(), loop.elapsed_s());
  Report("check-in", loop, extra);
  return 0;
}

// 200 registrations at once against 100 seats: exactly 100 get in, every run.
int Capacity(pb::EventService::Stub& stub, const Options& options) {
  int exact = 0, min_accepted = options.people, max_accepted = 0;
  long full = 0, other = 0;
  std::string first_other;
  for (int run = 0; run < options.runs; ++run) {
    std::string event_id;
    const grpc::Status created = CreateEvent(stub, options.capacity, &event_id);
    if (!created.ok()) return Fail("creating an event", Describe(created));
    std::atomic<long> next{0}, accepted{0}, refused{0}, odd{0};
    absl::Mutex mu;
    // Every registration in flight at once; seconds=0: nobody starts a second one.
    ClosedLoop loop(options.people, 0, [&](ClosedLoop::Finish finish) {
      Send(stub, &EventAsync::RegisterParticipant, WalkIn(event_id, next++),
           [&, finish](const grpc::Status& status, pb::Participant&) {
             if (status.ok()) {
               ++accepted;
             } else if (status.error_code() == grpc::StatusCode::FAILED_PRECONDITION &&
                        absl::StrContains(status.error_message(), "full")) {
               ++refused;
             } else {
               ++odd;
               absl::MutexLock lock(&mu);
               if (first_other.empty()) first_other = Describe(status);
             }
             finish(status);
           });
      return true;
    });
    loop.Run();
    if (accepted == options.capacity && refused == options.people - options.capacity) ++exact;
    min_accepted = std::min(min_accepted, static_cast<int>(accepted.load()));
    max_accepted = std::max(max_accepted, static_cast<int>(accepted.load()));
    full += refused;
    other += odd;
  }
  std::printf("capacity runs=%d exact=%d accepted=%d..%d full=%ld other=%ld people=%d seats=%d\n",
              options.runs, exact, min_accepted, max_accepted, full, other, options.people,
              options.capacity);
  if (!first_other.empty())
    std::fprintf(stderr, "event_bench: capacity: %s\n", first_other.c_str());
  return exact == options.runs ? 0 : 1;
}

// Tokens of an ADMIN of the deployment's region (as case_bench's).
absl::StatusOr<std::shared_ptr<const wahana::TokenSource>> AdminTokens() {
  wahana::EnvReader env;
  std::string region = env.RegionCode("WAHANA_REGION");
  wahana::AuthSettings settings = wahana::ReadAuthSettings(env);
  absl::Status read = env.Finish();
  if (!read.ok()) return read;
  absl::StatusOr<wahana::AuthKeys> keys = wahana::LoadAuthKeys(settings);
  if (!keys.ok()) return keys.status();
  if (keys->issuer == nullptr) {
    return absl::InvalidArgumentError("WAHANA_TOKEN_SIGNING_KEY_FILE is required (an ADMIN token)");
  }
  wahana::Principal admin;
  admin.subject = "bench:event";
  admin.display_name = "wahana_event_bench";
  admin.role = wahana::Role::kAdmin;
  admin.region_scope = region;
  return std::make_shared<const wahana::TokenSource>(keys->issuer, std::move(admin));
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  bool mode_set = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](const char* prefix) { return arg.substr(std::strlen(prefix)); };
    auto has = [&](const char* prefix) { return arg.rfind(prefix, 0) == 0; };
    if (has("--method=")) {
      const std::string method = value("--method=");
      mode_set = true;
      if (method == "register")
        options.mode = Mode::kRegister;
      else if (method == "prepare-check-in")
        options.mode = Mode::kPrepareCheckIn;
      else if (method == "check-in")
        options.mode = Mode::kCheckIn;
      else if (method == "capacity")
        options.mode = Mode::kCapacity;
      else
        mode_set = false;
    } else if (has("--target="))
      options.target = value("--target=");
    else if (has("--in="))
      options.in = value("--in=");
    else if (has("--out="))
      options.out = value("--out=");
    else if (has("--concurrency="))
      options.concurrency = std::stoi(value("--concurrency="));
    else if (has("--seconds="))
      options.seconds = std::stoi(value("--seconds="));
    else if (has("--events="))
      options.events = std::stoi(value("--events="));
    else if (has("--runs="))
      options.runs = std::stoi(value("--runs="));
    else if (has("--people="))
      options.people = std::stoi(value("--people="));
    else if (has("--capacity="))
      options.capacity = std::stoi(value("--capacity="));
    else {
      std::fprintf(stderr, "unknown argument %s\n", argv[i]);
      return 2;
    }
  }
  const bool needs_in = options.mode == Mode::kPrepareCheckIn || options.mode == Mode::kCheckIn;
  if (!mode_set || options.target.empty() || options.concurrency < 1 || options.seconds < 1 ||
      options.events < 1 || options.runs < 1 || options.people < 1 || options.capacity < 1 ||
      (needs_in && options.in.empty()) ||
      (options.mode == Mode::kPrepareCheckIn && options.out.empty())) {
    std::fprintf(stderr,
                 "--method=register|prepare-check-in|check-in|capacity --target=H:P "
                 "[--concurrency=50] [--seconds=10] [--events=4] [--in=FILE] [--out=FILE] "
                 "[--runs=20] [--people=200] [--capacity=100]\n");
    return 2;
  }

  absl::StatusOr<std::shared_ptr<const wahana::TokenSource>> tokens = AdminTokens();
  if (!tokens.ok()) return Fail("authentication", std::string(tokens.status().message()));
  auto stub = pb::EventService::NewStub(
      wahana::CreateAuthorizedChannel(options.target, grpc::ChannelArguments(), *tokens));
  switch (options.mode) {
    case Mode::kRegister:
      return Register(*stub, options);
    case Mode::kPrepareCheckIn:
      return PrepareCheckIn(*stub, options);
    case Mode::kCheckIn:
      return CheckIn(*stub, options);
    case Mode::kCapacity:
      return Capacity(*stub, options);
  }
  return 2;
}
