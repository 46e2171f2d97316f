#include "common/auth/token.h"

#include <jwt.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cerrno>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>
#include <unordered_map>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "common/auth/rsa_jwk.h"
#include "common/region/region_code.h"

namespace wahana {
namespace {

struct JwtFree {
  void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtFree>;

absl::Status Unauthenticated(absl::string_view reason) {
  return absl::UnauthenticatedError(absl::StrCat("invalid token: ", reason));
}

struct Header {
  std::string alg;
  std::string kid;  // "" when absent
};

// The header's `alg` and `kid`, read before any key is chosen: the key follows from them, so an
// RS256 public key can never be used as an HS256 secret.
absl::StatusOr<Header> ReadHeader(absl::string_view token) {
  std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  if (parts.size() != 3 || parts[0].empty() || parts[1].empty()) {
    return Unauthenticated("not a signed JWT (three dot-separated parts)");
  }
  std::string header;
  if (!absl::WebSafeBase64Unescape(parts[0], &header)) {
    return Unauthenticated("header is not base64url");
  }
  nlohmann::json parsed = nlohmann::json::parse(header, nullptr, false);
  if (!parsed.is_object() || !parsed.contains("alg") || !parsed["alg"].is_string()) {
    return Unauthenticated("header has no alg");
  }
  Header result;
  result.alg = parsed["alg"].get<std::string>();
  if (parsed.contains("kid") && parsed["kid"].is_string()) {
    result.kid = parsed["kid"].get<std::string>();
  }
  return result;
}

bool Printable(absl::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return false;
  }
  return true;
}

// A string claim, or an empty optional when absent or not a string.
std::optional<std::string> StringClaim(jwt_t* jwt, const char* name) {
  errno = 0;
  const char* value = jwt_get_grant(jwt, name);
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

// Whether the claim is present at all, of any JSON type.
bool HasClaim(jwt_t* jwt, const char* name) {
  char* json = jwt_get_grants_json(jwt, name);
  if (json == nullptr) return false;
  std::free(json);
  return true;
}

// A claim that must be a JSON integer when present (exp, nbf): absent is an empty optional;
// present as anything else (a string, 1.5e9, true) is an error, never read as absent or as 0.
absl::StatusOr<std::optional<long>> IntClaim(jwt_t* jwt, const char* name) {
  char* json = jwt_get_grants_json(jwt, name);
  if (json == nullptr) return std::optional<long>();
  std::string text(json);
  std::free(json);
  long value = 0;
  const bool digits = !text.empty() && text.find_first_not_of("-0123456789") == std::string::npos;
  if (!digits || !absl::SimpleAtoi(text, &value)) {
    return Unauthenticated(absl::StrCat(name, " claim must be an integer (seconds)"));
  }
  return std::optional<long>(value);
}

absl::Status CheckPemIsRsaPublicKey(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (bio == nullptr) return absl::InternalError("out of memory reading the public key");
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (key == nullptr) {
    return absl::InvalidArgumentError("the JWT public key is not a PEM public key");
  }
  bool rsa = EVP_PKEY_base_id(key) == EVP_PKEY_RSA;
  EVP_PKEY_free(key);
  if (!rsa) return absl::InvalidArgumentError("the JWT public key is not an RSA key");
  return absl::OkStatus();
}

absl::Status CheckSecret(const std::string& secret) {
  if (secret.size() < kMinTokenSecretBytes) {
    return absl::InvalidArgumentError(absl::StrCat("the token secret has ", secret.size(),
                                                   " bytes; at least ", kMinTokenSecretBytes,
                                                   " are required"));
  }
  return absl::OkStatus();
}

}  // namespace

// Tokens whose signature and claims verified, by their exact bytes. Bounded: when full, expired
// entries go first, then an arbitrary one (a flood of distinct valid tokens only costs hits).
class VerifiedTokenCache {
 public:
  explicit VerifiedTokenCache(size_t capacity) : capacity_(capacity) {}

