#include "common/grpc/server_metrics.h"

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <string>
#include <vector>

#include "wahana/testing/v1/echo.grpc.pb.h"

namespace wahana {
namespace {

class FakeEcho final : public testing::v1::EchoService::Service {
 public:
  grpc::Status Echo(grpc::ServerContext*, const testing::v1::EchoRequest* request,
                    testing::v1::EchoResponse* response) override {
    if (request->message() == "fail") return grpc::Status(grpc::StatusCode::NOT_FOUND, "no");
    response->set_message(request->message());
    return grpc::Status::OK;
  }
};

TEST(ServerMetricsTest, CountsEveryCallByMethodAndCode) {
  auto registry = std::make_shared<prometheus::Registry>();
  ServerMetrics metrics(*registry);
  FakeEcho service;
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> creators;
  creators.push_back(metrics.InterceptorFactory());
  builder.experimental().SetInterceptorCreators(std::move(creators));
  auto server = builder.BuildAndStart();
  ASSERT_NE(port, 0);

  auto stub = testing::v1::EchoService::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  for (const char* message : {"a", "b", "fail"}) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    testing::v1::EchoRequest request;
    request.set_message(message);
    testing::v1::EchoResponse response;
    (void)stub->Echo(&context, request, &response);
  }
  std::string text = prometheus::TextSerializer().Serialize(registry->Collect());
  EXPECT_NE(
      text.find(
          R"(wahana_grpc_server_calls_total{code="OK",method="/wahana.testing.v1.EchoService/Echo"} 2)"),
      std::string::npos)
      << text;
  EXPECT_NE(
      text.find(
          R"(wahana_grpc_server_calls_total{code="NOT_FOUND",method="/wahana.testing.v1.EchoService/Echo"} 1)"),
      std::string::npos)
      << text;
  EXPECT_NE(
      text.find(
          R"(wahana_grpc_server_call_duration_seconds_count{method="/wahana.testing.v1.EchoService/Echo"} 3)"),
      std::string::npos)
      << text;
  server->Shutdown();
}

}  // namespace
}  // namespace wahana
