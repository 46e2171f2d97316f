// The gRPC baseline for every ratio the benchmarks print: a bare echo service (the reply is written
// in the reactor, no worker pool, no Redis) and a closed-loop load generator, which can also load
// the registry's CreateBeneficiary with the same loop.
//
//   wahana_echo_bench --serve --port=P                 serve EchoService until SIGTERM
//   wahana_echo_bench --target=H:P [--concurrency=50] [--seconds=10]
//       keeps `concurrency` calls in flight for `seconds` and prints one line:
//       echo rate=<calls/s> p50_us=<...> p99_us=<...> errors=<n>
//   wahana_echo_bench --method=create-beneficiary --target=H:P [--serial-base=5000] ...
//       the same loop, each call creating a new, valid beneficiary in village 16.06.01.2001;
//       prints "create rate=... p50_us=... p99_us=... errors=... flagged=..." (flagged: created
//       with review flags, which valid unique rows never get; the first error goes to stderr).
//       NIKs are 160601 + DDMMYY (women +40, births from 1970-01-01 on) + a serial in
//       [serial-base, serial-base + 2500), so two runs with different bases never collide, nor
//       with the importer's generated rows (whose serials count up from 0001 per kecamatan and
//       day).
//
// Authentication is on both sides, as in the suite: WAHANA_TOKEN_SECRET_FILE (required) signs the
// load's tokens (SYSTEM, scope WAHANA_REGION), and the echo server verifies every call with the
// services' interceptor and refuses one without a principal as RunUnary does, so the baseline pays
// the same authentication cost as the measured calls.

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/auth/auth_settings.h"
#include "common/auth/bearer_channel.h"
#include "common/auth/call_authenticator.h"
#include "common/config/env_reader.h"
#include "common/process/signals.h"
#include "wahana/registry/v1/beneficiary.grpc.pb.h"
#include "wahana/testing/v1/echo.grpc.pb.h"

namespace {

using wahana::registry::v1::Beneficiary;
using wahana::registry::v1::BeneficiaryService;
using wahana::registry::v1::CreateBeneficiaryRequest;
using wahana::testing::v1::EchoRequest;
using wahana::testing::v1::EchoResponse;
using wahana::testing::v1::EchoService;

enum class Method { kEcho, kCreateBeneficiary };

constexpr int kSerialsPerDay = 2500;

// The n-th benchmark beneficiary: unique NIK (see the header comment), sex and birth date matching
// it, a unique name (letters only, so the duplicate-candidate key is unique too).
void FillBeneficiary(long n, int serial_base, Beneficiary* b) {
  bool female = n % 2 == 1;
  std::time_t t = static_cast<std::time_t>(n / kSerialsPerDay % 18000) * 86400;
  std::tm day{};
  gmtime_r(&t, &day);
  char nik[96], birth[48];
  std::snprintf(nik, sizeof nik, "160601%02d%02d%02d%04d", day.tm_mday + (female ? 40 : 0),
                day.tm_mon + 1, day.tm_year % 100,
                serial_base + static_cast<int>(n % kSerialsPerDay));
  std::snprintf(birth, sizeof birth, "%04d-%02d-%02d", day.tm_year + 1900, day.tm_mon + 1,
                day.tm_mday);
  std::string suffix;
  for (long k = n; suffix.empty() || k > 0; k /= 26) suffix += static_cast<char>('a' + k % 26);
  suffix[0] = static_cast<char>(suffix[0] - 'a' + 'A');
  b->set_nik(nik);
  b->set_full_name((female ? "Siti Bench " : "Ahmad Bench ") + suffix);
  b->set_sex(female ? Beneficiary::FEMALE : Beneficiary::MALE);
  b->set_birth_date(birth);
  b->set_village_code("16.06.01.2001");
  b->add_ppks_categories(wahana::common::v1::FAKIR_MISKIN);
}

class BareEcho final : public EchoService::CallbackService {
  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context, const EchoRequest* request,
                                 EchoResponse* response) override {
    auto* reactor = context->DefaultReactor();
    if (!wahana::PrincipalOf(*context).ok()) {
      reactor->Finish(grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "no token"));
      return reactor;
    }
    response->set_message(request->message());
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

// The deployment's token keys and region, from the environment (as the services read them).
bool LoadAuth(wahana::AuthKeys* keys, std::string* region) {
  wahana::EnvReader env;
  *region = env.RegionCode("WAHANA_REGION");
  wahana::AuthSettings settings = wahana::ReadAuthSettings(env);
  absl::Status read = env.Finish();
  absl::StatusOr<wahana::AuthKeys> loaded =
      read.ok() ? wahana::LoadAuthKeys(settings) : absl::StatusOr<wahana::AuthKeys>(read);
  if (!loaded.ok()) {
    std::fprintf(stderr, "%s\n", std::string(loaded.status().message()).c_str());
    return false;
  }
  *keys = *std::move(loaded);
  return true;
}

int Serve(int port) {
  wahana::BlockTerminationSignals();
  wahana::AuthKeys keys;
  std::string region;
  if (!LoadAuth(&keys, &region)) return 2;
  BareEcho service;
  grpc::ServerBuilder builder;
  wahana::InstallCallAuthentication(builder, keys.verifier);
  builder.AddListeningPort("127.0.0.1:" + std::to_string(port), grpc::InsecureServerCredentials());
  builder.RegisterService(&service);
  auto server = builder.BuildAndStart();
  if (!server) {
    std::fprintf(stderr, "echo: cannot listen on %d\n", port);
    return 1;
  }
  wahana::WaitForTerminationSignal();
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  return 0;
}

// Closed loop: each of `concurrency` slots issues its next call when the previous one finishes.
class Load {
 public:
  Load(std::shared_ptr<grpc::Channel> channel, Method method, int serial_base, int concurrency,
       int seconds)
      : stub_(EchoService::NewStub(channel)),
        beneficiaries_(BeneficiaryService::NewStub(channel)),
        method_(method),
        serial_base_(serial_base),
        concurrency_(concurrency),
        end_(std::chrono::steady_clock::now() + std::chrono::seconds(seconds)) {}