  std::optional<TokenVerifier::Verified> Find(absl::string_view token) const {
    absl::ReaderMutexLock lock(&mu_);
    auto it = entries_.find(std::string(token));
    if (it == entries_.end()) return std::nullopt;
    return it->second;
  }

  // `now_s`: entries expired by then (leeway included) make room first.
  void Insert(absl::string_view token, const TokenVerifier::Verified& verified, int64_t now_s) {
    absl::MutexLock lock(&mu_);
    if (entries_.size() >= capacity_) {
      const int64_t leeway_s = absl::ToInt64Seconds(kTokenLeeway);
      for (auto it = entries_.begin(); it != entries_.end();) {
        it = now_s > it->second.exp + leeway_s ? entries_.erase(it) : std::next(it);
      }
      while (entries_.size() >= capacity_) entries_.erase(entries_.begin());
    }
    entries_.insert_or_assign(std::string(token), verified);
  }

  size_t size() const {
    absl::ReaderMutexLock lock(&mu_);
    return entries_.size();
  }

 private:
  const size_t capacity_;
  mutable absl::Mutex mu_;
  std::unordered_map<std::string, TokenVerifier::Verified> entries_ ABSL_GUARDED_BY(mu_);
};

bool IsServiceTokenPrincipal(const Principal& principal) {
  return principal.role == Role::kSystem && absl::StartsWith(principal.subject, "service:") &&
         principal.subject.size() > std::string("service:").size();
}

TokenVerifier::TokenVerifier(TokenVerifierKeys keys, std::string issuer_kid, size_t cache_size)
    : hs256_secret_(std::move(keys.hs256_secret)),
      rs256_public_key_pem_(std::move(keys.idp_public_key_pem)),
      issuer_public_key_pem_(std::move(keys.issuer_public_key_pem)),
      issuer_kid_(std::move(issuer_kid)),
      cache_(cache_size > 0 ? std::make_unique<VerifiedTokenCache>(cache_size) : nullptr) {}

TokenVerifier::~TokenVerifier() = default;

absl::StatusOr<std::shared_ptr<const TokenVerifier>> TokenVerifier::Create(
    std::string hs256_secret, std::string rs256_public_key_pem, size_t cache_size) {
  TokenVerifierKeys keys;
  keys.hs256_secret = std::move(hs256_secret);
  keys.idp_public_key_pem = std::move(rs256_public_key_pem);
  return Create(std::move(keys), cache_size);
}

absl::StatusOr<std::shared_ptr<const TokenVerifier>> TokenVerifier::Create(TokenVerifierKeys keys,
                                                                           size_t cache_size) {
  if (absl::Status s = CheckSecret(keys.hs256_secret); !s.ok()) return s;
  if (!keys.idp_public_key_pem.empty()) {
    if (absl::Status s = CheckPemIsRsaPublicKey(keys.idp_public_key_pem); !s.ok()) return s;
  }
  std::string issuer_kid;
  if (!keys.issuer_public_key_pem.empty()) {
    absl::StatusOr<RsaJwk> jwk = RsaJwkOfPem(keys.issuer_public_key_pem, /*private_key=*/false);
    if (!jwk.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("the token issuer's public key: ", jwk.status().message()));
    }
    issuer_kid = jwk->kid;
  }
  return std::shared_ptr<const TokenVerifier>(
      new TokenVerifier(std::move(keys), std::move(issuer_kid), cache_size));
}

size_t TokenVerifier::cached_tokens() const { return cache_ == nullptr ? 0 : cache_->size(); }

absl::StatusOr<Principal> TokenVerifier::Verify(absl::string_view token) const {
  return VerifyAt(token, absl::Now());
}

absl::StatusOr<Principal> TokenVerifier::VerifyAt(absl::string_view token, absl::Time now) const {
  std::optional<Verified> verified;
  if (cache_ != nullptr) verified = cache_->Find(token);
  const bool hit = verified.has_value();
  if (!hit) {
    absl::StatusOr<Verified> decoded = Decode(token);
    if (!decoded.ok()) return decoded.status();
    verified = *std::move(decoded);
  }
  // The time window is judged on every call, cached or not.
  const int64_t now_s = absl::ToUnixSeconds(now);
  const int64_t leeway_s = absl::ToInt64Seconds(kTokenLeeway);
  if (now_s > verified->exp + leeway_s) return Unauthenticated("expired");
  if (verified->nbf && now_s + leeway_s < *verified->nbf) {
    return Unauthenticated("not valid yet (nbf)");
  }
  if (!hit && cache_ != nullptr) cache_->Insert(token, *verified, now_s);
  return std::move(verified->principal);
}

absl::StatusOr<TokenVerifier::Verified> TokenVerifier::Decode(absl::string_view token) const {
  absl::StatusOr<Header> header = ReadHeader(token);
  if (!header.ok()) return header.status();
  const std::string* key = nullptr;
  jwt_alg_t expected;
  if (header->alg == "HS256") {
    key = &hs256_secret_;
    expected = JWT_ALG_HS256;
  } else if (header->alg == "RS256" && !issuer_kid_.empty() && header->kid == issuer_kid_) {
    key = &issuer_public_key_pem_;
    expected = JWT_ALG_RS256;
  } else if (header->alg == "RS256" && !rs256_public_key_pem_.empty()) {
    key = &rs256_public_key_pem_;
    expected = JWT_ALG_RS256;
  } else if (header->alg == "RS256") {
    return Unauthenticated(issuer_kid_.empty()
                               ? "RS256 tokens are not accepted here (no public key configured)"
                               : "RS256 token signed by an unknown key (kid)");
  } else {
    // The name is client text: say what is accepted rather than echo it.
    return Unauthenticated("algorithm not accepted (HS256 or RS256 only)");
  }

  std::string text(token);
  jwt_t* raw = nullptr;
  int rc = jwt_decode(&raw, text.c_str(), reinterpret_cast<const unsigned char*>(key->data()),
                      static_cast<int>(key->size()));
  JwtPtr jwt(raw);
  if (rc != 0 || jwt == nullptr) return Unauthenticated("signature does not verify");
  if (jwt_get_alg(jwt.get()) != expected) return Unauthenticated("algorithm mismatch");

  // "crit" names header parameters the recipient must understand or refuse (RFC 7515 4.1.11):
  // this verifier understands none.
  if (char* crit = jwt_get_headers_json(jwt.get(), "crit"); crit != nullptr) {
    std::free(crit);
    return Unauthenticated("crit header not supported");
  }

  Verified verified;
  absl::StatusOr<std::optional<long>> exp = IntClaim(jwt.get(), "exp");
  if (!exp.ok()) return exp.status();
  if (!*exp) return Unauthenticated("exp claim (an integer) is required");
  verified.exp = **exp;
  absl::StatusOr<std::optional<long>> nbf = IntClaim(jwt.get(), "nbf");
  if (!nbf.ok()) return nbf.status();
  if (*nbf) verified.nbf = **nbf;

  Principal& principal = verified.principal;
  std::optional<std::string> sub = StringClaim(jwt.get(), "sub");
  if (!sub || sub->empty() || !Printable(*sub)) return Unauthenticated("sub claim is required");
  principal.subject = std::move(*sub);
  std::optional<std::string> role = StringClaim(jwt.get(), "role");
  if (!role) return Unauthenticated("role claim is required");
  absl::StatusOr<Role> parsed_role = ParseRole(*role);
  if (!parsed_role.ok()) return Unauthenticated("role claim is not a role");
  principal.role = *parsed_role;
  std::optional<std::string> scope = StringClaim(jwt.get(), "scope");
  if (!scope) return Unauthenticated("scope claim (a region-code prefix) is required");
  if (!ParseRegionCode(*scope).ok()) {
    return Unauthenticated("scope claim is not a region code");
  }
  principal.region_scope = std::move(*scope);
  if (std::optional<std::string> name = StringClaim(jwt.get(), "name"); name && Printable(*name)) {
    principal.display_name = std::move(*name);
  }
  // A present but empty claim links nothing, as an absent one; one of another JSON type is refused
  // rather than ignored, as the link it was meant to make cannot be honoured.
  std::optional<std::string> worker = StringClaim(jwt.get(), "worker");
  if (!worker && HasClaim(jwt.get(), "worker")) {
    return Unauthenticated("worker claim (a worker id) must be a string");
  }
  if (worker) {
    if (!CheckWorkerLink(principal.role, *worker, "worker").ok()) {
      return Unauthenticated("worker claim needs role FIELD_WORKER and a worker id");
    }
    principal.worker_id = std::move(*worker);
  }
  // The shared secret is every service's: a token it signs speaks only for a service.
  if (expected == JWT_ALG_HS256 && !IsServiceTokenPrincipal(principal)) {
    return Unauthenticated("HS256 tokens are accepted for the suite's services only");
  }
  return verified;
}

// Tokens minted for principals, by the principal's fields, each with the time it is to be
// renewed. Bounded as VerifiedTokenCache.
class MintedTokenCache {
 public:
  explicit MintedTokenCache(size_t capacity) : capacity_(capacity) {}

