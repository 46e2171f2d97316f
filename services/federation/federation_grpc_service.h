#pragma once
// The gRPC face of the federation service (wahana.federation.v1.FederationService). Deliver and
// AnswerLookup are authenticated by the signature they carry (batch_receiver.h,
// lookup_answerer.h), not by a token: one deployment has no token of the other's.
// LookupBeneficiary and GetFederationStatus are ordinary calls: a role that may read reports may
// read the links' status.

#include <memory>

#include "common/grpc/worker_pool.h"
#include "federation/batch_receiver.h"
#include "federation/district_lookup.h"
#include "federation/link_status.h"
#include "federation/lookup_answerer.h"
#include "wahana/federation/v1/federation.grpc.pb.h"

namespace wahana {

class FederationGrpcService final
    : public wahana::federation::v1::FederationService::CallbackService {
 public:
  // What the deployment's role does not do is null: `receiver` and `lookup` in a district,
  // `answerer` in a province (their methods answer FAILED_PRECONDITION). `pool` must outlive it.
  FederationGrpcService(std::shared_ptr<BatchReceiver> receiver,
                        std::shared_ptr<DistrictLookup> lookup,
                        std::shared_ptr<LookupAnswerer> answerer,
                        std::shared_ptr<LinkStatusReader> status, WorkerPool& pool);

  grpc::ServerUnaryReactor* Deliver(grpc::CallbackServerContext* context,
                                    const wahana::federation::v1::SignedBatch* request,
                                    wahana::federation::v1::DeliverResponse* response) override;
  grpc::ServerUnaryReactor* LookupBeneficiary(
      grpc::CallbackServerContext* context,
      const wahana::federation::v1::LookupBeneficiaryRequest* request,
      wahana::federation::v1::BeneficiaryLookup* response) override;
  grpc::ServerUnaryReactor* AnswerLookup(grpc::CallbackServerContext* context,
                                         const wahana::federation::v1::SignedLookup* request,
                                         wahana::federation::v1::LookupAnswer* response) override;
  grpc::ServerUnaryReactor* GetFederationStatus(
      grpc::CallbackServerContext* context,
      const wahana::federation::v1::GetFederationStatusRequest* request,
      wahana::federation::v1::FederationStatus* response) override;

 private:
  std::shared_ptr<BatchReceiver> receiver_;
  std::shared_ptr<DistrictLookup> lookup_;
  std::shared_ptr<LookupAnswerer> answerer_;
  std::shared_ptr<LinkStatusReader> status_;
  WorkerPool& pool_;
};

}  // namespace wahana
