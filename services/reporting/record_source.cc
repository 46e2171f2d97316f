#include "reporting/record_source.h"

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "common/grpc/service_channel.h"

namespace wahana {
namespace {

namespace events = wahana::event::v1;
namespace reg = wahana::registry::v1;

// The largest page the services serve: fewest round trips.
constexpr int kPageSize = 500;

// One List call with `deadline`; UNAVAILABLE naming `what` and `setting` when it fails.
template <typename Stub, typename Request, typename Response>
absl::StatusOr<Response> Call(Stub& stub,
                              grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                           Response*),
                              const Request& request, std::chrono::milliseconds deadline,
                              const char* what, const char* setting) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + deadline);
  Response response;
  grpc::Status status = (stub.*method)(&context, request, &response);
  if (!status.ok()) {
    return absl::UnavailableError(absl::StrCat(what, " (", setting, "): ", status.error_message(),
                                               " (gRPC code ",
                                               static_cast<int>(status.error_code()), ")"));
  }
  return response;
}

// A request for every record of the deployment, archived ones included, from `page_token`.
template <typename Request>
Request EveryRecord(const std::string& page_token) {
  Request request;
  request.set_page_size(kPageSize);
  request.set_page_token(page_token);
  request.set_show_archived(true);
  return request;
}

}  // namespace

GrpcRecordSource::GrpcRecordSource(const std::string& registry_address,
                                   const std::string& event_address,
                                   std::chrono::milliseconds deadline)
    : beneficiaries_(reg::BeneficiaryService::NewStub(CreateServiceChannel(registry_address))),
      institutions_(reg::InstitutionService::NewStub(CreateServiceChannel(registry_address))),
      networks_(reg::NetworkService::NewStub(CreateServiceChannel(registry_address))),
      workers_(reg::WorkerService::NewStub(CreateServiceChannel(registry_address))),
      events_(events::EventService::NewStub(CreateServiceChannel(event_address))),
      deadline_(deadline) {}

absl::StatusOr<reg::ListBeneficiariesResponse> GrpcRecordSource::Beneficiaries(
    const std::string& page_token) {
  return Call(*beneficiaries_, &reg::BeneficiaryService::Stub::ListBeneficiaries,
              EveryRecord<reg::ListBeneficiariesRequest>(page_token), deadline_,
              "ListBeneficiaries", "WAHANA_REGISTRY_ADDR");
}

absl::StatusOr<reg::ListInstitutionsResponse> GrpcRecordSource::Institutions(
    const std::string& page_token) {
  return Call(*institutions_, &reg::InstitutionService::Stub::ListInstitutions,
              EveryRecord<reg::ListInstitutionsRequest>(page_token), deadline_, "ListInstitutions",
              "WAHANA_REGISTRY_ADDR");
}

absl::StatusOr<reg::ListNetworksResponse> GrpcRecordSource::Networks(
    const std::string& page_token) {
  return Call(*networks_, &reg::NetworkService::Stub::ListNetworks,
              EveryRecord<reg::ListNetworksRequest>(page_token), deadline_, "ListNetworks",
              "WAHANA_REGISTRY_ADDR");
}

absl::StatusOr<reg::ListWorkersResponse> GrpcRecordSource::Workers(const std::string& page_token) {
  return Call(*workers_, &reg::WorkerService::Stub::ListWorkers,
              EveryRecord<reg::ListWorkersRequest>(page_token), deadline_, "ListWorkers",
              "WAHANA_REGISTRY_ADDR");
}

absl::StatusOr<events::ListEventsResponse> GrpcRecordSource::Events(const std::string& page_token) {
  return Call(*events_, &events::EventService::Stub::ListEvents,
              EveryRecord<events::ListEventsRequest>(page_token), deadline_, "ListEvents",
              "WAHANA_EVENT_ADDR");
}

absl::StatusOr<events::ListParticipantsResponse> GrpcRecordSource::Participants(
    const std::string& event_id, const std::string& page_token) {
  events::ListParticipantsRequest request;
  request.set_event_id(event_id);
  request.set_page_size(kPageSize);
  request.set_page_token(page_token);
  request.set_show_withdrawn(true);
  return Call(*events_, &events::EventService::Stub::ListParticipants, request, deadline_,
              "ListParticipants", "WAHANA_EVENT_ADDR");
}

}  // namespace wahana
