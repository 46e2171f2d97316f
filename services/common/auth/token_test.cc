#include "common/auth/token.h"

#include <gtest/gtest.h>
#include <jwt.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <cstdlib>
#include <map>
#include <memory>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "common/auth/rsa_jwk.h"

namespace wahana {
namespace {

const std::string kSecret = "0123456789abcdef0123456789abcdef-test-secret";
const absl::Time kNow = absl::FromUnixSeconds(1750000000);

struct RsaKeyPair {
  std::string private_pem;
  std::string public_pem;
};

RsaKeyPair MakeRsaKey() {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  EXPECT_NE(key, nullptr);
  RsaKeyPair pair;
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  pair.private_pem.assign(data, n);
  BIO_free(bio);
  bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, key);
  n = BIO_get_mem_data(bio, &data);
  pair.public_pem.assign(data, n);
  BIO_free(bio);
  EVP_PKEY_free(key);
  return pair;
}

const RsaKeyPair& Rsa() {
  static const RsaKeyPair* pair = new RsaKeyPair(MakeRsaKey());
  return *pair;
}

using Claims = std::map<std::string, std::string>;  // values "#123" are integers

Claims GoodClaims() {
  return {{"sub", "user-7"},
          {"role", "OPERATOR"},
          {"scope", "16.06"},
          {"name", "Rina"},
          {"exp", "#" + std::to_string(absl::ToUnixSeconds(kNow) + 300)}};
}

// A token signed by libjwt with `alg` and `key`.
std::string Sign(const Claims& claims, jwt_alg_t alg, const std::string& key) {
  jwt_t* jwt = nullptr;
  EXPECT_EQ(jwt_new(&jwt), 0);
  for (const auto& [name, value] : claims) {
    if (!value.empty() && value[0] == '#') {
      jwt_add_grant_int(jwt, name.c_str(), std::stol(value.substr(1)));
    } else if (!value.empty() && value[0] == '=') {  // "=<JSON>": the claim as raw JSON
      jwt_add_grants_json(jwt, ("{\"" + name + "\":" + value.substr(1) + "}").c_str());
    } else if (name == "crit") {  // a header, not a claim
      jwt_add_headers_json(jwt, ("{\"crit\":" + value + "}").c_str());
    } else {
      jwt_add_grant(jwt, name.c_str(), value.c_str());
    }
  }
  EXPECT_EQ(jwt_set_alg(jwt, alg, reinterpret_cast<const unsigned char*>(key.data()),
                        static_cast<int>(key.size())),
            0);
  char* out = jwt_encode_str(jwt);
  std::string token = out ? out : "";
  std::free(out);
  jwt_free(jwt);
  return token;
}

std::shared_ptr<const TokenVerifier> Verifier(bool with_rsa = true) {
  auto v = TokenVerifier::Create(kSecret, with_rsa ? Rsa().public_pem : "");
  EXPECT_TRUE(v.ok()) << v.status();
  return *v;
}

void ExpectRefused(const absl::StatusOr<Principal>& result, absl::string_view reason) {
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(absl::StrContains(result.status().message(), reason)) << result.status();
}

TEST(TokenVerifierTest, AcceptsAGoodToken) {
  auto principal = Verifier()->VerifyAt(Sign(GoodClaims(), JWT_ALG_RS256, Rsa().private_pem), kNow);
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->subject, "user-7");
  EXPECT_EQ(principal->role, Role::kOperator);
  EXPECT_EQ(principal->region_scope, "16.06");
  EXPECT_EQ(principal->display_name, "Rina");
}

TEST(TokenVerifierTest, AcceptsGoodRs256Token) {
  Claims claims = GoodClaims();
  claims["role"] = "SYSTEM";
  claims["scope"] = "16";
  auto principal = Verifier()->VerifyAt(Sign(claims, JWT_ALG_RS256, Rsa().private_pem), kNow);
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->role, Role::kSystem);
  EXPECT_EQ(principal->region_scope, "16");
}

Claims ServiceClaims() {
  Claims claims = GoodClaims();
  claims["sub"] = "service:case";
  claims["role"] = "SYSTEM";
  claims.erase("name");
  return claims;
}

