#include "common/grpc/service_target.h"

#include <gtest/gtest.h>

namespace wahana {
namespace {

constexpr char kSetting[] = "WAHANA_CASE_ADDR";

std::string TargetOf(const std::string& address) {
  absl::StatusOr<std::string> target = ServiceTarget(kSetting, address);
  EXPECT_TRUE(target.ok()) << target.status();
  return target.ok() ? *target : "";
}

// The error's message, which must be INVALID_ARGUMENT and name the setting and the value.
std::string ErrorOf(const std::string& address) {
  absl::StatusOr<std::string> target = ServiceTarget(kSetting, address);
  EXPECT_FALSE(target.ok()) << address << " gave " << target.value_or("");
  if (target.ok()) return "";
  EXPECT_EQ(target.status().code(), absl::StatusCode::kInvalidArgument);
  const std::string message(target.status().message());
  EXPECT_EQ(message.rfind(std::string(kSetting) + "=\"" + address + "\": ", 0), 0u) << message;
  return message;
}

TEST(ServiceTargetTest, OneHostAndPortIsKeptForGrpcToResolve) {
  EXPECT_EQ(TargetOf("127.0.0.1:20052"), "127.0.0.1:20052");
  EXPECT_EQ(TargetOf("case:20052"), "case:20052");
  EXPECT_EQ(TargetOf(" localhost:20052 "), "localhost:20052");
  EXPECT_EQ(TargetOf("[::1]:20052"), "[::1]:20052");
}

TEST(ServiceTargetTest, AListOfAddressesIsOneTargetOverEveryReplica) {
  EXPECT_EQ(TargetOf("127.0.0.1:20052,127.0.0.1:20056"), "ipv4:127.0.0.1:20052,127.0.0.1:20056");
  EXPECT_EQ(TargetOf("10.0.0.5:20052, 10.0.0.6:20052 ,10.0.0.7:20052"),
            "ipv4:10.0.0.5:20052,10.0.0.6:20052,10.0.0.7:20052");
  EXPECT_EQ(TargetOf("[::1]:20052,[fe80::1]:20052"), "ipv6:[::1]:20052,[fe80::1]:20052");
}

TEST(ServiceTargetTest, GrpcTargetSyntaxIsKept) {
  EXPECT_EQ(TargetOf("dns:///case:20052"), "dns:///case:20052");
  EXPECT_EQ(TargetOf("ipv4:127.0.0.1:1,127.0.0.1:2"), "ipv4:127.0.0.1:1,127.0.0.1:2");
  EXPECT_EQ(TargetOf("unix:/run/wahana/case.sock"), "unix:/run/wahana/case.sock");
}

TEST(ServiceTargetTest, EmptyStaysEmpty) { EXPECT_EQ(TargetOf(""), ""); }

TEST(ServiceTargetTest, BadAddressesAreRefusedNamingTheSettingAndTheEntry) {
  EXPECT_NE(ErrorOf("127.0.0.1:20052,").find("entry 2 of the list is empty"), std::string::npos);
  EXPECT_NE(ErrorOf("127.0.0.1:20052,,127.0.0.1:20056").find("entry 2"), std::string::npos);
  EXPECT_NE(ErrorOf("127.0.0.1").find("\"127.0.0.1\" is not host:port"), std::string::npos);
  EXPECT_NE(ErrorOf("127.0.0.1:0").find("between 1 and 65535"), std::string::npos);
  EXPECT_NE(ErrorOf("127.0.0.1:65536").find("between 1 and 65535"), std::string::npos);
  EXPECT_NE(ErrorOf("127.0.0.1:+80").find("between 1 and 65535"), std::string::npos);
  EXPECT_NE(ErrorOf("127.0.0.1:http").find("between 1 and 65535"), std::string::npos);
  EXPECT_NE(ErrorOf("::1:20052").find("[address]:port"), std::string::npos);
  EXPECT_NE(ErrorOf("[::g]:20052").find("not an IPv6 address"), std::string::npos);
  EXPECT_NE(ErrorOf("[::1]").find("the port is required"), std::string::npos);
  EXPECT_NE(ErrorOf("ca se:20052").find("not a host name or address"), std::string::npos);
  EXPECT_NE(ErrorOf("dns:///").find("nothing follows \"dns:\""), std::string::npos);
}

TEST(ServiceTargetTest, AListTakesAddressesOfOneFamilyOnly) {
  EXPECT_NE(ErrorOf("case-1:20052,case-2:20052").find("dns:///name:port"), std::string::npos);
  EXPECT_NE(ErrorOf("127.0.0.1:20052,case-2:20052").find("\"case-2:20052\""), std::string::npos);
  EXPECT_NE(ErrorOf("127.0.0.1:20052,[::1]:20052").find("not both"), std::string::npos);
}

}  // namespace
}  // namespace wahana
