#include "gateway/error_mapping.h"

#include <grpcpp/support/status.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace wahana {
namespace {

TEST(ErrorMappingTest, EveryGrpcCodeAsGoogleRpcCodeProtoMapsIt) {
  const std::vector<std::pair<grpc::StatusCode, int>> expected = {
      {grpc::StatusCode::OK, 200},
      {grpc::StatusCode::CANCELLED, 499},
      {grpc::StatusCode::UNKNOWN, 500},
      {grpc::StatusCode::INVALID_ARGUMENT, 400},
      {grpc::StatusCode::DEADLINE_EXCEEDED, 504},
      {grpc::StatusCode::NOT_FOUND, 404},
      {grpc::StatusCode::ALREADY_EXISTS, 409},
      {grpc::StatusCode::PERMISSION_DENIED, 403},
      {grpc::StatusCode::UNAUTHENTICATED, 401},
      {grpc::StatusCode::RESOURCE_EXHAUSTED, 429},
      {grpc::StatusCode::FAILED_PRECONDITION, 400},
      {grpc::StatusCode::ABORTED, 409},
      {grpc::StatusCode::OUT_OF_RANGE, 400},
      {grpc::StatusCode::UNIMPLEMENTED, 501},
      {grpc::StatusCode::INTERNAL, 500},
      {grpc::StatusCode::UNAVAILABLE, 503},
      {grpc::StatusCode::DATA_LOSS, 500},
  };
  for (const auto& [code, http] : expected) {
    EXPECT_EQ(HttpStatusForCode(static_cast<int>(code)), http) << "code " << code;
  }
  EXPECT_EQ(HttpStatusForCode(17), 500);
  EXPECT_EQ(HttpStatusForCode(-1), 500);
}

TEST(ErrorMappingTest, AbslCodesShareTheNumbering) {
  EXPECT_EQ(ErrorResponse(absl::NotFoundError("x")).status, 404);
  EXPECT_EQ(ErrorResponse(absl::AbortedError("x")).status, 409);
  EXPECT_EQ(ErrorResponse(absl::DeadlineExceededError("x")).status, 504);
  EXPECT_EQ(ErrorResponse(absl::UnauthenticatedError("x")).status, 401);
}

TEST(ErrorMappingTest, BodyIsShapedLikeGoogleRpcStatus) {
  HttpResponse r = ErrorResponse(absl::InvalidArgumentError("code: \"16.6\" is not a region code"));
  EXPECT_EQ(r.status, 400);
  nlohmann::json body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body,
            nlohmann::json::parse(
                R"({"code":3,"message":"code: \"16.6\" is not a region code","details":[]})"));
}

TEST(ErrorMappingTest, GatewayMadeStatusKeepsItsHttpStatus) {
  HttpResponse r = ErrorResponse(413, absl::StatusCode::kResourceExhausted, "too big");
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(nlohmann::json::parse(r.body)["code"], 8);
}

TEST(ErrorMappingTest, InvalidUtf8InAMessageNeverThrows) {
  std::string body = StatusJson(13, "bad \xFF byte");
  EXPECT_NO_THROW(nlohmann::json::parse(body));
}

TEST(ErrorMappingTest, ReasonPhraseFor499) {
  EXPECT_EQ(ReasonPhrase(499), "Client Closed Request");
  EXPECT_EQ(ReasonPhrase(404), "");
}

}  // namespace
}  // namespace wahana