// The shared secret is every service's: it speaks for the services alone.
TEST(TokenVerifierTest, Hs256IsForServicePrincipalsOnly) {
  auto service = Verifier()->VerifyAt(Sign(ServiceClaims(), JWT_ALG_HS256, kSecret), kNow);
  ASSERT_TRUE(service.ok()) << service.status();
  EXPECT_EQ(service->subject, "service:case");
  EXPECT_EQ(service->role, Role::kSystem);

  Claims admin = GoodClaims();
  admin["role"] = "ADMIN";
  ExpectRefused(Verifier()->VerifyAt(Sign(admin, JWT_ALG_HS256, kSecret), kNow), "services only");
  Claims service_as_admin = ServiceClaims();
  service_as_admin["role"] = "ADMIN";
  ExpectRefused(Verifier()->VerifyAt(Sign(service_as_admin, JWT_ALG_HS256, kSecret), kNow),
                "services only");
  Claims system_not_a_service = ServiceClaims();
  system_not_a_service["sub"] = "cli:root";
  ExpectRefused(Verifier()->VerifyAt(Sign(system_not_a_service, JWT_ALG_HS256, kSecret), kNow),
                "services only");
  system_not_a_service["sub"] = "service:";
  ExpectRefused(Verifier()->VerifyAt(Sign(system_not_a_service, JWT_ALG_HS256, kSecret), kNow),
                "services only");
  // The same ADMIN claims signed by the issuer key verify.
  EXPECT_TRUE(Verifier()->VerifyAt(Sign(admin, JWT_ALG_RS256, Rsa().private_pem), kNow).ok());
}

TEST(TokenMinterTest, Hs256MinterMintsServiceTokensOnly) {
  auto minter = TokenMinter::Create(kSecret, absl::Seconds(60));
  ASSERT_TRUE(minter.ok());
  EXPECT_TRUE((*minter)->MintAt(Principal{"service:case", "", Role::kSystem, "16.06"}, kNow).ok());
  EXPECT_EQ(
      (*minter)->MintAt(Principal{"apikey:k1", "", Role::kAdmin, "16.06"}, kNow).status().code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ((*minter)->kid(), "");
}

const RsaKeyPair& OtherRsa() {
  static const RsaKeyPair* pair = new RsaKeyPair(MakeRsaKey());
  return *pair;
}

// The issuer key (the gateway's) is found by its kid; no identity provider key here.
TEST(TokenVerifierTest, IssuerKeyIsChosenByKid) {
  TokenVerifierKeys keys;
  keys.hs256_secret = kSecret;
  keys.issuer_public_key_pem = Rsa().public_pem;
  auto verifier = TokenVerifier::Create(std::move(keys));
  ASSERT_TRUE(verifier.ok()) << verifier.status();
  auto issuer = TokenMinter::CreateRs256(Rsa().private_pem, absl::Seconds(60));
  ASSERT_TRUE(issuer.ok()) << issuer.status();
  EXPECT_EQ((*issuer)->kid(), (*verifier)->issuer_kid());
  EXPECT_EQ((*issuer)->kid().size(), 43u);  // base64url of 32 bytes, unpadded

  Principal admin{"apikey:k1", "", Role::kAdmin, "16.06"};
  auto token = (*issuer)->MintAt(admin, kNow);
  ASSERT_TRUE(token.ok()) << token.status();
  auto back = (*verifier)->VerifyAt(*token, kNow);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->role, Role::kAdmin);

  // The right key without the kid, another key with or without it: refused.
  ExpectRefused((*verifier)->VerifyAt(Sign(GoodClaims(), JWT_ALG_RS256, Rsa().private_pem), kNow),
                "unknown key");
  auto other = TokenMinter::CreateRs256(OtherRsa().private_pem, absl::Seconds(60));
  ASSERT_TRUE(other.ok());
  ExpectRefused((*verifier)->VerifyAt(*(*other)->MintAt(admin, kNow), kNow), "unknown key");
  std::vector<std::string> parts = absl::StrSplit(*(*other)->MintAt(admin, kNow), '.');
  std::string relabelled = absl::WebSafeBase64Escape(R"({"alg":"RS256","typ":"JWT","kid":")" +
                                                     (*issuer)->kid() + R"("})") +
                           "." + parts[1] + "." + parts[2];
  ExpectRefused((*verifier)->VerifyAt(relabelled, kNow), "signature");
  // The issuer's public key as an HS256 secret.
  Claims admin_claims = GoodClaims();
  admin_claims["role"] = "ADMIN";
  ExpectRefused((*verifier)->VerifyAt(Sign(admin_claims, JWT_ALG_HS256, Rsa().public_pem), kNow),
                "signature");
}