  static std::string KeyOf(const Principal& p) {
    std::string key;
    for (absl::string_view field :
         {absl::string_view(p.subject), absl::string_view(p.display_name), RoleName(p.role),
          absl::string_view(p.region_scope), absl::string_view(p.worker_id)}) {
      absl::StrAppend(&key, field.size(), ":", field);
    }
    return key;
  }

  std::optional<std::string> Find(const std::string& key, absl::Time now) const {
    absl::ReaderMutexLock lock(&mu_);
    auto it = entries_.find(key);
    if (it == entries_.end() || now >= it->second.renew_at || now < it->second.minted_at) {
      return std::nullopt;
    }
    return it->second.token;
  }

  void Insert(const std::string& key, std::string token, absl::Time minted_at,
              absl::Time renew_at) {
    absl::MutexLock lock(&mu_);
    if (entries_.size() >= capacity_ && entries_.find(key) == entries_.end()) {
      for (auto it = entries_.begin(); it != entries_.end();) {
        it = minted_at >= it->second.renew_at ? entries_.erase(it) : std::next(it);
      }
      while (entries_.size() >= capacity_) entries_.erase(entries_.begin());
    }
    entries_.insert_or_assign(key, Entry{std::move(token), minted_at, renew_at});
  }

 private:
  struct Entry {
    std::string token;
    absl::Time minted_at;
    absl::Time renew_at;
  };
  const size_t capacity_;
  mutable absl::Mutex mu_;
  std::unordered_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
};

TokenMinter::TokenMinter(bool rs256, std::string key, std::string kid, std::string public_key_pem,
                         absl::Duration lifetime, size_t cache_size)
    : rs256_(rs256),
      key_(std::move(key)),
      kid_(std::move(kid)),
      public_key_pem_(std::move(public_key_pem)),
      lifetime_(lifetime),
      cache_(cache_size > 0 ? std::make_unique<MintedTokenCache>(cache_size) : nullptr) {}

TokenMinter::~TokenMinter() = default;

absl::StatusOr<std::shared_ptr<const TokenMinter>> TokenMinter::Create(std::string hs256_secret,
                                                                       absl::Duration lifetime,
                                                                       size_t cache_size) {
  if (absl::Status s = CheckSecret(hs256_secret); !s.ok()) return s;
  if (lifetime <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("the token lifetime must be positive");
  }
  return std::shared_ptr<const TokenMinter>(
      new TokenMinter(false, std::move(hs256_secret), "", "", lifetime, cache_size));
}

absl::StatusOr<std::shared_ptr<const TokenMinter>> TokenMinter::CreateRs256(
    std::string private_key_pem, absl::Duration lifetime, size_t cache_size) {
  absl::StatusOr<RsaJwk> jwk = RsaJwkOfPem(private_key_pem, /*private_key=*/true);
  if (!jwk.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the token signing key: ", jwk.status().message()));
  }
  if (lifetime <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("the token lifetime must be positive");
  }
  return std::shared_ptr<const TokenMinter>(new TokenMinter(
      true, std::move(private_key_pem), jwk->kid, jwk->public_pem, lifetime, cache_size));
}

absl::StatusOr<std::string> TokenMinter::Reusable(const Principal& principal) const {
  return ReusableAt(principal, absl::Now());
}

absl::StatusOr<std::string> TokenMinter::ReusableAt(const Principal& principal,
                                                    absl::Time now) const {
  if (cache_ == nullptr) return MintAt(principal, now);
  const std::string key = MintedTokenCache::KeyOf(principal);
  if (std::optional<std::string> token = cache_->Find(key, now)) return *std::move(token);
  absl::StatusOr<std::string> token = MintAt(principal, now);
  if (token.ok()) cache_->Insert(key, *token, now, now + lifetime_ / 2);
  return token;
}

absl::StatusOr<std::string> TokenMinter::Mint(const Principal& principal) const {
  return MintAt(principal, absl::Now());
}

absl::StatusOr<std::string> TokenMinter::MintAt(const Principal& principal, absl::Time now) const {
  // A token no verifier would accept is refused here, where the mistake is made.
  if (absl::Status s = CheckWorkerLink(principal.role, principal.worker_id, "worker"); !s.ok()) {
    return s;
  }
  if (!rs256_ && !IsServiceTokenPrincipal(principal)) {
    return absl::InvalidArgumentError(
        "the shared secret signs only a service's own tokens (service:<name>, SYSTEM); tokens for "
        "anyone else are signed with the issuer key (WAHANA_TOKEN_SIGNING_KEY_FILE)");
  }
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) return absl::InternalError("cannot create a token (out of memory)");
  JwtPtr jwt(raw);
  const int64_t now_s = absl::ToUnixSeconds(now);
  const std::string role(RoleName(principal.role));
  int rc = jwt_add_grant(jwt.get(), "sub", principal.subject.c_str());
  rc = rc ? rc : jwt_add_grant(jwt.get(), "role", role.c_str());
  rc = rc ? rc : jwt_add_grant(jwt.get(), "scope", principal.region_scope.c_str());
  if (!principal.display_name.empty()) {
    rc = rc ? rc : jwt_add_grant(jwt.get(), "name", principal.display_name.c_str());
  }
  if (!principal.worker_id.empty()) {
    rc = rc ? rc : jwt_add_grant(jwt.get(), "worker", principal.worker_id.c_str());
  }
  rc = rc ? rc : jwt_add_grant_int(jwt.get(), "iat", static_cast<long>(now_s));
  rc = rc ? rc
          : jwt_add_grant_int(jwt.get(), "exp",
                              static_cast<long>(now_s + absl::ToInt64Seconds(lifetime_)));
  if (rs256_) rc = rc ? rc : jwt_add_header(jwt.get(), "kid", kid_.c_str());
  rc = rc ? rc
          : jwt_set_alg(jwt.get(), rs256_ ? JWT_ALG_RS256 : JWT_ALG_HS256,
                        reinterpret_cast<const unsigned char*>(key_.data()),
                        static_cast<int>(key_.size()));
  if (rc != 0) return absl::InternalError("cannot build a token");
  char* encoded = jwt_encode_str(jwt.get());
  if (encoded == nullptr) return absl::InternalError("cannot sign a token");
  std::string token(encoded);
  std::free(encoded);
  return token;
}

}  // namespace wahana
