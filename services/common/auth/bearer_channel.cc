#include "common/auth/bearer_channel.h"

#include <grpcpp/support/client_interceptor.h>

#include "absl/strings/str_cat.h"
#include "common/auth/call_authenticator.h"

namespace wahana {
namespace {

class BearerInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit BearerInterceptor(const TokenSource& source) : source_(source) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      std::multimap<std::string, std::string>* metadata = methods->GetSendInitialMetadata();
      if (metadata != nullptr && metadata->count(kAuthorizationMetadata) == 0) {
        absl::StatusOr<std::string> token = source_.Token();
        if (token.ok()) metadata->emplace(kAuthorizationMetadata, absl::StrCat("Bearer ", *token));
      }
    }
    methods->Proceed();
  }

 private:
  const TokenSource& source_;
};

class BearerInterceptorFactory final
    : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  explicit BearerInterceptorFactory(std::shared_ptr<const TokenSource> source)
      : source_(std::move(source)) {}

  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo* info) override {
    return new BearerInterceptor(*source_);
  }

 private:
  std::shared_ptr<const TokenSource> source_;
};

}  // namespace

TokenSource::TokenSource(std::shared_ptr<const TokenMinter> minter, Principal principal)
    : minter_(std::move(minter)), principal_(std::move(principal)) {}

absl::StatusOr<std::string> TokenSource::Token() const {
  absl::Time now = absl::Now();
  absl::MutexLock lock(&mu_);
  if (now < renew_at_) return token_;
  absl::StatusOr<std::string> token = minter_->MintAt(principal_, now);
  if (!token.ok()) return token.status();
  token_ = *token;
  renew_at_ = now + minter_->lifetime() * 2 / 3;
  return token_;
}

std::shared_ptr<grpc::Channel> CreateAuthorizedChannel(
    const std::string& target, const grpc::ChannelArguments& args,
    std::shared_ptr<const TokenSource> source,
    std::shared_ptr<grpc::ChannelCredentials> credentials) {
  std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> creators;
  creators.push_back(std::make_unique<BearerInterceptorFactory>(std::move(source)));
  return grpc::experimental::CreateCustomChannelWithInterceptors(target, credentials, args,
                                                                 std::move(creators));
}

void AuthorizeAllOutgoingCalls(std::shared_ptr<const TokenSource> source) {
  static auto* const factory = new BearerInterceptorFactory(std::move(source));
  grpc::experimental::RegisterGlobalClientInterceptorFactory(factory);
}

Principal ServicePrincipal(const std::string& process, const std::string& region) {
  Principal p;
  p.subject = absl::StrCat("service:", process);
  p.display_name = absl::StrCat("wahana-", process);
  p.role = Role::kSystem;
  p.region_scope = region;
  return p;
}

}  // namespace wahana
