#include "common/audit/audit_interceptor.h"

#include <google/protobuf/message.h>
#include <google/protobuf/timestamp.pb.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/audit/forwarded_address.h"
#include "common/auth/call_authenticator.h"
#include "common/grpc/call_scope.h"

namespace wahana {
namespace {

using grpc::experimental::InterceptionHookPoints;

class AuditInterceptor final : public grpc::experimental::Interceptor {
 public:
  AuditInterceptor(grpc::experimental::ServerRpcInfo* info, std::shared_ptr<AuditTrail> trail,
                   const AuditedCollection& audited, std::string method)
      : info_(info),
        trail_(std::move(trail)),
        audited_(audited),
        method_(std::move(method)),
        read_(IsReadMethod(method_)) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    // The messages are the generated protobuf classes of the method (audited services are
    // protobuf services), handed over as void*: read them through Message's reflection.
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE)) {
      if (const void* request = methods->GetRecvMessage(); request != nullptr) {
        subjects_ = AuditSubjects();
        AddRequestSubjects(audited_, *static_cast<const google::protobuf::Message*>(request),
                           &subjects_);
      }
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_MESSAGE)) {
      if (const void* response = methods->GetSendMessage(); response != nullptr) {
        const auto* message = static_cast<const google::protobuf::Message*>(response);
        AddResponseSubjects(audited_, *message, &subjects_);
        if (read_) empty_response_.reset(message->New());  // what a refused read sends instead
      }
    }
    if (!methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      methods->Proceed();
      return;
    }
    const grpc::Status status = methods->GetSendStatus();
    const bool replaces_message =
        read_ && empty_response_ != nullptr &&
        methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_MESSAGE);
    trail_->Append(Entry(status), [this, methods, replaces_message](const absl::Status& written) {
      if (!written.ok() && read_) {
        // Fail closed: no record leaves without its trail entry.
        methods->ModifySendStatus(
            grpc::Status(grpc::StatusCode::UNAVAILABLE, "audit trail unavailable"));
        if (replaces_message) methods->ModifySendMessage(empty_response_.get());
      }
      methods->Proceed();  // last: the call (and this interceptor) may end here
    });
  }

 private:
  audit::v1::AuditEntry Entry(const grpc::Status& status) {
    audit::v1::AuditEntry entry;
    const absl::Time now = absl::Now();
    const int64_t nanos = absl::ToUnixNanos(now);
    entry.mutable_time()->set_seconds(nanos / 1000000000);
    entry.mutable_time()->set_nanos(static_cast<int32_t>(nanos % 1000000000));
    grpc::ServerContextBase* context = info_->server_context();
    if (absl::StatusOr<Principal> principal = PrincipalOf(*context); principal.ok()) {
      entry.set_principal_id(principal->subject);
      entry.set_principal_name(principal->display_name);
      entry.set_role(std::string(RoleName(principal->role)));
      entry.set_region_scope(principal->region_scope);
      entry.set_worker_id(principal->worker_id);
    }
    entry.set_subject(subjects_.subject);
    for (const std::string& returned : subjects_.returned) entry.add_returned_subjects(returned);
    for (const std::string& region : subjects_.returned_regions) entry.add_returned_regions(region);
    entry.set_record_region(subjects_.record_region);
    entry.set_action(method_);
    entry.set_outcome_code(
        absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code())));
    entry.set_outcome_message(status.error_message());
    const auto& metadata = context->client_metadata();
    entry.set_request_id(RequestIdFromMetadata(metadata));
    entry.set_client_address(ClientAddressOf(*context, trail_->forwarding_key()));
    entry.set_peer(context->peer());
    return entry;
  }

  grpc::experimental::ServerRpcInfo* const info_;
  const std::shared_ptr<AuditTrail> trail_;
  const AuditedCollection& audited_;
  const std::string method_;
  const bool read_;
  AuditSubjects subjects_;
  // Sent instead of the record when a read fails closed; alive until the call ends.
  std::unique_ptr<google::protobuf::Message> empty_response_;
};

class AuditInterceptorFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  AuditInterceptorFactory(std::shared_ptr<AuditTrail> trail,
                          std::map<std::string, AuditedCollection> audited)
      : trail_(std::move(trail)), audited_(std::move(audited)) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    // "/wahana.cases.v1.CaseService/GetCase"
    absl::string_view path = info->method() == nullptr ? "" : info->method();
    if (!absl::ConsumePrefix(&path, "/")) return nullptr;
    const size_t slash = path.find('/');
    if (slash == absl::string_view::npos) return nullptr;
    auto it = audited_.find(std::string(path.substr(0, slash)));
    if (it == audited_.end()) return nullptr;
    std::string method(path.substr(slash + 1));
    // Records without personal data leave entries for their changes only.
    if (!it->second.reads_audited && IsReadMethod(method)) return nullptr;
    return new AuditInterceptor(info, trail_, it->second, std::move(method));
  }

 private:
  const std::shared_ptr<AuditTrail> trail_;
  const std::map<std::string, AuditedCollection> audited_;
};

}  // namespace

bool IsReadMethod(const std::string& method) {
  for (const char* prefix : {"Get", "List", "Lookup", "Export"}) {
    if (absl::StartsWith(method, prefix)) return true;
  }
  return false;
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> MakeAuditInterceptorFactory(
    std::shared_ptr<AuditTrail> trail, std::map<std::string, AuditedCollection> audited) {
  return std::make_unique<AuditInterceptorFactory>(std::move(trail), std::move(audited));
}

}  // namespace wahana
