#pragma once
// Helpers shared by the service tests against a real Redis: a fixed regional directory, polling
// with a deadline, and (support/redis_inspection.h) reading back stream messages and keys.

#include <chrono>
#include <memory>
#include <thread>

#include "common/region/region_directory.h"
#include "support/redis_inspection.h"

namespace wahana::testing {

// The deployment these tests run as, and a few of its regions (Musi Banyuasin).
inline constexpr char kRegion[] = "16.06";
inline constexpr char kVillage[] = "16.06.01.2001";       // a desa in Sekayu
inline constexpr char kOtherVillage[] = "16.06.02.2001";  // a desa in another kecamatan

inline std::shared_ptr<StaticRegionDirectory> TestRegions() {
  auto regions = std::make_shared<StaticRegionDirectory>();
  regions->Add("16")
      .Add("16.06")
      .Add("16.06.01")
      .Add("16.06.02")
      .Add(kVillage)
      .Add(kOtherVillage)
      .Add("17")
      .Add("17.01")
      .Add("17.01.01")
      .Add("17.01.01.2001");
  return regions;
}

// Calls `condition` until it is true or `deadline` has passed; returns its last value.
template <typename Condition>
bool PollUntil(Condition condition,
               std::chrono::milliseconds deadline = std::chrono::milliseconds(10000)) {
  auto until = std::chrono::steady_clock::now() + deadline;
  while (true) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace wahana::testing
