#include "registry/beneficiaries/tool/beneficiary_generator.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"

namespace wahana::registry {
namespace {

// Ages are counted from this day, so that a seed gives the same rows whenever it runs.
const absl::CivilDay kReferenceDay(2025, 6, 30);

const std::vector<std::string>& MaleNames() {
  static const std::vector<std::string> kNames = {
      "Ahmad",  "Muhammad", "Budi",   "Agus",   "Rudi",     "Hendra",  "Joko",     "Andi",
      "Fajar",  "Rizky",    "Dedi",   "Slamet", "Bambang",  "Yusuf",   "Ilham",    "Arif",
      "Hasan",  "Sulaiman", "Irwan",  "Zainal", "Syahrial", "Herman",  "Darmawan", "Ma'ruf",
      "Mu'min", "Taufik",   "Wahyu",  "Hamdan", "Rahmat",   "Sukardi", "Amran",    "Firdaus",
      "Efendi", "Junaidi",  "Nasrul", "Yudi",   "Saiful",   "Edi",     "Usman",    "Roni"};
  return kNames;
}

const std::vector<std::string>& FemaleNames() {
  static const std::vector<std::string> kNames = {
      "Siti",    "Sri",     "Dewi",    "Nur",      "Rina",    "Yuni",      "Ratna",     "Wulan",
      "Aisyah",  "Fitri",   "Lestari", "Ani",      "Murni",   "Nurhayati", "Rahmawati", "Nur'aini",
      "Maryam",  "Fatimah", "Halimah", "Zubaidah", "Salmah",  "Juwita",    "Yanti",     "Erna",
      "Eka",     "Desi",    "Mega",    "Intan",    "Puspa",   "Rosmala",   "Ida",       "Ma'rifah",
      "Suryani", "Kartini", "Wati",    "Nining",   "Hartini", "Sumarni",   "Rohani",    "Mardiana"};
  return kNames;
}

const std::vector<std::string>& MaleSecondNames() {
  static const std::vector<std::string> kNames = {
      "Saputra",  "Hidayat",  "Wijaya",    "Setiawan", "Kurniawan",  "Pratama",
      "Santoso",  "Rahman",   "Syahputra", "Nugroho",  "Lubis",      "Harahap",
      "Siregar",  "Nasution", "Hakim",     "Ramadhan", "Firmansyah", "Gunawan",
      "Sulistyo", "Effendi",  "Maulana",   "Hasibuan", "Purba",      "Simanjuntak"};
  return kNames;
}

const std::vector<std::string>& FemaleSecondNames() {
  static const std::vector<std::string> kNames = {
      "Aminah",  "Handayani", "Lestari",  "Wati",     "Rahayu",   "Sari",
      "Puspita", "Anggraini", "Maharani", "Permata",  "Utami",    "Kusuma",
      "Safitri", "Wulandari", "Susanti",  "Marlina",  "Nurjanah", "Febriani",
      "Oktavia", "Ramadhani", "Zahra",    "Khadijah", "Hasanah",  "Mawarni"};
  return kNames;
}

const std::vector<std::string>& Streets() {
  static const std::vector<std::string> kStreets = {"Jl. Merdeka",     "Jl. Kolonel Wahid Udin",
                                                    "Jl. Sudirman",    "Jl. Lintas Timur",
                                                    "Jl. Sekolah",     "Jl. Masjid",
                                                    "Jl. Pasar",       "Jl. Randik",
                                                    "Jl. Talang Jawa", "Jl. Kebun"};
  return kStreets;
}

const std::vector<std::string>& Dusun() {
  static const std::vector<std::string> kDusun = {"I", "II", "III", "IV", "V", "VI"};
  return kDusun;
}

// PPKS categories with rough weights: the common ones of a district register come often.
const std::vector<int>& CategoryDraw() {
  static const std::vector<int> kDraw = [] {
    std::vector<int> draw;
    auto add = [&draw](int category, int weight) { draw.insert(draw.end(), weight, category); };
    add(24, 30);  // FAKIR_MISKIN
    add(8, 15);   // LANJUT_USIA_TELANTAR
    add(9, 12);   // PENYANDANG_DISABILITAS
    add(2, 8);    // ANAK_TELANTAR
    add(23, 8);   // PEREMPUAN_RAWAN_SOSIAL_EKONOMI
    add(21, 5);   // KORBAN_BENCANA_ALAM
    add(5, 4);    // ANAK_DENGAN_KEDISABILITASAN
    add(1, 3);    // ANAK_BALITA_TELANTAR
    add(25, 3);   // KELUARGA_BERMASALAH_SOSIAL_PSIKOLOGIS
    for (int c = 1; c <= 26; ++c) add(c, 1);
    return draw;
  }();
  return kDraw;
}

// The ages (years) a category's people have.
std::pair<int, int> AgeRange(int category) {
  if (category == 1) return {0, 4};
  if (category >= 2 && category <= 7) return {5, 17};
  if (category == 8) return {60, 95};
  return {18, 80};
}

std::string Ddmmyy(int day, int month, int year) {
  return absl::StrFormat("%02d%02d%02d", day, month, year % 100);
}

}  // namespace

BeneficiaryGenerator::BeneficiaryGenerator(std::vector<std::string> village_codes, uint64_t seed)
    : villages_(std::move(village_codes)), state_(seed * 0x9E3779B97F4A7C15ULL + 1) {}

uint64_t BeneficiaryGenerator::Random() {
  // splitmix64: the same sequence on every platform (std distributions are not).
  uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::string BeneficiaryGenerator::Name(bool female) {
  const auto& given = female ? FemaleNames() : MaleNames();
  const auto& second = female ? FemaleSecondNames() : MaleSecondNames();
  std::string name = Pick(given);
  if (Below(3) == 0) {
    const std::string& middle = Pick(given);
    if (middle != name) name = absl::StrCat(name, " ", middle);
  }
  return absl::StrCat(name, " ", Pick(second));
}

absl::CivilDay BeneficiaryGenerator::BirthDate(int category) {
  auto [min_age, max_age] = AgeRange(category);
  const absl::CivilDay latest = kReferenceDay - min_age * 365;
  const int span = (max_age - min_age + 1) * 365;
  return latest - static_cast<int>(Below(span));
}

std::string BeneficiaryGenerator::Nik(const std::string& village, bool female,
                                      absl::CivilDay birth) {
  // "16.06.01.2001" -> "160601": the kecamatan of first registration.
  std::string kecamatan = absl::StrReplaceAll(village.substr(0, 8), {{".", ""}});
  const int day = birth.day() + (female ? 40 : 0);
  std::string prefix =
      absl::StrCat(kecamatan, Ddmmyy(day, birth.month(), static_cast<int>(birth.year())));
  int& serial = serials_[prefix];
  if (serial == 9999) return "";  // this kecamatan and day are full: the caller picks another
  ++serial;
  return absl::StrCat(prefix, absl::StrFormat("%04d", serial));
}

std::vector<std::string> BeneficiaryGenerator::NextRow() {
  const std::string& village = Pick(villages_);
  const std::vector<int>& draw = CategoryDraw();
  int category = Pick(draw);
  std::string categories = absl::StrCat(category);
  if (Below(7) == 0) {
    int second = Pick(draw);
    if (second != category && AgeRange(second) == AgeRange(category)) {
      categories = absl::StrCat(categories, ";", second);
    }
  }
  bool female = category == 23 || Below(2) == 0;  // PEREMPUAN_RAWAN_SOSIAL_EKONOMI: women
  absl::CivilDay birth;
  std::string nik;
  do {
    birth = BirthDate(category);
    nik = Nik(village, female, birth);
  } while (nik.empty());
  std::string kk;
  if (Below(10) < 7) {
    std::string kecamatan = nik.substr(0, 6);
    absl::CivilDay issued = absl::CivilDay(2005, 1, 1) + static_cast<int>(Below(7000));
    kk = absl::StrCat(kecamatan,
                      Ddmmyy(issued.day(), issued.month(), static_cast<int>(issued.year())),
                      absl::StrFormat("%04d", 1 + Below(9999)));
  }
  std::string address =
      Below(2) == 0
          ? absl::StrFormat("Dusun %s RT %03d", Pick(Dusun()), 1 + Below(20))
          : absl::StrFormat("%s No. %d, RT %03d", Pick(Streets()), 1 + Below(150), 1 + Below(20));
  return {nik,
          kk,
          Name(female),
          female ? "FEMALE" : "MALE",
          absl::StrFormat("%04d-%02d-%02d", birth.year(), birth.month(), birth.day()),
          village,
          address,
          categories,
          ""};
}

}  // namespace wahana::registry
