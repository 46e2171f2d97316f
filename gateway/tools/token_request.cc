#include "gateway/tools/token_request.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/auth/role.h"
#include "common/region/region_code.h"

namespace wahana {

absl::StatusOr<TokenRequest> ParseTokenRequest(const std::map<std::string, std::string>& options,
                                               const std::vector<std::string>& positional,
                                               absl::string_view region, absl::string_view user,
                                               int64_t default_lifetime_s) {
  if (!positional.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("token: unexpected argument \"", positional.front(), "\""));
  }
  for (const auto& [name, value] : options) {
    if (name != "role" && name != "scope" && name != "subject" && name != "lifetime") {
      return absl::InvalidArgumentError(absl::StrCat("token: unknown option --", name));
    }
  }
  auto option = [&options](const char* name) -> const std::string* {
    auto it = options.find(name);
    return it == options.end() ? nullptr : &it->second;
  };

  TokenRequest request;
  const std::string* role = option("role");
  if (role == nullptr) return absl::InvalidArgumentError("--role: required");
  absl::StatusOr<Role> parsed_role = ParseRole(*role, "--role");
  if (!parsed_role.ok()) return parsed_role.status();
  request.principal.role = *parsed_role;

  const std::string* scope = option("scope");
  request.principal.region_scope = scope != nullptr ? *scope : std::string(region);
  if (absl::Status s = ParseRegionCode(request.principal.region_scope, "--scope").status();
      !s.ok()) {
    return s;
  }
  if (!RegionWithin(request.principal.region_scope, region) &&
      !RegionWithin(region, request.principal.region_scope)) {
    return absl::InvalidArgumentError(absl::StrCat("--scope: ", request.principal.region_scope,
                                                   " is outside this deployment's region ",
                                                   region));
  }

  const std::string* subject = option("subject");
  request.principal.subject = subject != nullptr ? *subject : absl::StrCat("cli:", user);
  if (request.principal.subject.empty() || request.principal.subject == "cli:") {
    return absl::InvalidArgumentError("--subject: must not be empty");
  }

  request.lifetime_s = default_lifetime_s;
  if (const std::string* lifetime = option("lifetime"); lifetime != nullptr) {
    int64_t seconds = 0;
    if (!absl::SimpleAtoi(*lifetime, &seconds) || seconds < kMinCliTokenLifetimeS ||
        seconds > kMaxCliTokenLifetimeS) {
      return absl::InvalidArgumentError(
          absl::StrCat("--lifetime: \"", *lifetime, "\" is not a number of seconds from ",
                       kMinCliTokenLifetimeS, " to ", kMaxCliTokenLifetimeS));
    }
    request.lifetime_s = seconds;
  }
  return request;
}

}  // namespace wahana
