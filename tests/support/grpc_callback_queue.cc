#include "support/grpc_callback_queue.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <future>
#include <memory>
#include <mutex>

namespace wahana::testing {

void HoldGrpcCallbackQueue() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Leaked on purpose: destroying it (even at exit) would start the teardown this avoids.
    auto* channel = new std::shared_ptr<grpc::Channel>(
        grpc::CreateChannel("127.0.0.1:1", grpc::InsecureChannelCredentials()));
    auto* stub = new grpc::GenericStub(*channel);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(100));
    grpc::Slice empty("");
    grpc::ByteBuffer request(&empty, 1);  // a default ByteBuffer is no message at all
    grpc::ByteBuffer response;
    std::promise<void> answered;
    // Nothing listens on port 1: the call fails fast; taking the queue is all it is for.
    stub->UnaryCall(&context, "/wahana.testing.v1.Nothing/Hold", grpc::StubOptions(), &request,
                    &response, [&answered](grpc::Status) { answered.set_value(); });
    answered.get_future().wait();
  });
}

}  // namespace wahana::testing
