#include "registry/beneficiaries/import_stream_reactor.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "common/status/grpc_status.h"

namespace wahana::registry {

// gRPC may run a reaction inline from StartRead or Finish, so both are called after mu_ is
// released: the decisions are taken under the lock, then carried out.
struct ImportStreamReactor::Next {
  bool read = false;
  bool finish = false;
  grpc::Status status;
};

namespace {

absl::Status Guarded(const std::function<absl::Status()>& step) {
  try {
    return step();
  } catch (const std::exception& e) {
    return absl::InternalError(std::string("beneficiary import: ") + e.what());
  }
}

}  // namespace

ImportStreamReactor::ImportStreamReactor(
    std::unique_ptr<BeneficiaryImport> import, WorkerPool& pool,
    wahana::registry::v1::ImportBeneficiariesResponse* response)
    : import_(std::move(import)), pool_(pool), response_(response) {
  reading_ = true;
  StartRead(&incoming_);
}

void ImportStreamReactor::Carry(const Next& next) {
  // Finish last: the reactor may be gone right after it.
  if (next.read) StartRead(&incoming_);
  if (next.finish) Finish(next.status);
}

void ImportStreamReactor::OnReadDone(bool ok) {
  Next next;
  {
    absl::MutexLock lock(&mu_);
    reading_ = false;
    if (!ok) {
      // The client is done sending (or the call is over).
      reads_done_ = true;
    } else if (!finished_ && status_.ok()) {
      received_.push_back(std::move(incoming_));
      incoming_.Clear();
      StartPrepareLocked();
      MaybeReadLocked(&next);
    }
    MaybeFinishLocked(&next);
  }
  Carry(next);
}

void ImportStreamReactor::OnCancel() {
  Next next;
  {
    absl::MutexLock lock(&mu_);
    if (status_.ok()) status_ = absl::CancelledError("import cancelled by the client");
    MaybeFinishLocked(&next);
  }
  Carry(next);
}

void ImportStreamReactor::OnDone() { delete this; }

void ImportStreamReactor::MaybeReadLocked(Next* next) {
  if (reading_ || reads_done_ || finished_ || !status_.ok()) return;
  if (received_.size() + prepared_.size() >= kMaxQueuedBatches) return;
  next->read = reading_ = true;
}

void ImportStreamReactor::StartPrepareLocked() {
  if (preparing_ || received_.empty() || !status_.ok()) return;
  preparing_ = true;
  if (!pool_.Submit([this] { PrepareLoop(); })) {
    preparing_ = false;
    status_ = absl::ResourceExhaustedError("server busy: too many calls waiting, retry later");
  }
}

void ImportStreamReactor::StartStoreLocked() {
  if (storing_ || prepared_.empty() || !status_.ok()) return;
  storing_ = true;
  if (!pool_.Submit([this] { StoreLoop(); })) {
    storing_ = false;
    status_ = absl::ResourceExhaustedError("server busy: too many calls waiting, retry later");
  }
}

void ImportStreamReactor::PrepareLoop() {
  for (;;) {
    wahana::registry::v1::ImportBeneficiariesRequest batch;
    {
      Next next;
      bool stop = false;
      {
        absl::MutexLock lock(&mu_);
        if (received_.empty() || !status_.ok()) {
          preparing_ = false;
          MaybeFinishLocked(&next);
          stop = true;
        } else {
          batch = std::move(received_.front());
          received_.pop_front();
        }
      }
      if (stop) {
        Carry(next);  // the reactor may be gone after it
        return;
      }
    }
    absl::StatusOr<BeneficiaryImport::Prepared> prepared;
    absl::Status status = Guarded([&] {
      prepared = import_->Prepare(batch);
      return prepared.status();
    });
    Next next;
    {
      absl::MutexLock lock(&mu_);
      if (!status.ok()) {
        if (status_.ok()) status_ = status;
      } else if (status_.ok()) {
        prepared_.push_back(*std::move(prepared));
        StartStoreLocked();
      }
      MaybeReadLocked(&next);
    }
    Carry(next);
  }
}

void ImportStreamReactor::StoreLoop() {
  for (;;) {
    BeneficiaryImport::Prepared batch;
    {
      Next next;
      bool stop = false;
      {
        absl::MutexLock lock(&mu_);
        if (prepared_.empty() || !status_.ok()) {
          storing_ = false;
          MaybeFinishLocked(&next);
          stop = true;
        } else {
          batch = std::move(prepared_.front());
          prepared_.pop_front();
          MaybeReadLocked(&next);
        }
      }
      Carry(next);
      if (stop) return;  // the reactor may be gone
    }
    absl::Status status = Guarded([&] { return import_->Store(std::move(batch)); });
    if (!status.ok()) {
      spdlog::warn("beneficiary import stopped: {}", std::string(status.message()));
      absl::MutexLock lock(&mu_);
      if (status_.ok()) status_ = status;
    }
  }
}

void ImportStreamReactor::MaybeFinishLocked(Next* next) {
  if (finished_ || preparing_ || storing_) return;
  if (!status_.ok()) {
    finished_ = true;
    next->finish = true;
    next->status = ToGrpcStatus(status_);
    return;
  }
  if (reads_done_ && received_.empty() && prepared_.empty()) {
    finished_ = true;
    *response_ = import_->totals();
    next->finish = true;
    next->status = grpc::Status::OK;
  }
}

}  // namespace wahana::registry
