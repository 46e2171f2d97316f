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

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
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
  // Submits a step's loop unless it runs or has nothing to do.
  void StartPrepareLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void StartStoreLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Decides to read the next batch when there is room.
  void MaybeReadLocked(Next* next) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Decides to finish the call when nothing more is to come or an error stopped the import, and
  // no task runs.
  void MaybeFinishLocked(Next* next) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  std::unique_ptr<BeneficiaryImport> import_;
  WorkerPool& pool_;
  wahana::registry::v1::ImportBeneficiariesResponse* response_;

  absl::Mutex mu_;
  wahana::registry::v1::ImportBeneficiariesRequest incoming_;  // the read in flight
  std::deque<wahana::registry::v1::ImportBeneficiariesRequest> received_ ABSL_GUARDED_BY(mu_);
  std::deque<BeneficiaryImport::Prepared> prepared_ ABSL_GUARDED_BY(mu_);
  bool reading_ ABSL_GUARDED_BY(mu_) = false;     // a read is in flight
  bool reads_done_ ABSL_GUARDED_BY(mu_) = false;  // the client has sent everything
  bool preparing_ ABSL_GUARDED_BY(mu_) = false;   // PrepareLoop is queued or running
  bool storing_ ABSL_GUARDED_BY(mu_) = false;     // StoreLoop is queued or running
  bool finished_ ABSL_GUARDED_BY(mu_) = false;    // Finish was decided
  absl::Status status_ ABSL_GUARDED_BY(mu_);      // the first error
};

}  // namespace wahana::registry
