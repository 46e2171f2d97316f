#pragma once
// The registry's and the event service's records as the rebuild reads them: page by page through
// the services' own APIs (archived records and withdrawn participants included: the rebuild stores
// each record's version, so none may be missing), never their Redis keys. GrpcRecordSource calls
// the services (its calls carry this process's service token, bearer_channel.h); tests hand in
// records of their own.
//
// Each call answers one page, from `page_token` ("" for the first); the answer's next_page_token
// is empty on the last page. UNAVAILABLE when the service cannot answer.

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "wahana/event/v1/event.grpc.pb.h"
#include "wahana/registry/v1/beneficiary.grpc.pb.h"
#include "wahana/registry/v1/institution.grpc.pb.h"
#include "wahana/registry/v1/network.grpc.pb.h"
#include "wahana/registry/v1/worker.grpc.pb.h"

namespace wahana {

class RecordSource {
 public:
  virtual ~RecordSource() = default;
  virtual absl::StatusOr<wahana::registry::v1::ListBeneficiariesResponse> Beneficiaries(
      const std::string& page_token) = 0;
  virtual absl::StatusOr<wahana::registry::v1::ListInstitutionsResponse> Institutions(
      const std::string& page_token) = 0;
  virtual absl::StatusOr<wahana::registry::v1::ListNetworksResponse> Networks(
      const std::string& page_token) = 0;
  virtual absl::StatusOr<wahana::registry::v1::ListWorkersResponse> Workers(
      const std::string& page_token) = 0;
  virtual absl::StatusOr<wahana::event::v1::ListEventsResponse> Events(
      const std::string& page_token) = 0;
  // The participants of event `event_id`.
  virtual absl::StatusOr<wahana::event::v1::ListParticipantsResponse> Participants(
      const std::string& event_id, const std::string& page_token) = 0;
};

class GrpcRecordSource : public RecordSource {
 public:
  // `registry_address` and `event_address` targets (WAHANA_REGISTRY_ADDR, WAHANA_EVENT_ADDR);
  // every call has `deadline`.
  GrpcRecordSource(const std::string& registry_address, const std::string& event_address,
                   std::chrono::milliseconds deadline);

  absl::StatusOr<wahana::registry::v1::ListBeneficiariesResponse> Beneficiaries(
      const std::string& page_token) override;
  absl::StatusOr<wahana::registry::v1::ListInstitutionsResponse> Institutions(
      const std::string& page_token) override;
  absl::StatusOr<wahana::registry::v1::ListNetworksResponse> Networks(
      const std::string& page_token) override;
  absl::StatusOr<wahana::registry::v1::ListWorkersResponse> Workers(
      const std::string& page_token) override;
  absl::StatusOr<wahana::event::v1::ListEventsResponse> Events(
      const std::string& page_token) override;
  absl::StatusOr<wahana::event::v1::ListParticipantsResponse> Participants(
      const std::string& event_id, const std::string& page_token) override;

 private:
  std::unique_ptr<wahana::registry::v1::BeneficiaryService::Stub> beneficiaries_;
  std::unique_ptr<wahana::registry::v1::InstitutionService::Stub> institutions_;
  std::unique_ptr<wahana::registry::v1::NetworkService::Stub> networks_;
  std::unique_ptr<wahana::registry::v1::WorkerService::Stub> workers_;
  std::unique_ptr<wahana::event::v1::EventService::Stub> events_;
  const std::chrono::milliseconds deadline_;
};

}  // namespace wahana
