#pragma once
// A client-streaming call answered at once with a status, without reading a message: what a
// streaming method returns when the call is refused before it starts (unauthenticated).

#include <grpcpp/grpcpp.h>

namespace wahana {

template <typename Request>
class FinishedReadReactor final : public grpc::ServerReadReactor<Request> {
 public:
  // Finishes the call with `status`; deletes itself when the call is done.
  explicit FinishedReadReactor(const grpc::Status& status) { this->Finish(status); }
  void OnDone() override { delete this; }
};

}  // namespace wahana
