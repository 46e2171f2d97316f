#pragma once
// A check-in code (checkin_code.h) as a QR symbol to print on an invitation: error correction
// level M (15 % of the symbol may be smudged), the smallest version that holds the code, and the
// four-module quiet zone scanners need around it. Text made only of QR's alphanumeric characters
// (0-9, A-Z, space, $%*+-./:), as a code is, goes in alphanumeric mode (5.5 bits a character);
// anything else in byte mode.
//
// Thread-safe (libqrencode guards its shared tables with a mutex).

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace wahana {

// The symbol as an SVG document: one square unit per module, white background, the dark modules
// one <path>; `width`/`height` are 8 px a module, and it scales cleanly for print.
// INVALID_ARGUMENT "code: ..." when `code` is empty or too long for any QR symbol.
absl::StatusOr<std::string> CheckInQrSvg(absl::string_view code);

// The symbol as a PNG: 8-bit grey, 8 px a module (a code's version 7 symbol with its quiet zone:
// 424 x 424 px). Errors as CheckInQrSvg.
absl::StatusOr<std::string> CheckInQrPng(absl::string_view code);

}  // namespace wahana
