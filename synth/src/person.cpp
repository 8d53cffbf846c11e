// SPDX-License-Identifier: Apache-2.0
#include "person.hpp"

#include "civil_time.hpp"

namespace chartlock::synth {
namespace {

// u8 literals keep the UTF-8 bytes whatever the compiler's execution charset.
const char* const kFemaleGiven[] = {"Maria", "Linda", "Susan", "Karen", "Nancy", "Aisha", "Mei", "Priya",
                                    "Fatima", "Olga", "Hannah", "Rosa", u8"Zoë", u8"Inés", "Grace", "Naomi"};
const char* const kMaleGiven[] = {"James", "Robert", "Michael", "David", "Daniel", "Omar", "Wei", "Arjun",
                                  "Kwame", "Dmitri", "Samuel", "Luis", u8"José", u8"Björn", "Henry", "Isaac"};
const char* const kFamily[] = {"Hartwell", "Okafor", "Lindqvist", "Moreau", "Castellano", "Nakamura",
                               "Abernathy", "Kowalski", "Delgado", "Fitzroy", "Haddad", "Ivanova",
                               "Brennan", "Sorensen", "Achebe", "Whitfield", u8"Núñez", u8"Müller",
                               "Oyelaran", "Pemberton", "Quintero", "Rasmussen", "Thibodeaux", "Vance"};
const char* const kStreets[] = {"Maple", "Cedar", "Orchard", "Harbor", "Willow", "Summit", "Mill",
                                "Lakeview", "Chestnut", "Juniper", "Granite", "Meadow"};
const char* const kStreetKinds[] = {"Street", "Avenue", "Road", "Lane", "Court", "Drive"};

struct Place {
  const char* city;
  const char* state;
  const char* zip_prefix;  // three digits; two random ones follow
  const char* area_code;
};
const Place kPlaces[] = {{"Springfield", "MA", "011", "413"}, {"Worcester", "MA", "016", "508"},
                         {"Portland", "ME", "041", "207"},    {"Burlington", "VT", "054", "802"},
                         {"Hartford", "CT", "061", "860"},    {"Providence", "RI", "029", "401"},
                         {"Albany", "NY", "122", "518"},      {"Columbus", "OH", "432", "614"},
                         {"Madison", "WI", "537", "608"},     {"Boulder", "CO", "803", "303"},
                         {"Eugene", "OR", "974", "541"},      {"Asheville", "NC", "288", "828"}};

struct Weighted {
  Coding coding;
  int weight;
};
const Weighted kRaces[] = {{{system::omb_race, "2106-3", "White"}, 60},
                           {{system::omb_race, "2054-5", "Black or African American"}, 14},
                           {{system::omb_race, "2028-9", "Asian"}, 7},
                           {{system::omb_race, "1002-5", "American Indian or Alaska Native"}, 2},
                           {{system::omb_race, "2076-8", "Native Hawaiian or Other Pacific Islander"}, 1},
                           {{system::omb_race, "2131-1", "Other Race"}, 16}};
const Weighted kEthnicities[] = {{{system::omb_race, "2135-2", "Hispanic or Latino"}, 19},
                                 {{system::omb_race, "2186-5", "Not Hispanic or Latino"}, 81}};

template <std::size_t N>
const Coding& pick_weighted(Rng& rng, const Weighted (&items)[N]) {
  int total = 0;
  for (const auto& item : items) total += item.weight;
  auto roll = static_cast<int>(rng.below(static_cast<std::uint64_t>(total)));
  for (const auto& item : items) {
    if (roll < item.weight) return item.coding;
    roll -= item.weight;
  }
  return items[0].coding;
}

}  // namespace

Person make_person(Rng& rng, std::int64_t now) {
  Person p;
  p.female = rng.chance(50);
  p.given = p.female ? rng.pick(kFemaleGiven) : rng.pick(kMaleGiven);
  p.middle = p.female ? rng.pick(kFemaleGiven) : rng.pick(kMaleGiven);
  if (p.middle == p.given) p.middle.clear();
  p.family = rng.pick(kFamily);

  const std::int64_t age_days = rng.between(40 * 365 + 10, 84 * 365);
  p.birth = floor_div(now, kDay) * kDay - age_days * kDay;
  p.birth_date = std::string(format_date(p.birth, TimeStyle{}).view());

  const Place& place = rng.pick(kPlaces);
  const std::int64_t number = rng.between(1, 9899);
  const char* street = rng.pick(kStreets);
  p.street = std::to_string(number) + " " + street + " " + rng.pick(kStreetKinds);
  p.city = place.city;
  p.state = place.state;
  p.postal_code = place.zip_prefix + rng.digits(2);
  p.phone = std::string(place.area_code) + "-555-01" + rng.digits(2);
  p.race = pick_weighted(rng, kRaces);
  p.ethnicity = pick_weighted(rng, kEthnicities);
  p.married = rng.chance(55);
  return p;
}

}  // namespace chartlock::synth
