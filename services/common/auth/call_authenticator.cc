#include "common/auth/call_authenticator.h"

#include <openssl/rand.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace wahana {
namespace {

using Metadata = std::multimap<grpc::string_ref, grpc::string_ref>;

// A random value fixed for the life of the process, prefixed to every verdict: a principal the
// interceptor did not write (a client sending the reserved key to a server that has no
// interceptor) never decodes.
const std::string& ProcessNonce() {
  static const std::string* const kNonce = [] {
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1) std::abort();  // no randomness: cannot be safe
    return new std::string(absl::BytesToHexString(
        absl::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes)));
  }();
  return *kNonce;
}

// The nonce, then fields joined as "<length>:<bytes>" so any byte may appear in them.
std::string EncodePrincipal(const Principal& p) {
  std::string out = ProcessNonce();
  for (absl::string_view field :
       {absl::string_view(p.subject), absl::string_view(p.display_name), RoleName(p.role),
        absl::string_view(p.region_scope), absl::string_view(p.worker_id)}) {
    absl::StrAppend(&out, field.size(), ":", field);
  }
  return out;
}

absl::StatusOr<Principal> DecodePrincipal(absl::string_view text) {
  if (!absl::StartsWith(text, ProcessNonce())) {
    return absl::UnauthenticatedError("credentials were not verified by this server");
  }
  text.remove_prefix(ProcessNonce().size());
  std::string fields[5];
  for (std::string& field : fields) {
    size_t colon = text.find(':');
    size_t length = 0;
    if (colon == absl::string_view::npos || !absl::SimpleAtoi(text.substr(0, colon), &length) ||
        text.size() - colon - 1 < length) {
      return absl::InternalError("unreadable verified principal");
    }
    field = std::string(text.substr(colon + 1, length));
    text.remove_prefix(colon + 1 + length);
  }
  Principal p;
  p.subject = std::move(fields[0]);
  p.display_name = std::move(fields[1]);
  absl::StatusOr<Role> role = ParseRole(fields[2]);
  if (!role.ok()) return absl::InternalError("unreadable verified principal");
  p.role = *role;
  p.region_scope = std::move(fields[3]);
  p.worker_id = std::move(fields[4]);
  return p;
}

class AuthenticatingInterceptor final : public grpc::experimental::Interceptor {
 public:
  AuthenticatingInterceptor(const TokenVerifier& verifier) : verifier_(verifier) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      Metadata* metadata = methods->GetRecvInitialMetadata();
      if (metadata != nullptr) Judge(*metadata);
    }
    methods->Proceed();
  }

 private:
  void Judge(Metadata& metadata) {
    metadata.erase(kVerifiedPrincipalMetadata);
    metadata.erase(kAuthErrorMetadata);
    auto it = metadata.find(kAuthorizationMetadata);
    absl::Status failure;
    if (it == metadata.end()) {
      failure = absl::UnauthenticatedError(
          "credentials required: send metadata \"authorization: Bearer <token>\"");
    } else {
      absl::StatusOr<absl::string_view> token =
          BearerToken(absl::string_view(it->second.data(), it->second.size()));
      absl::StatusOr<Principal> principal =
          token.ok() ? verifier_.Verify(*token) : absl::StatusOr<Principal>(token.status());
      if (principal.ok()) {
        verdict_ = EncodePrincipal(*principal);
        metadata.emplace(grpc::string_ref(kVerifiedPrincipalMetadata), grpc::string_ref(verdict_));
        return;
      }
      failure = principal.status();
    }
    verdict_ = std::string(failure.message());
    metadata.emplace(grpc::string_ref(kAuthErrorMetadata), grpc::string_ref(verdict_));
  }

  const TokenVerifier& verifier_;
  std::string verdict_;  // what the metadata entry we add points into
};

class AuthenticatingInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit AuthenticatingInterceptorFactory(std::shared_ptr<const TokenVerifier> verifier)
      : verifier_(std::move(verifier)) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new AuthenticatingInterceptor(*verifier_);
  }

 private:
  std::shared_ptr<const TokenVerifier> verifier_;
};

}  // namespace

absl::StatusOr<absl::string_view> BearerToken(absl::string_view authorization) {
  absl::string_view value = absl::StripAsciiWhitespace(authorization);
  constexpr absl::string_view kScheme = "bearer ";
  if (value.size() <= kScheme.size() ||
      !absl::EqualsIgnoreCase(value.substr(0, kScheme.size()), kScheme)) {
    return absl::UnauthenticatedError("authorization must be \"Bearer <token>\"");
  }
  return absl::StripLeadingAsciiWhitespace(value.substr(kScheme.size()));
}

void InstallCallAuthentication(grpc::ServerBuilder& builder,
                               std::shared_ptr<const TokenVerifier> verifier) {
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> creators;
  creators.push_back(MakeCallAuthenticationFactory(std::move(verifier)));
  builder.experimental().SetInterceptorCreators(std::move(creators));
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MakeCallAuthenticationFactory(std::shared_ptr<const TokenVerifier> verifier) {
  return std::make_unique<AuthenticatingInterceptorFactory>(std::move(verifier));
}

absl::StatusOr<Principal> PrincipalOf(const grpc::ServerContextBase& context) {
  const Metadata& metadata = context.client_metadata();
  if (auto it = metadata.find(kVerifiedPrincipalMetadata); it != metadata.end()) {
    return DecodePrincipal(absl::string_view(it->second.data(), it->second.size()));
  }
  if (auto it = metadata.find(kAuthErrorMetadata); it != metadata.end()) {
    return absl::UnauthenticatedError(absl::string_view(it->second.data(), it->second.size()));
  }
  return absl::UnauthenticatedError("this server does not authenticate calls");
}

}  // namespace wahana
