#include "gateway/request_authenticator.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/auth/call_authenticator.h"
#include "common/status/status_macros.h"

namespace wahana {

absl::StatusOr<Principal> RequestAuthenticator::Authenticate(absl::string_view authorization,
                                                             absl::string_view api_key) const {
  absl::string_view credential;
  if (!authorization.empty()) {
    absl::StatusOr<absl::string_view> token = BearerToken(authorization);
    if (!token.ok()) return token.status();
    credential = *token;
  } else if (!absl::StripAsciiWhitespace(api_key).empty()) {
    credential = absl::StripAsciiWhitespace(api_key);
  } else {
    return absl::UnauthenticatedError(
        "credentials required: send \"Authorization: Bearer <API key or token>\"");
  }
  if (ApiKeyStore::LooksLikeApiKey(credential)) return api_keys_->Authenticate(credential);
  absl::StatusOr<Principal> principal = verifier_->Verify(credential);
  if (!principal.ok()) return principal.status();
  // The suite's own names and role are not for tokens from outside (principal.h).
  if (IsReservedSubject(principal->subject)) {
    return absl::UnauthenticatedError(
        "invalid token: sub claim is reserved (API keys and the suite's own processes)");
  }
  if (principal->role == Role::kSystem) {
    return absl::UnauthenticatedError("invalid token: role SYSTEM is not for clients");
  }
  if (!principal->worker_id.empty()) WAHANA_RETURN_IF_ERROR(CheckWorkerClaim(*principal));
  return principal;
}

absl::Status RequestAuthenticator::CheckWorkerClaim(const Principal& principal) const {
  if (workers_ == nullptr) return absl::OkStatus();
  constexpr absl::Duration kGoodFor = absl::Minutes(1);
  constexpr size_t kMaxRemembered = 10000;
  const std::string link = absl::StrCat(principal.worker_id, "|", principal.region_scope);
  const absl::Time now = absl::Now();
  {
    absl::MutexLock lock(&mu_);
    auto it = good_links_.find(link);
    if (it != good_links_.end() && it->second > now) return absl::OkStatus();
  }
  // Asked as the token's own principal: a worker it may not see is as absent as an unknown one.
  absl::Status linked =
      CheckWorkerLinkInRegistry(*workers_, principal, principal.worker_id, principal.region_scope,
                                deployment_region_, "worker claim");
  if (absl::IsUnavailable(linked)) return linked;
  if (!linked.ok())
    return absl::UnauthenticatedError(absl::StrCat("invalid token: ", linked.message()));
  absl::MutexLock lock(&mu_);
  if (good_links_.size() >= kMaxRemembered) good_links_.clear();
  good_links_[link] = now + kGoodFor;
  return absl::OkStatus();
}

}  // namespace wahana
