#pragma once
// The registry's workers as API key management needs them: before an ADMIN links a FIELD_WORKER
// key to a registry worker (api_key_service.h), the gateway asks the registry's WorkerService
// whether that worker exists and where it works. The question is asked AS the creating ADMIN (a
// token the gateway mints for that principal), so the registry's own policy answers it: a worker
// outside the ADMIN's scope is as absent as an unknown one, and the read is on the registry's
// audit trail under the ADMIN's name.

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/auth/principal.h"
#include "common/auth/token.h"
#include "wahana/registry/v1/worker.grpc.pb.h"

namespace wahana {

// Thread-safe.
class WorkerDirectory {
 public:
  virtual ~WorkerDirectory() = default;

  // Worker `id` as `caller` may read it (archived ones too). NOT_FOUND when the registry has none
  // the caller may see, INVALID_ARGUMENT when it refuses the id, UNAVAILABLE when it cannot
  // answer (unreachable, deadline, overloaded, any other failure).
  virtual absl::StatusOr<registry::v1::Worker> GetWorker(const Principal& caller,
                                                         const std::string& id) = 0;
};

// The one check of a link to a registry worker, for an API key's `workerId` and a token's `worker`
// claim alike: worker `worker_id`, asked as `asker` (so the registry's own scope rules answer),
// exists, is not archived, and works inside `region_scope` (its village or one of the subdistricts
// it serves; `deployment_region` for a worker with neither). NOT_FOUND, FAILED_PRECONDITION
// (archived) or INVALID_ARGUMENT (outside the scope, or an id the registry refuses), each naming
// `field`; UNAVAILABLE when the registry cannot answer now.
absl::Status CheckWorkerLinkInRegistry(WorkerDirectory& workers, const Principal& asker,
                                       const std::string& worker_id,
                                       const std::string& region_scope,
                                       const std::string& deployment_region,
                                       absl::string_view field);

// Over gRPC to the registry: every call carries a token `minter` mints for the caller (reused as
// the gateway's own calls reuse them) and has `deadline`.
class GrpcWorkerDirectory final : public WorkerDirectory {
 public:
  GrpcWorkerDirectory(std::shared_ptr<grpc::Channel> channel,
                      std::shared_ptr<const TokenMinter> minter,
                      std::chrono::milliseconds deadline);

  absl::StatusOr<registry::v1::Worker> GetWorker(const Principal& caller,
                                                 const std::string& id) override;

 private:
  const std::unique_ptr<registry::v1::WorkerService::Stub> stub_;
  const std::shared_ptr<const TokenMinter> minter_;
  const std::chrono::milliseconds deadline_;
};

}  // namespace wahana
