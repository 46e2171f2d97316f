#include "gateway/token_endpoint.h"

#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/auth/rsa_jwk.h"
#include "gateway/percent_encoding.h"

namespace wahana {
namespace {

HttpResponse OAuthError(int status, absl::string_view error, absl::string_view description) {
  HttpResponse response;
  response.status = status;
  response.body =
      nlohmann::json{{"error", std::string(error)}, {"error_description", std::string(description)}}
          .dump();
  response.headers.emplace_back("Cache-Control", "no-store");
  if (status == 401) response.headers.emplace_back("WWW-Authenticate", "Basic realm=\"wahana\"");
  return response;
}

// The fields of a form body; nullopt when it is malformed or repeats a field (RFC 6749 section
// 3.2: parameters must not be included more than once).
std::optional<std::map<std::string, std::string>> ParseForm(absl::string_view body) {
  std::map<std::string, std::string> fields;
  for (absl::string_view pair : absl::StrSplit(body, '&', absl::SkipEmpty())) {
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(pair, absl::MaxSplits('=', 1));
    std::optional<std::string> name = PercentDecode(kv.first, /*plus_is_space=*/true);
    std::optional<std::string> value = PercentDecode(kv.second, /*plus_is_space=*/true);
    if (!name || !value || name->empty()) return std::nullopt;
    if (!fields.emplace(*std::move(name), *std::move(value)).second) return std::nullopt;
  }
  return fields;
}

}  // namespace

TokenEndpoint::TokenEndpoint(std::shared_ptr<ApiKeyStore> api_keys,
                             std::shared_ptr<const TokenMinter> issuer)
    : api_keys_(std::move(api_keys)), issuer_(std::move(issuer)) {
  nlohmann::json keys = nlohmann::json::array();
  absl::StatusOr<RsaJwk> jwk = RsaJwkOfPem(issuer_->public_key_pem(), /*private_key=*/false);
  if (jwk.ok()) {
    keys.push_back({{"kty", "RSA"},
                    {"use", "sig"},
                    {"alg", "RS256"},
                    {"kid", jwk->kid},
                    {"n", jwk->n},
                    {"e", jwk->e}});
  }
  jwks_json_ = nlohmann::json{{"keys", keys}}.dump();
}

HttpResponse TokenEndpoint::Jwks() const {
  HttpResponse response;
  response.body = jwks_json_;
  response.content_type = "application/jwk-set+json";
  response.headers.emplace_back("Cache-Control", "public, max-age=300");
  return response;
}

TokenEndpoint::Outcome TokenEndpoint::Issue(absl::string_view content_type,
                                            absl::string_view authorization,
                                            absl::string_view body) const {
  Outcome outcome;
  absl::string_view media =
      absl::StripAsciiWhitespace(content_type.substr(0, content_type.find(';')));
  if (!absl::EqualsIgnoreCase(media, "application/x-www-form-urlencoded")) {
    outcome.response =
        OAuthError(400, "invalid_request", "send the form as application/x-www-form-urlencoded");
    return outcome;
  }
  std::optional<std::map<std::string, std::string>> form = ParseForm(body);
  if (!form) {
    outcome.response =
        OAuthError(400, "invalid_request", "the form is malformed or repeats a parameter");
    return outcome;
  }
  auto field = [&](const char* name) -> std::optional<std::string> {
    auto it = form->find(name);
    if (it == form->end()) return std::nullopt;
    return it->second;
  };
  std::optional<std::string> grant_type = field("grant_type");
  if (!grant_type) {
    outcome.response = OAuthError(400, "invalid_request", "grant_type is required");
    return outcome;
  }
  if (*grant_type != "client_credentials") {
    outcome.response =
        OAuthError(400, "unsupported_grant_type", "only grant_type=client_credentials is issued");
    return outcome;
  }

  std::optional<std::string> client_id = field("client_id");
  std::optional<std::string> client_secret = field("client_secret");
  absl::string_view header = absl::StripAsciiWhitespace(authorization);
  if (!header.empty()) {
    if (client_secret) {
      outcome.response = OAuthError(400, "invalid_request",
                                    "send the client's credentials once: HTTP Basic or the form");
      return outcome;
    }
    std::string decoded;
    std::optional<std::string> id, secret;
    if (header.size() > 6 && absl::EqualsIgnoreCase(header.substr(0, 6), "Basic ") &&
        absl::Base64Unescape(absl::StripAsciiWhitespace(header.substr(6)), &decoded)) {
      size_t colon = decoded.find(':');
      if (colon != std::string::npos) {
        id = PercentDecode(absl::string_view(decoded).substr(0, colon), true);
        secret = PercentDecode(absl::string_view(decoded).substr(colon + 1), true);
      }
    }
    if (!id || !secret || (client_id && *client_id != *id)) {
      outcome.client_failed = true;
      outcome.response = OAuthError(401, "invalid_client", "client authentication failed");
      return outcome;
    }
    client_id = std::move(id);
    client_secret = std::move(secret);
  }
  if (!client_secret || client_secret->empty()) {
    outcome.response = OAuthError(
        401, "invalid_client",
        "client authentication required: HTTP Basic with client_id (the API key's id) and "
        "client_secret (the API key)");
    return outcome;
  }
  // The key names its id ("wk_<keyId>_..."): client_id must be that id.
  if (!client_id || !ApiKeyStore::LooksLikeApiKey(*client_secret) ||
      !absl::StartsWith(*client_secret, absl::StrCat("wk_", *client_id, "_"))) {
    outcome.client_failed = true;
    outcome.response = OAuthError(401, "invalid_client", "client authentication failed");
    return outcome;
  }
  absl::StatusOr<Principal> principal = api_keys_->Authenticate(*client_secret);
  if (!principal.ok()) {
    if (principal.status().code() == absl::StatusCode::kUnauthenticated) {
      outcome.client_failed = true;
      outcome.response = OAuthError(401, "invalid_client", "client authentication failed");
    } else {
      outcome.response = OAuthError(503, "temporarily_unavailable",
                                    "the API keys cannot be checked now; retry shortly");
      outcome.response.headers.emplace_back("Retry-After", "1");
    }
    return outcome;
  }
  absl::StatusOr<std::string> token = issuer_->Mint(*principal);
  if (!token.ok()) {
    outcome.response = OAuthError(500, "server_error", "cannot issue a token");
    return outcome;
  }
  outcome.subject = principal->subject;
  outcome.response.body = nlohmann::json{{"access_token", *token},
                                         {"token_type", "Bearer"},
                                         {"expires_in", absl::ToInt64Seconds(issuer_->lifetime())}}
                              .dump();
  outcome.response.headers.emplace_back("Cache-Control", "no-store");
  outcome.response.headers.emplace_back("Pragma", "no-cache");
  return outcome;
}

}  // namespace wahana
