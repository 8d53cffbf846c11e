// SPDX-License-Identifier: Apache-2.0
// "Hide my name and exact dates": every date a share holds moved by one
// offset, kept secret in the patient's vault per grant, so intervals (how long
// between two results, how old) stay true and the calendar dates do not.
#pragma once

#include <string>

#include "chartlock/record.hpp"

namespace chartlock::share {

// A FHIR date or dateTime moved by `days`, written at the precision it had
// ("2019" stays a year, "2019-05" a month: the shifted first day's year or
// month); the time and zone of a dateTime are kept. Text that is not a date
// is returned as it is.
std::string shift_date(const std::string& fhir, int days);

// Every date field of the patient and the items.
void shift_dates(Record& record, int days);

}  // namespace chartlock::share
