#pragma once
// The gRPC face of the federation service (wahana.federation.v1.FederationService). Deliver is
// authenticated by the batch's signature (batch_receiver.h), not by a token: the district has no
// token of the province's. GetFederationStatus is an ordinary call: a role that may read reports
// may read the links' status.

#include <memory>

#include "common/grpc/worker_pool.h"
#include "federation/batch_receiver.h"
#include "federation/link_status.h"
#include "wahana/federation/v1/federation.grpc.pb.h"

namespace wahana {

class FederationGrpcService final
    : public wahana::federation::v1::FederationService::CallbackService {
 public:
  // `receiver` is null in a district (Deliver answers UNIMPLEMENTED). `pool` must outlive it.
  FederationGrpcService(std::shared_ptr<BatchReceiver> receiver,
                        std::shared_ptr<LinkStatusReader> status, WorkerPool& pool);

  grpc::ServerUnaryReactor* Deliver(grpc::CallbackServerContext* context,
                                    const wahana::federation::v1::SignedBatch* request,
                                    wahana::federation::v1::DeliverResponse* response) override;
  grpc::ServerUnaryReactor* GetFederationStatus(
      grpc::CallbackServerContext* context,
      const wahana::federation::v1::GetFederationStatusRequest* request,
      wahana::federation::v1::FederationStatus* response) override;

 private:
  std::shared_ptr<BatchReceiver> receiver_;
  std::shared_ptr<LinkStatusReader> status_;
  WorkerPool& pool_;
};

}  // namespace wahana
