#include "gateway/cors.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "gateway/security_headers.h"

namespace wahana {
namespace {

std::map<std::string, std::string> Headers(const HttpResponse& response) {
  std::map<std::string, std::string> out;
  for (const auto& [name, value] : response.headers) out[name] = value;
  return out;
}

TEST(CorsPolicyTest, OffByDefault) {
  CorsPolicy cors("");
  EXPECT_FALSE(cors.enabled());
  EXPECT_FALSE(cors.IsPreflight("OPTIONS", "https://app.example", "GET"));
  HttpResponse response;
  cors.Decorate("https://app.example", response);
  EXPECT_TRUE(response.headers.empty());
}

TEST(CorsPolicyTest, ParsesTheListLoosely) {
  CorsPolicy cors(" https://a.example , HTTPS://B.example/ ,,");
  EXPECT_TRUE(cors.Allows("https://a.example"));
  EXPECT_TRUE(cors.Allows("https://b.example"));
  EXPECT_FALSE(cors.Allows("https://c.example"));
  EXPECT_FALSE(cors.Allows("http://a.example"));  // another scheme is another origin
  EXPECT_FALSE(cors.Allows("https://a.example.evil"));
  EXPECT_FALSE(cors.Allows(""));
}

TEST(CorsPolicyTest, PreflightNeedsOptionsOriginAndRequestedMethod) {
  CorsPolicy cors("https://a.example");
  EXPECT_TRUE(cors.IsPreflight("OPTIONS", "https://a.example", "POST"));
  EXPECT_FALSE(cors.IsPreflight("OPTIONS", "", "POST"));
  EXPECT_FALSE(cors.IsPreflight("OPTIONS", "https://a.example", ""));
  EXPECT_FALSE(cors.IsPreflight("GET", "https://a.example", "POST"));
}

TEST(CorsPolicyTest, PreflightFromAListedOriginIs204WithTheAllowHeaders) {
  CorsPolicy cors("https://a.example");
  HttpResponse response = cors.Preflight("https://a.example");
  EXPECT_EQ(response.status, 204);
  EXPECT_TRUE(response.body.empty());
  auto headers = Headers(response);
  EXPECT_EQ(headers["Access-Control-Allow-Origin"], "https://a.example");
  EXPECT_NE(headers["Access-Control-Allow-Methods"].find("POST"), std::string::npos);
  EXPECT_NE(headers["Access-Control-Allow-Headers"].find("Authorization"), std::string::npos);
  EXPECT_EQ(headers["Access-Control-Max-Age"], "600");
  EXPECT_EQ(headers["Vary"], "Origin");
  EXPECT_EQ(headers.count("Access-Control-Allow-Credentials"), 0u);
}

TEST(CorsPolicyTest, PreflightFromAnotherOriginIsRefusedWithoutAllowHeaders) {
  CorsPolicy cors("https://a.example");
  HttpResponse response = cors.Preflight("https://evil.example");
  EXPECT_EQ(response.status, 403);
  auto headers = Headers(response);
  EXPECT_EQ(headers.count("Access-Control-Allow-Origin"), 0u);
  EXPECT_EQ(headers["Vary"], "Origin");
}

TEST(CorsPolicyTest, OrdinaryResponsesEchoOnlyListedOrigins) {
  CorsPolicy cors("https://a.example");
  HttpResponse listed;
  cors.Decorate("https://a.example", listed);
  auto headers = Headers(listed);
  EXPECT_EQ(headers["Access-Control-Allow-Origin"], "https://a.example");
  EXPECT_NE(headers["Access-Control-Expose-Headers"].find("X-Request-Id"), std::string::npos);
  EXPECT_EQ(headers["Vary"], "Origin");

  HttpResponse other;
  cors.Decorate("https://evil.example", other);
  headers = Headers(other);
  EXPECT_EQ(headers.count("Access-Control-Allow-Origin"), 0u);
  EXPECT_EQ(headers["Vary"], "Origin");
}

TEST(SecurityHeadersTest, TheStrictSet) {
  HttpResponse response;
  AddSecurityHeaders(response.headers);
  auto headers = Headers(response);
  EXPECT_EQ(headers["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(headers["Cache-Control"], "no-store");
  EXPECT_EQ(headers["X-Frame-Options"], "DENY");
  EXPECT_EQ(headers["Content-Security-Policy"], "default-src 'none'; frame-ancestors 'none'");
  EXPECT_EQ(headers["Referrer-Policy"], "no-referrer");
  EXPECT_EQ(headers.count("Strict-Transport-Security"), 0u);
}

}  // namespace
}  // namespace wahana
