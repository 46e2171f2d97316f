#pragma once
// The case service's records as the rebuild reads them: page by page through the case service's
// own API (ListCases), never its Redis keys. GrpcCaseSource calls the case service (its calls carry
// this process's service token, bearer_channel.h); tests hand in the case logic itself.

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "wahana/cases/v1/case.grpc.pb.h"

namespace wahana {

class CaseSource {
 public:
  virtual ~CaseSource() = default;
  // One page of every case of the deployment, from `page_token` ("" for the first); the answer's
  // next_page_token is empty on the last page. UNAVAILABLE when the case service cannot answer.
  virtual absl::StatusOr<wahana::cases::v1::ListCasesResponse> ListPage(
      const std::string& page_token) = 0;
};

class GrpcCaseSource : public CaseSource {
 public:
  // `address` the case service's target (WAHANA_CASE_ADDR, EnvReader::ServiceTarget); every call
  // has `deadline`.
  GrpcCaseSource(const std::string& address, std::chrono::milliseconds deadline);

  absl::StatusOr<wahana::cases::v1::ListCasesResponse> ListPage(
      const std::string& page_token) override;

 private:
  std::unique_ptr<wahana::cases::v1::CaseService::Stub> cases_;
  const std::chrono::milliseconds deadline_;
};

}  // namespace wahana
