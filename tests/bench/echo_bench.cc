// The gRPC baseline for every ratio the benchmarks print: a bare echo service (the reply is written
// in the reactor, no worker pool, no Redis) and a closed-loop load generator.
//
//   wahana_echo_bench --serve --port=P                 serve EchoService until SIGTERM
//   wahana_echo_bench --target=H:P [--concurrency=50] [--seconds=10]
//       keeps `concurrency` calls in flight for `seconds` and prints one line:
//       echo rate=<calls/s> p50_us=<...> p99_us=<...> errors=<n>

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include "common/process/signals.h"
#include "wahana/testing/v1/echo.grpc.pb.h"

namespace {

using wahana::testing::v1::EchoRequest;
using wahana::testing::v1::EchoResponse;
using wahana::testing::v1::EchoService;

class BareEcho final : public EchoService::CallbackService {
  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context, const EchoRequest* request,
                                 EchoResponse* response) override {
    response->set_message(request->message());
    auto* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

int Serve(int port) {
  wahana::BlockTerminationSignals();
  BareEcho service;
  grpc::ServerBuilder builder;
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
  Load(std::shared_ptr<grpc::Channel> channel, int concurrency, int seconds)
      : stub_(EchoService::NewStub(channel)),
        concurrency_(concurrency),
        end_(std::chrono::steady_clock::now() + std::chrono::seconds(seconds)) {}

  void Run() {
    start_ = std::chrono::steady_clock::now();
    for (int i = 0; i < concurrency_; ++i) Issue();
    std::unique_lock<std::mutex> lock(mu_);
    done_.wait(lock, [&] { return in_flight_ == 0; });
    elapsed_s_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

  void Print() {
    std::sort(latencies_us_.begin(), latencies_us_.end());
    auto pct = [&](double p) {
      return latencies_us_.empty() ? 0.0 : latencies_us_[static_cast<size_t>(p * (latencies_us_.size() - 1))];
    };
    std::printf("echo rate=%.0f p50_us=%.0f p99_us=%.0f errors=%d\n",
                latencies_us_.size() / elapsed_s_, pct(0.50), pct(0.99), errors_);
  }

 private:
  struct Call {
    grpc::ClientContext context;
    EchoRequest request;
    EchoResponse response;
    std::chrono::steady_clock::time_point started;
  };

  void Issue() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++in_flight_;
    }
    auto* call = new Call();
    call->request.set_message("16.06.01.2001");
    call->context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    call->started = std::chrono::steady_clock::now();
    stub_->async()->Echo(&call->context, &call->request, &call->response,
                         [this, call](grpc::Status status) { Finished(call, status); });
  }

  void Finished(Call* call, const grpc::Status& status) {
    auto now = std::chrono::steady_clock::now();
    bool again = now < end_;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (status.ok()) {
        latencies_us_.push_back(
            std::chrono::duration<double, std::micro>(now - call->started).count());
      } else {
        ++errors_;
      }
      --in_flight_;
    }
    delete call;
    if (again) {
      Issue();
    } else {
      done_.notify_all();
    }
  }

  std::unique_ptr<EchoService::Stub> stub_;
  int concurrency_;
  std::chrono::steady_clock::time_point end_, start_;
  std::mutex mu_;
  std::condition_variable done_;
  int in_flight_ = 0;
  int errors_ = 0;
  std::vector<double> latencies_us_;
  double elapsed_s_ = 1;
};

}  // namespace

int main(int argc, char** argv) {
  int port = 0, concurrency = 50, seconds = 10;
  bool serve = false;
  std::string target;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](const char* prefix) { return arg.substr(std::strlen(prefix)); };
    if (arg == "--serve") serve = true;
    else if (arg.rfind("--port=", 0) == 0) port = std::stoi(value("--port="));
    else if (arg.rfind("--target=", 0) == 0) target = value("--target=");
    else if (arg.rfind("--concurrency=", 0) == 0) concurrency = std::stoi(value("--concurrency="));
    else if (arg.rfind("--seconds=", 0) == 0) seconds = std::stoi(value("--seconds="));
    else {
      std::fprintf(stderr, "unknown argument %s\n", argv[i]);
      return 2;
    }
  }
  if (serve) return Serve(port);
  if (target.empty()) {
    std::fprintf(stderr, "--serve --port=P or --target=H:P\n");
    return 2;
  }
  Load load(grpc::CreateChannel(target, grpc::InsecureChannelCredentials()), concurrency, seconds);
  load.Run();
  load.Print();
  return 0;
}
