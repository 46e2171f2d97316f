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

#include "absl/strings/match.h"
#include "absl/synchronization/mutex.h"
#include "bench_client.h"
#include "wahana/event/v1/event.grpc.pb.h"

namespace {

namespace pb = wahana::event::v1;
using wahana::bench::ClosedLoop;
using wahana::bench::Describe;
using wahana::bench::kCallDeadline;
using EventAsync = class pb::EventService::Stub::async;

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

// Sends one call of `method`; `done(status, response)` runs on a gRPC thread (bench_client.h).
template <typename Request, typename Response, typename Done>
void Send(pb::EventService::Stub& stub,
          wahana::bench::AsyncMethod<EventAsync, Request, Response> method, Request request,
          Done done) {
  wahana::bench::SendAsync(stub.async(), method, std::move(request), std::move(done));
}

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
  ClosedLoop loop(options.concurrency, options.seconds, [&](int, ClosedLoop::Finish finish) {
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
  ClosedLoop loop(options.concurrency, 24 * 3600, [&](int, ClosedLoop::Finish finish) {
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
  ClosedLoop loop(options.concurrency, options.seconds, [&](int, ClosedLoop::Finish finish) {
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
    ClosedLoop loop(options.people, 0, [&](int, ClosedLoop::Finish finish) {
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

}  // namespace

int main(int argc, char** argv) {
  wahana::bench::Flags flags(argc, argv,
                             {"method", "target", "in", "out", "concurrency", "seconds", "events",
                              "runs", "people", "capacity"});
  Options options;
  const std::string method = flags.String("method");
  options.target = flags.String("target");
  options.in = flags.String("in");
  options.out = flags.String("out");
  options.concurrency = flags.Int("concurrency", options.concurrency, 1, 10000);
  options.seconds = flags.Int("seconds", options.seconds, 1, 24 * 3600);
  options.events = flags.Int("events", options.events, 1, 10000);
  options.runs = flags.Int("runs", options.runs, 1, 10000);
  options.people = flags.Int("people", options.people, 1, 100000);
  options.capacity = flags.Int("capacity", options.capacity, 1, 100000);
  const std::map<std::string, Mode> modes = {{"register", Mode::kRegister},
                                             {"prepare-check-in", Mode::kPrepareCheckIn},
                                             {"check-in", Mode::kCheckIn},
                                             {"capacity", Mode::kCapacity}};
  const bool mode_known = modes.count(method) > 0;
  if (mode_known) options.mode = modes.at(method);
  const bool needs_in = options.mode == Mode::kPrepareCheckIn || options.mode == Mode::kCheckIn;
  if (!flags.Finish().ok() || !mode_known || options.target.empty() ||
      (needs_in && options.in.empty()) ||
      (options.mode == Mode::kPrepareCheckIn && options.out.empty())) {
    if (!flags.Finish().ok()) std::fprintf(stderr, "%s\n", flags.Finish().ToString().c_str());
    std::fprintf(stderr,
                 "--method=register|prepare-check-in|check-in|capacity --target=H:P "
                 "[--concurrency=50] [--seconds=10] [--events=4] [--in=FILE] [--out=FILE] "
                 "[--runs=20] [--people=200] [--capacity=100]\n");
    return 2;
  }

  absl::StatusOr<std::shared_ptr<const wahana::TokenSource>> tokens =
      wahana::bench::AdminTokens("event");
  if (!tokens.ok()) return Fail("authentication", std::string(tokens.status().message()));
  auto stub = pb::EventService::NewStub(wahana::bench::Connect(options.target, *tokens));
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
