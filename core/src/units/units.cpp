// SPDX-License-Identifier: Apache-2.0
#include "chartlock/units.hpp"

#include <array>
#include <cctype>

namespace chartlock::units {
namespace {

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

struct Alias {
  const char* written;  // compared case-insensitively
  const char* ucum;
};

// Spellings seen in real exports. UCUM is case-sensitive, records often are not.
constexpr Alias kAliases[] = {
    {"mg/dl", "mg/dL"},       {"g/dl", "g/dL"},         {"ug/dl", "ug/dL"},       {"mcg/dl", "ug/dL"},
    {"µg/dl", "ug/dL"},       {"ng/dl", "ng/dL"},       {"mg/l", "mg/L"},         {"g/l", "g/L"},
    {"ug/l", "ug/L"},         {"mcg/l", "ug/L"},        {"µg/l", "ug/L"},         {"ng/l", "ng/L"},
    {"ng/ml", "ng/mL"},       {"pg/ml", "pg/mL"},       {"ug/ml", "ug/mL"},       {"mcg/ml", "ug/mL"},
    {"µg/ml", "ug/mL"},       {"mg/ml", "mg/mL"},       {"mmol/l", "mmol/L"},     {"umol/l", "umol/L"},
    {"µmol/l", "umol/L"},     {"μmol/l", "umol/L"},     {"nmol/l", "nmol/L"},     {"pmol/l", "pmol/L"},
    {"mol/l", "mol/L"},       {"meq/l", "meq/L"},       {"mmol/mol", "mmol/mol"}, {"mmhg", "mm[Hg]"},
    {"mm hg", "mm[Hg]"},      {"mm[hg]", "mm[Hg]"},     {"k/ul", "10*3/uL"},      {"k/µl", "10*3/uL"},
    {"x10e3/ul", "10*3/uL"},  {"10^3/ul", "10*3/uL"},   {"10e3/ul", "10*3/uL"},   {"thou/ul", "10*3/uL"},
    {"10*3/ul", "10*3/uL"},   {"x10^9/l", "10*9/L"},    {"10^9/l", "10*9/L"},     {"10e9/l", "10*9/L"},
    {"10*9/l", "10*9/L"},     {"m/ul", "10*6/uL"},      {"x10e6/ul", "10*6/uL"},  {"10^6/ul", "10*6/uL"},
    {"mill/ul", "10*6/uL"},   {"10*6/ul", "10*6/uL"},   {"10^12/l", "10*12/L"},   {"x10^12/l", "10*12/L"},
    {"10*12/l", "10*12/L"},   {"/ul", "/uL"},           {"/mm3", "/mm3"},         {"lb", "[lb_av]"},
    {"lbs", "[lb_av]"},       {"[lb_av]", "[lb_av]"},   {"oz", "[oz_av]"},        {"in", "[in_i]"},
    {"[in_i]", "[in_i]"},     {"[in_us]", "[in_i]"},    {"ft", "[ft_i]"},         {"degf", "[degF]"},
    {"°f", "[degF]"},         {"[degf]", "[degF]"},     {"degc", "Cel"},          {"°c", "Cel"},
    {"cel", "Cel"},           {"miu/l", "m[IU]/L"},     {"m[iu]/l", "m[IU]/L"},   {"uiu/ml", "u[IU]/mL"},
    {"µiu/ml", "u[IU]/mL"},   {"u[iu]/ml", "u[IU]/mL"}, {"miu/ml", "m[IU]/mL"},   {"m[iu]/ml", "m[IU]/mL"},
    {"iu/l", "[IU]/L"},       {"[iu]/l", "[IU]/L"},     {"iu/ml", "[IU]/mL"},     {"u/l", "U/L"},
    {"ku/l", "kU/L"},         {"bpm", "/min"},          {"beats/min", "/min"},    {"breaths/min", "/min"},
    {"sec", "s"},             {"secs", "s"},            {"seconds", "s"},         {"mm/hr", "mm/h"},
    {"fl", "fL"},             {"kg/m^2", "kg/m2"},      {"kg/m2", "kg/m2"},       {"percent", "%"},
};

enum class Dim { mass_conc, substance_conc, equivalent_conc, number_conc, mass, length, fraction, iu_conc, enzyme_conc, time };

struct UnitDef {
  const char* ucum;
  Dim dim;
  double to_base;  // base: g/L, mol/L, eq/L, /L, g, m, 1, [IU]/L, U/L, s
};

constexpr UnitDef kUnits[] = {
    {"g/L", Dim::mass_conc, 1},          {"g/dL", Dim::mass_conc, 10},        {"mg/dL", Dim::mass_conc, 1e-2},
    {"mg/L", Dim::mass_conc, 1e-3},      {"mg/mL", Dim::mass_conc, 1},        {"ug/dL", Dim::mass_conc, 1e-5},
    {"ug/L", Dim::mass_conc, 1e-6},      {"ug/mL", Dim::mass_conc, 1e-3},     {"ng/mL", Dim::mass_conc, 1e-6},
    {"ng/dL", Dim::mass_conc, 1e-8},     {"ng/L", Dim::mass_conc, 1e-9},      {"pg/mL", Dim::mass_conc, 1e-9},
    {"mol/L", Dim::substance_conc, 1},   {"mmol/L", Dim::substance_conc, 1e-3}, {"umol/L", Dim::substance_conc, 1e-6},
    {"nmol/L", Dim::substance_conc, 1e-9}, {"pmol/L", Dim::substance_conc, 1e-12},
    {"meq/L", Dim::equivalent_conc, 1e-3},
    {"10*3/uL", Dim::number_conc, 1e9},  {"10*9/L", Dim::number_conc, 1e9},   {"10*6/uL", Dim::number_conc, 1e12},
    {"10*12/L", Dim::number_conc, 1e12}, {"/uL", Dim::number_conc, 1e6},      {"/mm3", Dim::number_conc, 1e6},
    {"kg", Dim::mass, 1000},             {"g", Dim::mass, 1},                 {"[lb_av]", Dim::mass, 453.59237},
    {"[oz_av]", Dim::mass, 28.349523125},
    {"m", Dim::length, 1},               {"cm", Dim::length, 1e-2},           {"mm", Dim::length, 1e-3},
    {"[in_i]", Dim::length, 0.0254},     {"[ft_i]", Dim::length, 0.3048},
    {"%", Dim::fraction, 1e-2},          {"L/L", Dim::fraction, 1},
    {"[IU]/L", Dim::iu_conc, 1},         {"m[IU]/L", Dim::iu_conc, 1e-3},     {"u[IU]/mL", Dim::iu_conc, 1e-3},
    {"m[IU]/mL", Dim::iu_conc, 1},       {"[IU]/mL", Dim::iu_conc, 1e3},
    {"U/L", Dim::enzyme_conc, 1},        {"kU/L", Dim::enzyme_conc, 1e3},     {"U/mL", Dim::enzyme_conc, 1e3},
    {"s", Dim::time, 1},                 {"min", Dim::time, 60},              {"h", Dim::time, 3600},
};

const UnitDef* find(const std::string& ucum, const Analyte& analyte) {
  for (const UnitDef& u : kUnits) {
    if (ucum == u.ucum) return &u;
  }
  // "1" is a pure number: a fraction only when the analyte is one.
  static constexpr UnitDef kOne{"1", Dim::fraction, 1};
  if (ucum == "1" && analyte.fraction) return &kOne;
  return nullptr;
}

// Base-unit factor between two dimensions, through the analyte's molar mass
// or charge; nullopt when the analyte does not say.
std::optional<double> cross(Dim from, Dim to, const Analyte& a) {
  if (from == to) return 1.0;
  // mol/L per g/L is 1/M; eq/L per mol/L is the charge.
  auto to_mol = [&](Dim d) -> std::optional<double> {
    if (d == Dim::substance_conc) return 1.0;
    if (d == Dim::mass_conc && a.molar_mass > 0) return 1.0 / a.molar_mass;
    if (d == Dim::equivalent_conc && a.charge > 0) return 1.0 / a.charge;
    return std::nullopt;
  };
  const bool chem = [](Dim d) {
    return d == Dim::mass_conc || d == Dim::substance_conc || d == Dim::equivalent_conc;
  }(from) && (to == Dim::mass_conc || to == Dim::substance_conc || to == Dim::equivalent_conc);
  if (!chem) return std::nullopt;
  const auto f = to_mol(from), t = to_mol(to);
  if (!f || !t) return std::nullopt;
  return *f / *t;
}

}  // namespace

std::string canonical(std::string_view written) {
  std::string s = trim(written);
  const std::string key = lower(s);
  for (const Alias& a : kAliases) {
    if (key == a.written) return a.ucum;
  }
  return s;
}

std::optional<double> factor(std::string_view from, std::string_view to, const Analyte& analyte) {
  const std::string a = canonical(from), b = canonical(to);
  if (a == b) return 1.0;
  const UnitDef* ua = find(a, analyte);
  const UnitDef* ub = find(b, analyte);
  if (!ua || !ub) return std::nullopt;
  const auto c = cross(ua->dim, ub->dim, analyte);
  if (!c) return std::nullopt;
  return ua->to_base * *c / ub->to_base;
}

std::optional<double> convert(double value, std::string_view from, std::string_view to, const Analyte& analyte) {
  const std::string a = canonical(from), b = canonical(to);
  if (a == b) return value;
  if (a == "Cel" && b == "[degF]") return value * 9.0 / 5.0 + 32.0;
  if (a == "[degF]" && b == "Cel") return (value - 32.0) * 5.0 / 9.0;
  // NGSP/IFCC master equation: IFCC (mmol/mol) = 10.929 × (NGSP % − 2.15).
  if (analyte.hba1c && a == "%" && b == "mmol/mol") return 10.929 * (value - 2.15);
  if (analyte.hba1c && a == "mmol/mol" && b == "%") return value / 10.929 + 2.15;
  if (analyte.hba1c) return std::nullopt;  // % here is not a volume fraction
  const auto f = factor(a, b, analyte);
  if (!f) return std::nullopt;
  return value * *f;
}

}  // namespace chartlock::units
