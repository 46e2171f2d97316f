#include "event/checkin_qr.h"

#include <gtest/gtest.h>
#include <png.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "event/checkin_code.h"

namespace wahana {
namespace {

std::string RealCode() {
  absl::StatusOr<Ed25519PrivateKey> key = Ed25519PrivateKey::Generate();
  EXPECT_TRUE(key.ok());
  absl::StatusOr<std::string> code = MakeCheckInCode(
      *key, {"01JQ3V5X7Z9B1C3D5F7G9H1J3K", "01JQ3V6Y8A0C2E4G6J8M0P2R4S", absl::Now()});
  EXPECT_TRUE(code.ok());
  return code.value_or("");
}

struct Gray {
  int width = 0;
  int height = 0;
  std::vector<unsigned char> pixels;
  int At(int x, int y) const { return pixels[static_cast<size_t>(y) * width + x]; }
};

Gray ReadPng(const std::string& png) {
  png_image image;
  std::memset(&image, 0, sizeof(image));
  image.version = PNG_IMAGE_VERSION;
  Gray gray;
  if (!png_image_begin_read_from_memory(&image, png.data(), png.size())) return gray;
  image.format = PNG_FORMAT_GRAY;
  std::vector<unsigned char> pixels(PNG_IMAGE_SIZE(image));
  if (!png_image_finish_read(&image, nullptr, pixels.data(), 0, nullptr)) return gray;
  gray.width = image.width;
  gray.height = image.height;
  gray.pixels = std::move(pixels);
  return gray;
}

TEST(CheckInQrTest, ACodeFitsAVersion7SymbolInAlphanumericMode) {
  const std::string code = RealCode();
  ASSERT_EQ(code.size(), 170u);
  // Version 7 is 45 modules; with the quiet zone, 53.
  absl::StatusOr<std::string> svg = CheckInQrSvg(code);
  ASSERT_TRUE(svg.ok()) << svg.status();
  EXPECT_TRUE(absl::StrContains(*svg, R"(viewBox="0 0 53 53")")) << *svg;
  // The same length in lower case needs byte mode, and a larger symbol (version 9, 53 modules).
  absl::StatusOr<std::string> byte_mode = CheckInQrSvg(absl::AsciiStrToLower(code));
  ASSERT_TRUE(byte_mode.ok()) << byte_mode.status();
  EXPECT_TRUE(absl::StrContains(*byte_mode, R"(viewBox="0 0 61 61")"));
}

TEST(CheckInQrTest, SvgIsOneDocumentWithOnePath) {
  absl::StatusOr<std::string> svg = CheckInQrSvg(RealCode());
  ASSERT_TRUE(svg.ok()) << svg.status();
  EXPECT_TRUE(absl::StartsWith(*svg, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_TRUE(absl::EndsWith(*svg, "</svg>\n"));
  EXPECT_TRUE(absl::StrContains(*svg, R"(width="424" height="424")"));
  // The top-left finder pattern's outer ring starts at the quiet zone's edge: a 7-module run.
  EXPECT_TRUE(absl::StrContains(*svg, R"(d="M4 4h7v1h-7z)")) << svg->substr(0, 400);
  const size_t path = svg->find("<path");
  ASSERT_NE(path, std::string::npos);
  EXPECT_EQ(svg->find("<path", path + 1), std::string::npos);
}

TEST(CheckInQrTest, PngDecodesToTheSymbolAtEightPixelsAModule) {
  absl::StatusOr<std::string> png = CheckInQrPng(RealCode());
  ASSERT_TRUE(png.ok()) << png.status();
  ASSERT_TRUE(absl::StartsWith(*png, "\x89PNG\r\n\x1a\n"));
  const Gray image = ReadPng(*png);
  ASSERT_EQ(image.width, 424);
  ASSERT_EQ(image.height, 424);
  auto module = [&](int x, int y) { return image.At(x * 8 + 4, y * 8 + 4); };
  EXPECT_EQ(module(0, 0), 255);  // quiet zone
  EXPECT_EQ(module(3, 3), 255);
  // Top-left finder pattern (modules 4-10): dark ring, light ring, dark 3x3 centre.
  EXPECT_EQ(module(4, 4), 0);
  EXPECT_EQ(module(10, 4), 0);
  EXPECT_EQ(module(4, 10), 0);
  EXPECT_EQ(module(5, 5), 255);
  EXPECT_EQ(module(7, 7), 0);
  // The top-right finder pattern ends four modules from the right edge.
  EXPECT_EQ(module(48, 4), 0);
  EXPECT_EQ(module(49, 4), 255);
  // Module edges are sharp: every pixel of a module has its value.
  EXPECT_EQ(image.At(4 * 8, 4 * 8), 0);
  EXPECT_EQ(image.At(4 * 8 - 1, 4 * 8), 255);
}

TEST(CheckInQrTest, EmptyOrOverlongTextIsRefused) {
  EXPECT_EQ(CheckInQrSvg("").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckInQrPng(std::string(8000, 'A')).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// zbar-tools is not among the test packages (deploy/install-deps.sh): where zbarimg is installed,
// a scanner reads the printed code back exactly.
TEST(CheckInQrTest, AScannerReadsTheCodeBack) {
  if (std::system("command -v zbarimg >/dev/null 2>&1") != 0) GTEST_SKIP() << "no zbarimg";
  const std::string code = RealCode();
  absl::StatusOr<std::string> png = CheckInQrPng(code);
  ASSERT_TRUE(png.ok()) << png.status();
  const std::string path =
      ::testing::TempDir() + "/checkin_qr_test_" + std::to_string(::getpid()) + ".png";
  std::ofstream(path, std::ios::binary) << *png;
  FILE* scan = ::popen(("zbarimg -q --raw " + path + " 2>/dev/null").c_str(), "r");
  ASSERT_NE(scan, nullptr);
  std::string text;
  char buffer[256];
  while (size_t n = std::fread(buffer, 1, sizeof(buffer), scan)) text.append(buffer, n);
  ::pclose(scan);
  std::remove(path.c_str());
  EXPECT_EQ(text, code + "\n");
}

}  // namespace
}  // namespace wahana
