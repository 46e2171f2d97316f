#pragma once
// What the load generators (case_bench, event_bench, reporting_bench) share: their command-line
// flags, their ADMIN tokens, one async call in flight, the closed loop and the percentiles they
// print. Nothing here is a test: the benches print figures and assert no timing.

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/auth/bearer_channel.h"

namespace wahana::bench {

using Clock = std::chrono::steady_clock;

constexpr auto kCallDeadline = std::chrono::seconds(5);

// "<code> <message>", for a bench's first-error line.
std::string Describe(const grpc::Status& status);

// Flags of the form --name=value (or a bare --name, value ""). Getters return the value or
// `fallback` when the flag is absent; a malformed number or out-of-range value is remembered and
// reported by Finish(), so a caller reads every flag and checks once (as EnvReader does).
class Flags {
 public:
  // Every argument must name one of `known` (without the dashes); others are reported by Finish().
  Flags(int argc, char** argv, const std::vector<std::string>& known);

  bool Has(const std::string& name) const { return values_.count(name) > 0; }
  std::string String(const std::string& name, const std::string& fallback = "") const;
  int Int(const std::string& name, int fallback, int min, int max);

  // OK, or INVALID_ARGUMENT naming every bad argument.
  absl::Status Finish() const;

 private:
  std::map<std::string, std::string> values_;
  std::vector<std::string> errors_;
};

// Tokens of an ADMIN of WAHANA_REGION signed with WAHANA_TOKEN_SIGNING_KEY_FILE
// (WAHANA_TOKEN_SECRET_FILE read too, as the services read it); `bench` names the subject
// ("bench:<bench>"). INVALID_ARGUMENT naming a bad or missing setting.
absl::StatusOr<std::shared_ptr<const TokenSource>> AdminTokens(const std::string& bench);

// A channel whose every call carries a token of `tokens`.
std::shared_ptr<grpc::Channel> Connect(const std::string& target,
                                       std::shared_ptr<const TokenSource> tokens);

// The p-th quantile (0..1) of `sorted` (ascending); 0 when empty.
double Percentile(const std::vector<double>& sorted, double p);

// One call in flight: owns its context, request and response until its callback has run.
template <typename Request, typename Response>
struct Pending {
  grpc::ClientContext context;
  Request request;
  Response response;
};

// Sends `request` through `method` of a stub's async() interface; `done(status, response)` runs on
// a gRPC thread once the call's own state is gone (a loop may end the run in `done`, and main
// must not outlive a context).
// A callback-API method of a stub's async() interface: (context, request, response, on-done).
// Spelled out so that naming an overloaded method picks this overload, not the reactor one.
template <typename Async, typename Request, typename Response>
using AsyncMethod = void (Async::*)(grpc::ClientContext*, const Request*, Response*,
                                    std::function<void(grpc::Status)>);

template <typename Async, typename Request, typename Response, typename Done>
void SendAsync(Async* async, AsyncMethod<Async, Request, Response> method, Request request,
               Done done) {
  auto* call = new Pending<Request, Response>();
  call->context.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
  call->request = std::move(request);
  (async->*method)(&call->context, &call->request, &call->response,
                   [call, done = std::move(done)](grpc::Status status) {
                     Response response = std::move(call->response);
                     delete call;
                     done(status, response);
                   });
}

// The closed loop of echo_bench.cc: each of `concurrency` slots starts its next operation when the
// previous one finishes. `issue(slot, finish)` starts one operation of `slot` (0..concurrency-1)
// and calls `finish(status)` when it is over, or returns false when there is nothing left to
// start.
class ClosedLoop {
 public:
  using Finish = std::function<void(const grpc::Status&)>;
  using Issue = std::function<bool(int slot, Finish)>;

  ClosedLoop(int concurrency, int seconds, Issue issue)
      : concurrency_(concurrency), seconds_(seconds), issue_(std::move(issue)) {}

  // Returns when the time is up (or nothing is left) and every slot has finished.
  void Run();

  // "rate=... p50_us=... p99_us=... errors=... calls=..."
  std::string Figures();
  double rate();
  size_t ok();
  int errors();
  grpc::Status first_error();
  double elapsed_s();

 private:
  void Start(int slot);
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

}  // namespace wahana::bench
