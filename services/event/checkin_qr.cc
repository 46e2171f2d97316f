#include "event/checkin_qr.h"

#include <png.h>
#include <qrencode.h>

#include <cstring>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"

namespace wahana {
namespace {

constexpr int kQuietZone = 4;  // modules of white around the symbol (ISO/IEC 18004)
constexpr int kPixelsPerModule = 8;

struct QrFree {
  void operator()(QRcode* qr) const { QRcode_free(qr); }
};
struct QrInputFree {
  void operator()(QRinput* input) const { QRinput_free(input); }
};

// The dark (true) and light modules, quiet zone included, row by row.
struct Modules {
  int side = 0;
  std::vector<bool> dark;
  bool At(int x, int y) const { return dark[static_cast<size_t>(y) * side + x]; }
};

absl::StatusOr<Modules> Encode(absl::string_view code) {
  if (code.empty()) return absl::InvalidArgumentError("code: empty");
  const auto* data = reinterpret_cast<const unsigned char*>(code.data());
  const int size = static_cast<int>(code.size());
  std::unique_ptr<QRinput, QrInputFree> input(QRinput_new2(0, QR_ECLEVEL_M));
  if (input == nullptr) return absl::InternalError("out of memory encoding a QR code");
  const QRencodeMode mode = QRinput_check(QR_MODE_AN, size, data) == 0 ? QR_MODE_AN : QR_MODE_8;
  if (QRinput_append(input.get(), mode, size, data) != 0) {
    return absl::InternalError("could not encode the QR code's text");
  }
  std::unique_ptr<QRcode, QrFree> qr(QRcode_encodeInput(input.get()));
  if (qr == nullptr) {
    // ERANGE: more than a version 40 symbol holds.
    return absl::InvalidArgumentError(
        absl::StrCat("code: too long for a QR code (", code.size(), " characters)"));
  }
  Modules modules;
  modules.side = qr->width + 2 * kQuietZone;
  modules.dark.assign(static_cast<size_t>(modules.side) * modules.side, false);
  for (int y = 0; y < qr->width; ++y) {
    for (int x = 0; x < qr->width; ++x) {
      // libqrencode: bit 0 of each module's byte is 1 for dark.
      if (qr->data[y * qr->width + x] & 1) {
        modules.dark[static_cast<size_t>(y + kQuietZone) * modules.side + x + kQuietZone] = true;
      }
    }
  }
  return modules;
}

}  // namespace

absl::StatusOr<std::string> CheckInQrSvg(absl::string_view code) {
  absl::StatusOr<Modules> modules = Encode(code);
  if (!modules.ok()) return modules.status();
  const int side = modules->side;
  std::string svg =
      absl::StrCat(R"(<svg xmlns="http://www.w3.org/2000/svg" version="1.1" viewBox="0 0 )", side,
                   " ", side, R"(" width=")", side * kPixelsPerModule, R"(" height=")",
                   side * kPixelsPerModule, R"(" shape-rendering="crispEdges">)",
                   R"(<rect width="100%" height="100%" fill="#fff"/>)", R"(<path fill="#000" d=")");
  // One rectangle per horizontal run of dark modules keeps the path a few kilobytes.
  for (int y = 0; y < side; ++y) {
    for (int x = 0; x < side;) {
      if (!modules->At(x, y)) {
        ++x;
        continue;
      }
      int run = 1;
      while (x + run < side && modules->At(x + run, y)) ++run;
      absl::StrAppend(&svg, "M", x, " ", y, "h", run, "v1h-", run, "z");
      x += run;
    }
  }
  absl::StrAppend(&svg, "\"/></svg>\n");
  return svg;
}

absl::StatusOr<std::string> CheckInQrPng(absl::string_view code) {
  absl::StatusOr<Modules> modules = Encode(code);
  if (!modules.ok()) return modules.status();
  const int pixels = modules->side * kPixelsPerModule;
  std::vector<unsigned char> image(static_cast<size_t>(pixels) * pixels, 0xFF);
  for (int y = 0; y < pixels; ++y) {
    for (int x = 0; x < pixels; ++x) {
      if (modules->At(x / kPixelsPerModule, y / kPixelsPerModule)) {
        image[static_cast<size_t>(y) * pixels + x] = 0;
      }
    }
  }
  // libpng's simplified API reports errors in `png.message` rather than by longjmp, which must not
  // cross C++ frames.
  png_image png;
  std::memset(&png, 0, sizeof(png));
  png.version = PNG_IMAGE_VERSION;
  png.width = pixels;
  png.height = pixels;
  png.format = PNG_FORMAT_GRAY;
  png_alloc_size_t size = 0;
  if (!png_image_write_to_memory(&png, nullptr, &size, 0, image.data(), pixels, nullptr)) {
    return absl::InternalError(absl::StrCat("could not write the PNG: ", png.message));
  }
  std::string out(size, '\0');
  if (!png_image_write_to_memory(&png, out.data(), &size, 0, image.data(), pixels, nullptr)) {
    return absl::InternalError(absl::StrCat("could not write the PNG: ", png.message));
  }
  out.resize(size);
  return out;
}

}  // namespace wahana
