#include "reporting/case_source.h"

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "common/grpc/service_channel.h"

namespace wahana {
namespace {

// The largest page ListCases serves: fewest round trips.
constexpr int kPageSize = 500;

}  // namespace

GrpcCaseSource::GrpcCaseSource(const std::string& address, std::chrono::milliseconds deadline)
    : cases_(wahana::cases::v1::CaseService::NewStub(CreateServiceChannel(address))),
      deadline_(deadline) {}

absl::StatusOr<wahana::cases::v1::ListCasesResponse> GrpcCaseSource::ListPage(
    const std::string& page_token) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + deadline_);
  wahana::cases::v1::ListCasesRequest request;
  request.set_page_size(kPageSize);
  request.set_page_token(page_token);
  wahana::cases::v1::ListCasesResponse response;
  grpc::Status status = cases_->ListCases(&context, request, &response);
  if (!status.ok()) {
    return absl::UnavailableError(
        absl::StrCat("ListCases (WAHANA_CASE_ADDR): ", status.error_message(), " (gRPC code ",
                     static_cast<int>(status.error_code()), ")"));
  }
  return response;
}

}  // namespace wahana
