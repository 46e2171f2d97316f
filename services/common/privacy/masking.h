#pragma once
// Masking of identity numbers in outputs that list many people (UU 27/2022: least data).

#include <string>

#include "absl/strings/string_view.h"

namespace wahana {

// "1606012345670001" -> "1606********0001": the first four digits (province and regency) and the
// last four stay, the rest become '*'. Values of 8 characters or fewer are masked whole; empty
// stays empty.
std::string MaskIdentityNumber(absl::string_view number);

}  // namespace wahana
