#include "registry/export/case_records.h"

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "common/grpc/service_channel.h"
#include "common/status/status_macros.h"

namespace wahana::registry {
namespace {

// A trail longer than this many pages (500 entries each) is cut, and the export says so.
constexpr int kMaxTrailPages = 40;

absl::Status Unavailable(const grpc::Status& status, const std::string& what) {
  return absl::UnavailableError(absl::StrCat("cannot read ", what, " from the case service now: ",
                                             status.error_message(), "; retry later"));
}

}  // namespace

GrpcCaseRecords::GrpcCaseRecords(const std::string& address, std::chrono::milliseconds deadline)
    : deadline_(deadline) {
  auto channel = CreateServiceChannel(address);
  cases_ = wahana::cases::v1::CaseService::NewStub(channel);
  audit_ = wahana::audit::v1::AuditService::NewStub(channel);
}

absl::StatusOr<std::vector<wahana::cases::v1::Case>> GrpcCaseRecords::CasesOf(
    const std::string& beneficiary_id, const std::vector<std::string>& household_ids) {
  std::vector<wahana::cases::v1::Case> cases;
  wahana::cases::v1::ListCasesRequest request;
  request.set_beneficiary_id(beneficiary_id);
  WAHANA_RETURN_IF_ERROR(ListInto(request, &cases));
  for (const std::string& household_id : household_ids) {
    request.Clear();
    request.set_household_id(household_id);
    WAHANA_RETURN_IF_ERROR(ListInto(request, &cases));
  }
  return cases;
}

absl::Status GrpcCaseRecords::ListInto(const wahana::cases::v1::ListCasesRequest& request,
                                       std::vector<wahana::cases::v1::Case>* cases) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + deadline_);
  wahana::cases::v1::ListCasesResponse response;
  grpc::Status status = cases_->ListCases(&context, request, &response);
  if (!status.ok()) return Unavailable(status, "the person's cases");
  for (wahana::cases::v1::Case& c : *response.mutable_cases()) {
    // A FAMILY case may name the person too: each case once.
    bool known = false;
    for (const wahana::cases::v1::Case& have : *cases) known = known || have.id() == c.id();
    if (!known) cases->push_back(std::move(c));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<wahana::audit::v1::AuditEntry>> GrpcCaseRecords::TrailOf(
    const std::string& case_id) {
  std::vector<wahana::audit::v1::AuditEntry> entries;
  std::string token;
  for (int page = 0; page < kMaxTrailPages; ++page) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + deadline_);
    wahana::audit::v1::ListAuditEntriesRequest request;
    request.set_subject(absl::StrCat("cases/", case_id));
    request.set_page_size(500);
    request.set_page_token(token);
    wahana::audit::v1::ListAuditEntriesResponse response;
    grpc::Status status = audit_->ListAuditEntries(&context, request, &response);
    if (status.error_code() == grpc::StatusCode::NOT_FOUND) return entries;  // no entry yet
    if (!status.ok()) return Unavailable(status, absl::StrCat("the trail of case ", case_id));
    entries.insert(entries.end(), response.entries().begin(), response.entries().end());
    token = response.next_page_token();
    if (token.empty()) return entries;
  }
  return absl::ResourceExhaustedError(
      absl::StrCat("the trail of case ", case_id, " is longer than the export reads"));
}

}  // namespace wahana::registry
