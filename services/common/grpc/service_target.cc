#include "common/grpc/service_target.h"

#include <arpa/inet.h>

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace wahana {
namespace {

// The target schemes a value may already carry: gRPC 1.51's resolvers.
constexpr absl::string_view kSchemes[] = {"dns:", "ipv4:", "ipv6:", "unix:", "unix-abstract:"};

enum class HostKind { kName, kIpv4, kIpv6 };

struct Endpoint {
  std::string text;  // "host:port" as written, blanks dropped
  HostKind kind = HostKind::kName;
};

bool IsIp(int family, const std::string& host) {
  unsigned char buffer[sizeof(struct in6_addr)];
  return inet_pton(family, host.c_str(), buffer) == 1;
}

bool IsHostName(absl::string_view host) {
  if (host.empty()) return false;
  for (char c : host) {
    if (!absl::ascii_isalnum(c) && c != '-' && c != '.' && c != '_') return false;
  }
  return true;
}

absl::Status Invalid(absl::string_view setting, absl::string_view address, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(setting, "=\"", address, "\": ", why));
}

// One "host:port" or "[ipv6]:port" entry; the error says what is wrong with `entry`.
absl::StatusOr<Endpoint> ParseEndpoint(absl::string_view entry) {
  Endpoint endpoint{std::string(entry)};
  std::string host;
  absl::string_view port;
  if (absl::StartsWith(entry, "[")) {
    size_t close = entry.find(']');
    if (close == absl::string_view::npos || entry.substr(close + 1, 1) != ":") {
      return absl::InvalidArgumentError(
          absl::StrCat("\"", entry, "\" is not [ipv6]:port (the port is required)"));
    }
    host = std::string(entry.substr(1, close - 1));
    port = entry.substr(close + 2);
    if (!IsIp(AF_INET6, host)) {
      return absl::InvalidArgumentError(
          absl::StrCat("\"", entry, "\": \"", host, "\" is not an IPv6 address"));
    }
    endpoint.kind = HostKind::kIpv6;
  } else {
    std::vector<absl::string_view> parts = absl::StrSplit(entry, ':');
    if (parts.size() != 2) {
      return absl::InvalidArgumentError(absl::StrCat(
          "\"", entry, "\" is not host:port (an IPv6 address is written [address]:port)"));
    }
    host = std::string(parts[0]);
    port = parts[1];
    if (!IsHostName(host)) {
      return absl::InvalidArgumentError(
          absl::StrCat("\"", entry, "\": \"", host, "\" is not a host name or address"));
    }
    endpoint.kind = IsIp(AF_INET, host) ? HostKind::kIpv4 : HostKind::kName;
  }
  int number = 0;
  if (!absl::SimpleAtoi(port, &number) || number < 1 || number > 65535 ||
      !absl::ascii_isdigit(port.front())) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", entry, "\": the port must be a number between 1 and 65535"));
  }
  return endpoint;
}

}  // namespace

absl::StatusOr<std::string> ServiceTarget(absl::string_view setting, absl::string_view address) {
  const absl::string_view value = absl::StripAsciiWhitespace(address);
  if (value.empty()) return std::string();
  for (absl::string_view scheme : kSchemes) {
    if (!absl::StartsWith(value, scheme)) continue;
    absl::string_view rest = value.substr(scheme.size());
    while (absl::ConsumePrefix(&rest, "/")) {
    }
    if (rest.empty()) {
      return Invalid(setting, address, absl::StrCat("nothing follows \"", scheme, "\""));
    }
    return std::string(value);
  }
  std::vector<Endpoint> endpoints;
  for (absl::string_view entry : absl::StrSplit(value, ',')) {
    entry = absl::StripAsciiWhitespace(entry);
    if (entry.empty()) {
      return Invalid(setting, address,
                     absl::StrCat("entry ", endpoints.size() + 1, " of the list is empty"));
    }
    absl::StatusOr<Endpoint> endpoint = ParseEndpoint(entry);
    if (!endpoint.ok()) return Invalid(setting, address, endpoint.status().message());
    endpoints.push_back(*std::move(endpoint));
  }
  if (endpoints.size() == 1) return endpoints.front().text;
  const HostKind kind = endpoints.front().kind;
  std::vector<std::string> texts;
  for (const Endpoint& e : endpoints) {
    if (e.kind == HostKind::kName) {
      return Invalid(setting, address,
                     absl::StrCat("\"", e.text,
                                  "\": a list takes IP addresses only; for names give one DNS "
                                  "name that resolves to every replica (dns:///name:port)"));
    }
    if (e.kind != kind) {
      return Invalid(setting, address, "a list is all IPv4 or all IPv6 addresses, not both");
    }
    texts.push_back(e.text);
  }
  return absl::StrCat(kind == HostKind::kIpv4 ? "ipv4:" : "ipv6:", absl::StrJoin(texts, ","));
}

}  // namespace wahana