TEST(RsaJwkTest, KidIsTheRfc7638Thumbprint) {
  // RFC 7638 section 3.1's example key and thumbprint.
  EXPECT_EQ(
      JwkThumbprint(
          "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_"
          "BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_"
          "FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-"
          "bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
          "AQAB"),
      "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
  auto priv = RsaJwkOfPem(Rsa().private_pem, true);
  auto pub = RsaJwkOfPem(Rsa().public_pem, false);
  ASSERT_TRUE(priv.ok() && pub.ok());
  EXPECT_EQ(priv->kid, pub->kid);
  EXPECT_EQ(priv->kid, JwkThumbprint(pub->n, pub->e));
  EXPECT_EQ(pub->e, "AQAB");
  EXPECT_FALSE(RsaJwkOfPem(Rsa().public_pem, true).ok());
  EXPECT_FALSE(RsaJwkOfPem("not a pem", false).ok());
}

TEST(TokenVerifierTest, RefusesRs256WithoutPublicKey) {
  ExpectRefused(
      Verifier(false)->VerifyAt(Sign(GoodClaims(), JWT_ALG_RS256, Rsa().private_pem), kNow),
      "RS256");
}

TEST(TokenVerifierTest, RefusesExpiredTokenBeyondLeeway) {
  std::string token = Sign(GoodClaims(), JWT_ALG_RS256, Rsa().private_pem);
  EXPECT_TRUE(Verifier()->VerifyAt(token, kNow + absl::Seconds(300) + kTokenLeeway).ok());
  ExpectRefused(Verifier()->VerifyAt(token, kNow + absl::Seconds(301) + kTokenLeeway), "expired");
}

TEST(TokenVerifierTest, RequiresExp) {
  Claims claims = GoodClaims();
  claims.erase("exp");
  ExpectRefused(Verifier()->VerifyAt(Sign(claims, JWT_ALG_RS256, Rsa().private_pem), kNow), "exp");
  claims["exp"] = "tomorrow";
  ExpectRefused(Verifier()->VerifyAt(Sign(claims, JWT_ALG_RS256, Rsa().private_pem), kNow), "exp");
}

TEST(TokenVerifierTest, HonoursNotBefore) {
  Claims claims = GoodClaims();
  claims["nbf"] = "#" + std::to_string(absl::ToUnixSeconds(kNow) + 120);
  ExpectRefused(Verifier()->VerifyAt(Sign(claims, JWT_ALG_RS256, Rsa().private_pem), kNow), "nbf");
  EXPECT_TRUE(
      Verifier()
          ->VerifyAt(Sign(claims, JWT_ALG_RS256, Rsa().private_pem), kNow + absl::Seconds(120))
          .ok());
}

TEST(TokenVerifierTest, ExpAndNbfMustBeIntegersNotIgnored) {
  const std::string later = std::to_string(absl::ToUnixSeconds(kNow) + 3600);
  for (const auto& [claim, value] : std::vector<std::pair<std::string, std::string>>{
           {"nbf", later},               // a string: was read as "no nbf" and accepted
           {"nbf", "=" + later + ".5"},  // a fraction
           {"nbf", "=true"},
           {"nbf", "=[" + later + "]"},
           {"exp", "=" + later + ".0"},
           {"exp", "={\"at\":" + later + "}"}}) {
    Claims claims = GoodClaims();
    claims[claim] = value;
    ExpectRefused(Verifier()->VerifyAt(Sign(claims, JWT_ALG_RS256, Rsa().private_pem), kNow),
                  claim + " claim must be an integer");
  }
}

TEST(TokenVerifierTest, RefusesACritHeader) {
  Claims claims = GoodClaims();
  claims["crit"] = R"(["exp"])";
  ExpectRefused(Verifier()->VerifyAt(Sign(claims, JWT_ALG_RS256, Rsa().private_pem), kNow),
                "crit header not supported");
}

TEST(TokenVerifierTest, RefusesOtherAlgorithms) {
  ExpectRefused(Verifier()->VerifyAt(Sign(GoodClaims(), JWT_ALG_HS512, kSecret), kNow),
                "algorithm not accepted");
}

TEST(TokenVerifierTest, RefusesAlgNone) {
  std::string header = absl::WebSafeBase64Escape(R"({"alg":"none","typ":"JWT"})");
  std::string body =
      absl::WebSafeBase64Escape(R"({"sub":"x","role":"ADMIN","scope":"16","exp":9999999999})");
  ExpectRefused(Verifier()->VerifyAt(header + "." + body + ".", kNow), "");
  ExpectRefused(Verifier()->VerifyAt(header + "." + body + ".c2ln", kNow), "algorithm");
}

TEST(TokenVerifierTest, RefusesHs256SignedWithThePublicKey) {
  // The classic key confusion: an attacker signs HS256 with the (public) RSA key as the secret.
  ExpectRefused(Verifier()->VerifyAt(Sign(GoodClaims(), JWT_ALG_HS256, Rsa().public_pem), kNow),
                "signature");
}

TEST(TokenVerifierTest, RefusesBadSignatureAndGarbage) {
  std::string token = Sign(GoodClaims(), JWT_ALG_RS256, Rsa().private_pem);
  std::string tampered = token;
  tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'A' ? 'B' : 'A';
  ExpectRefused(Verifier()->VerifyAt(tampered, kNow), "signature");
  ExpectRefused(Verifier()->VerifyAt(Sign(GoodClaims(), JWT_ALG_HS256, kSecret + "x"), kNow),
                "signature");
  ExpectRefused(Verifier()->VerifyAt("", kNow), "");
  ExpectRefused(Verifier()->VerifyAt("a.b", kNow), "");
  ExpectRefused(Verifier()->VerifyAt("!!!.???.###", kNow), "");
}

TEST(TokenVerifierTest, ReasonNeverEchoesTheToken) {
  std::string token = Sign(GoodClaims(), JWT_ALG_HS256, kSecret + "x");
  auto result = Verifier()->VerifyAt(token, kNow);
  ASSERT_FALSE(result.ok());
  EXPECT_FALSE(absl::StrContains(result.status().message(), token.substr(0, 20)));
}

TEST(TokenVerifierTest, RequiresSubRoleScope) {
  for (const char* claim : {"sub", "role", "scope"}) {
    Claims claims = GoodClaims();
    claims.erase(claim);
    ExpectRefused(Verifier()->VerifyAt(Sign(claims, JWT_ALG_RS256, Rsa().private_pem), kNow),
                  claim);
  }
  Claims claims = GoodClaims();
  claims["role"] = "ROOT";
  ExpectRefused(Verifier()->VerifyAt(Sign(claims, JWT_ALG_RS256, Rsa().private_pem), kNow), "role");
  claims = GoodClaims();
  claims["scope"] = "16.0";
  ExpectRefused(Verifier()->VerifyAt(Sign(claims, JWT_ALG_RS256, Rsa().private_pem), kNow),
                "scope");
}

TEST(TokenVerifierTest, RefusesShortSecretAndBadPem) {
  EXPECT_EQ(TokenVerifier::Create("short").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(TokenVerifier::Create(kSecret, "not a pem").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(TokenMinter::Create("short", absl::Minutes(5)).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(TokenMinterTest, MintedTokenVerifiesUntilItExpires) {
  auto minter = TokenMinter::CreateRs256(Rsa().private_pem, absl::Seconds(60));
  ASSERT_TRUE(minter.ok());
  Principal p{"apikey:k1", "Dinas Sosial", Role::kAdmin, "16.06"};
  auto token = (*minter)->MintAt(p, kNow);
  ASSERT_TRUE(token.ok()) << token.status();
  auto back = Verifier()->VerifyAt(*token, kNow + absl::Seconds(10));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->subject, "apikey:k1");
  EXPECT_EQ(back->display_name, "Dinas Sosial");
  EXPECT_EQ(back->role, Role::kAdmin);
  EXPECT_EQ(back->region_scope, "16.06");
  ExpectRefused(Verifier()->VerifyAt(*token, kNow + absl::Seconds(61) + kTokenLeeway), "expired");
}

constexpr char kWorkerId[] = "01JD8X6Q0W3G7M2K9V5T4R1N8B";

TEST(TokenMinterTest, WorkerClaimRoundTrips) {
  auto minter = TokenMinter::CreateRs256(Rsa().private_pem, absl::Seconds(60));
  ASSERT_TRUE(minter.ok());
  Principal with{"apikey:k2", "Siti (TKSK)", Role::kFieldWorker, "16.06.01"};
  with.worker_id = kWorkerId;
  auto token = (*minter)->MintAt(with, kNow);
  ASSERT_TRUE(token.ok()) << token.status();
  auto back = Verifier()->VerifyAt(*token, kNow);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->worker_id, kWorkerId);
  EXPECT_EQ(back->role, Role::kFieldWorker);
  // The cached verdict carries it too.
  auto again = Verifier()->VerifyAt(*token, kNow + absl::Seconds(1));
  ASSERT_TRUE(again.ok());
  auto verifier = Verifier();
  ASSERT_TRUE(verifier->VerifyAt(*token, kNow).ok());
  ASSERT_EQ(verifier->cached_tokens(), 1u);
  EXPECT_EQ(verifier->VerifyAt(*token, kNow)->worker_id, kWorkerId);

  // Without a link, no claim and an empty worker_id.
  Principal without{"apikey:k3", "", Role::kFieldWorker, "16.06.01"};
  auto plain = (*minter)->MintAt(without, kNow);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(Verifier()->VerifyAt(*plain, kNow)->worker_id, "");
  std::vector<std::string> parts = absl::StrSplit(*plain, '.');
  std::string payload;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(parts[1], &payload));
  EXPECT_FALSE(absl::StrContains(payload, "worker"));
}

TEST(TokenVerifierTest, WorkerClaimNeedsFieldWorkerAndAnId) {
  Claims claims = GoodClaims();
  claims["role"] = "FIELD_WORKER";
  claims["worker"] = kWorkerId;
  auto ok = Verifier()->VerifyAt(Sign(claims, JWT_ALG_RS256, Rsa().private_pem), kNow);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->worker_id, kWorkerId);
  EXPECT_EQ(Describe(*ok), std::string("user-7 (FIELD_WORKER, 16.06, worker ") + kWorkerId + ")");
  // An empty claim links nothing.
  claims["worker"] = "";
  auto empty = Verifier()->VerifyAt(Sign(claims, JWT_ALG_RS256, Rsa().private_pem), kNow);
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->worker_id, "");
  // Another role with a worker claim: refused, whatever the role.
  for (const char* role : {"OPERATOR", "ADMIN", "SUPERVISOR", "VIEWER", "SYSTEM"}) {
    claims = GoodClaims();
    claims["role"] = role;
    claims["worker"] = kWorkerId;
    ExpectRefused(Verifier()->VerifyAt(Sign(claims, JWT_ALG_RS256, Rsa().private_pem), kNow),
                  "worker");
  }
  // Not a record id.
  claims = GoodClaims();
  claims["role"] = "FIELD_WORKER";
  claims["worker"] = "worker-7";
  ExpectRefused(Verifier()->VerifyAt(Sign(claims, JWT_ALG_RS256, Rsa().private_pem), kNow),
                "worker");
  // Not a string.
  claims["worker"] = "#7";
  ExpectRefused(Verifier()->VerifyAt(Sign(claims, JWT_ALG_RS256, Rsa().private_pem), kNow),
                "worker");
}

