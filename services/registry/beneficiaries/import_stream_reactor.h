#pragma once
// The server side of StreamImportBeneficiaries: batches arrive as stream messages and go, in
// order, through one BeneficiaryImport's two steps on the worker pool, Prepare (validation) and
// Store (Redis); the totals answer the stream once the client has sent its last batch.
//
// The steps overlap: while a batch is stored the next one is prepared and the one after is read.
// At most kMaxQueuedBatches wait between the steps (gRPC flow control holds the client back
// beyond that). Each step runs as one pool task at a time; the reactor never blocks, and the call
// is finished only when no task runs (so the reactor outlives its tasks).
//
// An error (storage down, a batch too large) finishes the stream with that status as soon as the
// running tasks end; rows of the batches stored before it stay stored (running the file again is
// safe). A full pool finishes it with RESOURCE_EXHAUSTED.

#include <grpcpp/grpcpp.h>

#include <deque>
#include <memory>
#include <mutex>

#include "absl/status/status.h"
#include "common/grpc/worker_pool.h"
#include "registry/beneficiaries/beneficiary_import.h"
#include "wahana/registry/v1/beneficiary.pb.h"

namespace wahana::registry {

class ImportStreamReactor
    : public grpc::ServerReadReactor<wahana::registry::v1::ImportBeneficiariesRequest> {
 public:
  static constexpr size_t kMaxQueuedBatches = 2;

  // Starts reading at once. Deletes itself when the call is done. `pool` must outlive it.
  ImportStreamReactor(std::unique_ptr<BeneficiaryImport> import, WorkerPool& pool,
                      wahana::registry::v1::ImportBeneficiariesResponse* response);

  void OnReadDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  struct Next;
  // Carries out what was decided under mu_: a read, then the finish.
  void Carry(const Next& next);
  // The two steps, each draining its queue (on the pool).
  void PrepareLoop();
  void StoreLoop();
  // Submits a step's loop unless it runs or has nothing to do. Require mu_.
  void StartPrepareLocked();
  void StartStoreLocked();
  // Decides to read the next batch when there is room. Requires mu_.
  void MaybeReadLocked(Next* next);
  // Decides to finish the call when nothing more is to come or an error stopped the import, and
  // no task runs. Requires mu_.
  void MaybeFinishLocked(Next* next);

  std::unique_ptr<BeneficiaryImport> import_;
  WorkerPool& pool_;
  wahana::registry::v1::ImportBeneficiariesResponse* response_;

  std::mutex mu_;
  wahana::registry::v1::ImportBeneficiariesRequest incoming_;              // the read in flight
  std::deque<wahana::registry::v1::ImportBeneficiariesRequest> received_;  // guarded by mu_
  std::deque<BeneficiaryImport::Prepared> prepared_;                       // guarded by mu_
  bool reading_ = false;     // a read is in flight; guarded by mu_
  bool reads_done_ = false;  // the client has sent everything; guarded by mu_
  bool preparing_ = false;   // PrepareLoop is queued or running; guarded by mu_
  bool storing_ = false;     // StoreLoop is queued or running; guarded by mu_
  bool finished_ = false;    // Finish was decided; guarded by mu_
  absl::Status status_;      // the first error; guarded by mu_
};

}  // namespace wahana::registry