  void Run() {
    start_ = std::chrono::steady_clock::now();
    {
      absl::MutexLock lock(&mu_);
      in_flight_ = concurrency_;
    }
    for (int i = 0; i < concurrency_; ++i) Issue();
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(this, &Load::Drained));
    elapsed_s_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

  void Print() {
    std::sort(latencies_us_.begin(), latencies_us_.end());
    auto pct = [&](double p) {
      return latencies_us_.empty()
                 ? 0.0
                 : latencies_us_[static_cast<size_t>(p * (latencies_us_.size() - 1))];
    };
    std::printf("%s rate=%.0f p50_us=%.0f p99_us=%.0f errors=%d",
                method_ == Method::kEcho ? "echo" : "create", latencies_us_.size() / elapsed_s_,
                pct(0.50), pct(0.99), errors_);
    if (method_ == Method::kCreateBeneficiary) std::printf(" flagged=%d", flagged_);
    std::printf("\n");
    if (!first_error_.empty()) std::fprintf(stderr, "first error: %s\n", first_error_.c_str());
  }

 private:
  struct Call {
    grpc::ClientContext context;
    EchoRequest request;
    EchoResponse response;
    CreateBeneficiaryRequest create;
    Beneficiary created;
    std::chrono::steady_clock::time_point started;
  };

  void Issue() {
    auto* call = new Call();
    call->context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    if (method_ == Method::kEcho) {
      call->request.set_message("16.06.01.2001");
      call->started = std::chrono::steady_clock::now();
      stub_->async()->Echo(&call->context, &call->request, &call->response,
                           [this, call](grpc::Status status) { Finished(call, status); });
    } else {
      FillBeneficiary(next_++, serial_base_, call->create.mutable_beneficiary());
      call->started = std::chrono::steady_clock::now();
      beneficiaries_->async()->CreateBeneficiary(
          &call->context, &call->create, &call->created,
          [this, call](grpc::Status status) { Finished(call, status); });
    }
  }

  void Finished(Call* call, const grpc::Status& status) {
    auto now = std::chrono::steady_clock::now();
    bool again = now < end_;
    {
      absl::MutexLock lock(&mu_);
      if (status.ok()) {
        if (call->created.review_flags_size() > 0) ++flagged_;
        latencies_us_.push_back(
            std::chrono::duration<double, std::micro>(now - call->started).count());
      } else {
        if (errors_++ == 0) {
          first_error_ = std::to_string(status.error_code()) + " " + status.error_message();
        }
      }
      // A slot that goes on stays in flight: dropping to zero between its end and its next start
      // would let main return (and free this) while the slot still runs.
      if (!again) --in_flight_;
    }
    delete call;
    if (again) {
      Issue();
    }
  }

  std::unique_ptr<EchoService::Stub> stub_;
  std::unique_ptr<BeneficiaryService::Stub> beneficiaries_;
  Method method_;
  int serial_base_;
  std::atomic<long> next_{0};
  std::string first_error_;
  int concurrency_;
  std::chrono::steady_clock::time_point end_, start_;
  bool Drained() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return in_flight_ == 0; }

  absl::Mutex mu_;
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  int errors_ = 0;
  int flagged_ = 0;
  std::vector<double> latencies_us_;
  double elapsed_s_ = 1;
};

}  // namespace

int main(int argc, char** argv) {
  int port = 0, concurrency = 50, seconds = 10, serial_base = 5000;
  Method method = Method::kEcho;
  bool serve = false;
  std::string target;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](const char* prefix) { return arg.substr(std::strlen(prefix)); };
    if (arg == "--serve")
      serve = true;
    else if (arg.rfind("--port=", 0) == 0)
      port = std::stoi(value("--port="));
    else if (arg.rfind("--target=", 0) == 0)
      target = value("--target=");
    else if (arg.rfind("--concurrency=", 0) == 0)
      concurrency = std::stoi(value("--concurrency="));
    else if (arg.rfind("--seconds=", 0) == 0)
      seconds = std::stoi(value("--seconds="));
    else if (arg == "--method=echo")
      method = Method::kEcho;
    else if (arg == "--method=create-beneficiary")
      method = Method::kCreateBeneficiary;
    else if (arg.rfind("--serial-base=", 0) == 0)
      serial_base = std::stoi(value("--serial-base="));
    else {
      std::fprintf(stderr, "unknown argument %s\n", argv[i]);
      return 2;
    }
  }
  if (serve) return Serve(port);
  if (target.empty()) {
    std::fprintf(stderr, "--serve --port=P or --target=H:P [--method=echo|create-beneficiary]\n");
    return 2;
  }
  if (serial_base < 1 || serial_base + kSerialsPerDay > 10000) {
    std::fprintf(stderr, "--serial-base must be in 1..%d\n", 10000 - kSerialsPerDay);
    return 2;
  }
  wahana::AuthKeys keys;
  std::string region;
  if (!LoadAuth(&keys, &region)) return 2;
  auto tokens =
      std::make_shared<wahana::TokenSource>(keys.minter, wahana::ServicePrincipal("bench", region));
  Load load(wahana::CreateAuthorizedChannel(target, grpc::ChannelArguments(), tokens), method,
            serial_base, concurrency, seconds);
  load.Run();
  load.Print();
  return 0;
}