TEST(TokenMinterTest, RefusesToMintAWorkerLinkForAnotherRole) {
  auto minter = TokenMinter::CreateRs256(Rsa().private_pem, absl::Seconds(60));
  ASSERT_TRUE(minter.ok());
  Principal operator_with_worker{"apikey:k4", "", Role::kOperator, "16.06"};
  operator_with_worker.worker_id = kWorkerId;
  EXPECT_EQ((*minter)->MintAt(operator_with_worker, kNow).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ((*minter)->ReusableAt(operator_with_worker, kNow).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(TokenMinterTest, ReusableTokensAreNotSharedBetweenWorkers) {
  auto minter = TokenMinter::CreateRs256(Rsa().private_pem, absl::Seconds(60));
  ASSERT_TRUE(minter.ok());
  Principal unlinked{"sso:siti", "", Role::kFieldWorker, "16.06.01"};
  Principal linked = unlinked;
  linked.worker_id = kWorkerId;
  auto a = (*minter)->ReusableAt(unlinked, kNow);
  auto b = (*minter)->ReusableAt(linked, kNow);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_EQ(Verifier()->VerifyAt(*a, kNow)->worker_id, "");
  EXPECT_EQ(Verifier()->VerifyAt(*b, kNow)->worker_id, kWorkerId);
}

TEST(TokenVerifierCacheTest, CachedTokenStillExpires) {
  std::shared_ptr<const TokenVerifier> verifier = Verifier();
  std::string token = Sign(GoodClaims(), JWT_ALG_RS256, Rsa().private_pem);
  ASSERT_TRUE(verifier->VerifyAt(token, kNow).ok());
  EXPECT_EQ(verifier->cached_tokens(), 1u);
  auto again = verifier->VerifyAt(token, kNow + absl::Seconds(10));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->subject, "user-7");
  ExpectRefused(verifier->VerifyAt(token, kNow + absl::Seconds(301) + kTokenLeeway), "expired");
}

TEST(TokenVerifierCacheTest, CachedTokenStillHonoursNotBefore) {
  std::shared_ptr<const TokenVerifier> verifier = Verifier();
  Claims claims = GoodClaims();
  claims["nbf"] = "#" + std::to_string(absl::ToUnixSeconds(kNow) + 120);
  std::string token = Sign(claims, JWT_ALG_RS256, Rsa().private_pem);
  ASSERT_TRUE(verifier->VerifyAt(token, kNow + absl::Seconds(120)).ok());
  EXPECT_EQ(verifier->cached_tokens(), 1u);
  ExpectRefused(verifier->VerifyAt(token, kNow), "nbf");
}

TEST(TokenVerifierCacheTest, DifferentTokensAreNotConfused) {
  std::shared_ptr<const TokenVerifier> verifier = Verifier();
  Claims other = GoodClaims();
  other["sub"] = "user-8";
  other["role"] = "VIEWER";
  std::string first = Sign(GoodClaims(), JWT_ALG_RS256, Rsa().private_pem);
  std::string second = Sign(other, JWT_ALG_RS256, Rsa().private_pem);
  ASSERT_TRUE(verifier->VerifyAt(first, kNow).ok());
  auto got = verifier->VerifyAt(second, kNow);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->subject, "user-8");
  EXPECT_EQ(got->role, Role::kViewer);
  EXPECT_EQ(verifier->VerifyAt(first, kNow)->subject, "user-7");
  // A cached token's signature tampered with is another token: verified afresh, refused.
  std::string tampered = first;
  tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'A' ? 'B' : 'A';
  ExpectRefused(verifier->VerifyAt(tampered, kNow), "signature");
  EXPECT_EQ(verifier->cached_tokens(), 2u);
}

TEST(TokenVerifierCacheTest, RefusedTokensAreNotCached) {
  std::shared_ptr<const TokenVerifier> verifier = Verifier();
  ExpectRefused(verifier->VerifyAt(Sign(GoodClaims(), JWT_ALG_HS256, kSecret + "x"), kNow),
                "signature");
  ExpectRefused(verifier->VerifyAt(Sign(GoodClaims(), JWT_ALG_RS256, Rsa().private_pem),
                                   kNow + absl::Seconds(400)),
                "expired");
  EXPECT_EQ(verifier->cached_tokens(), 0u);
}

TEST(TokenVerifierCacheTest, BoundIsRespected) {
  auto created = TokenVerifier::Create(kSecret, Rsa().public_pem, 4);
  ASSERT_TRUE(created.ok()) << created.status();
  std::shared_ptr<const TokenVerifier> verifier = *created;
  for (int i = 0; i < 10; ++i) {
    Claims claims = GoodClaims();
    claims["sub"] = "user-" + std::to_string(i);
    auto got = verifier->VerifyAt(Sign(claims, JWT_ALG_RS256, Rsa().private_pem), kNow);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(got->subject, "user-" + std::to_string(i));
    EXPECT_LE(verifier->cached_tokens(), 4u);
  }
  EXPECT_EQ(verifier->cached_tokens(), 4u);
}

TEST(TokenVerifierCacheTest, SizeZeroTurnsTheCacheOff) {
  auto created = TokenVerifier::Create(kSecret, Rsa().public_pem, 0);
  ASSERT_TRUE(created.ok()) << created.status();
  std::string token = Sign(GoodClaims(), JWT_ALG_RS256, Rsa().private_pem);
  EXPECT_TRUE((*created)->VerifyAt(token, kNow).ok());
  EXPECT_TRUE((*created)->VerifyAt(token, kNow).ok());
  EXPECT_EQ((*created)->cached_tokens(), 0u);
}

TEST(TokenMinterTest, ReusableTokenIsReusedForHalfItsLifetime) {
  auto minter = TokenMinter::CreateRs256(Rsa().private_pem, absl::Seconds(60));
  ASSERT_TRUE(minter.ok());
  Principal p{"apikey:k1", "Dinas Sosial", Role::kAdmin, "16.06"};
  auto first = (*minter)->ReusableAt(p, kNow);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(*(*minter)->ReusableAt(p, kNow + absl::Seconds(29)), *first);
  auto renewed = (*minter)->ReusableAt(p, kNow + absl::Seconds(30));
  ASSERT_TRUE(renewed.ok());
  EXPECT_NE(*renewed, *first);
  // The renewed token verifies for its own full lifetime.
  EXPECT_TRUE(Verifier()->VerifyAt(*renewed, kNow + absl::Seconds(89)).ok());
}

TEST(TokenMinterTest, ReusableTokensAreNotSharedBetweenPrincipals) {
  auto minter = TokenMinter::CreateRs256(Rsa().private_pem, absl::Seconds(60));
  ASSERT_TRUE(minter.ok());
  Principal admin{"apikey:k1", "", Role::kAdmin, "16.06"};
  Principal narrower = admin;
  narrower.region_scope = "16.06.01";
  Principal viewer = admin;
  viewer.role = Role::kViewer;
  auto a = (*minter)->ReusableAt(admin, kNow);
  auto b = (*minter)->ReusableAt(narrower, kNow);
  auto c = (*minter)->ReusableAt(viewer, kNow);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_NE(*a, *b);
  EXPECT_NE(*a, *c);
  EXPECT_EQ(Verifier()->VerifyAt(*b, kNow)->region_scope, "16.06.01");
  EXPECT_EQ(Verifier()->VerifyAt(*c, kNow)->role, Role::kViewer);
  EXPECT_EQ(Verifier()->VerifyAt(*a, kNow)->role, Role::kAdmin);
}

TEST(TokenMinterTest, ReusableTokensStayWithinTheBound) {
  auto minter = TokenMinter::CreateRs256(Rsa().private_pem, absl::Seconds(60), 2);
  ASSERT_TRUE(minter.ok());
  Principal p{"apikey:k1", "", Role::kAdmin, "16.06"};
  for (int i = 0; i < 5; ++i) {
    p.subject = "apikey:k" + std::to_string(i);
    auto token = (*minter)->ReusableAt(p, kNow);
    ASSERT_TRUE(token.ok());
    EXPECT_EQ(Verifier()->VerifyAt(*token, kNow)->subject, p.subject);
  }
  auto off = TokenMinter::CreateRs256(Rsa().private_pem, absl::Seconds(60), 0);
  ASSERT_TRUE(off.ok());
  EXPECT_NE(*(*off)->ReusableAt(p, kNow), *(*off)->ReusableAt(p, kNow + absl::Seconds(1)));
}

}  // namespace
}  // namespace wahana
