"""The patient-identifier guard (qidesk.core.identifiers): reliability.md §3.8, T-PID-01."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from qidesk.core.identifiers import (
    DATE_OF_BIRTH,
    HOSPITAL_NUMBER,
    KINDS,
    NHS_NUMBER,
    POSTCODE_WITH_NAME,
    RULE,
    IdentifierFinding,
    find_identifiers,
    is_valid_nhs_number,
    nhs_check_digit,
    warning_message,
)


def reference_check_digit(first_nine: str) -> int | None:
    """Independent Modulus 11 (NHS Data Dictionary), written out long-hand for the tests."""
    total = 0
    weight = 10
    for char in first_nine:
        total += int(char) * weight
        weight -= 1
    remainder = total % 11
    check = 11 - remainder
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def make_valid(first_nine: str) -> str:
    check = reference_check_digit(first_nine)
    assert check is not None
    return first_nine + str(check)


def kinds(text: str) -> list[str]:
    return [finding.kind for finding in find_identifiers(text)]


def texts(text: str) -> list[str]:
    return [finding.text for finding in find_identifiers(text)]


# Synthetic numbers built with the algorithm; 9434765919 is the NHS's documented test number.
VALID_NHS = [
    "9434765919",
    make_valid("401023213"),
    make_valid("485777345"),
    make_valid("999000001"),
    make_valid("600000000"),
    make_valid("712345678"),
]
# Nine-digit prefixes whose check digit would be 10: no valid NHS number starts with them.
REMAINDER_10_PREFIXES = [
    p for p in (f"{n:09d}" for n in range(123456789, 123457200)) if reference_check_digit(p) is None
][:5]
# A prefix whose weighted sum is a multiple of 11, so its check digit is 0 (11 -> 0).
REMAINDER_0_PREFIX = next(
    p for p in (f"{n:09d}" for n in range(400000000, 400001000)) if reference_check_digit(p) == 0
)


# --------------------------------------------------------------------------------------------
# is_valid_nhs_number and nhs_check_digit
# --------------------------------------------------------------------------------------------


def test_documented_test_number_is_valid() -> None:
    assert is_valid_nhs_number("9434765919")
    assert nhs_check_digit("943476591") == 9


@pytest.mark.parametrize("number", VALID_NHS)
def test_generated_numbers_are_valid(number: str) -> None:
    assert is_valid_nhs_number(number)


@pytest.mark.parametrize("number", VALID_NHS)
def test_every_wrong_check_digit_is_invalid(number: str) -> None:
    for digit in "0123456789":
        if digit != number[9]:
            assert not is_valid_nhs_number(number[:9] + digit)


def test_check_digit_eleven_becomes_zero() -> None:
    assert REMAINDER_0_PREFIX.isdigit()
    assert nhs_check_digit(REMAINDER_0_PREFIX) == 0
    assert is_valid_nhs_number(REMAINDER_0_PREFIX + "0")
    assert not is_valid_nhs_number(REMAINDER_0_PREFIX + "1")


def test_remainder_10_prefixes_exist_for_the_test() -> None:
    assert len(REMAINDER_10_PREFIXES) == 5
    assert "123456789" in REMAINDER_10_PREFIXES


@pytest.mark.parametrize("prefix", REMAINDER_10_PREFIXES)
def test_remainder_10_is_never_valid(prefix: str) -> None:
    assert nhs_check_digit(prefix) is None
    for digit in "0123456789":
        assert not is_valid_nhs_number(prefix + digit)
        assert find_identifiers(f"Reference {prefix}{digit} noted") == []


@pytest.mark.parametrize(
    "written", ["943 476 5919", "943-476-5919", "943\u00a0476\u00a05919", " 9434765919 "]
)
def test_spaces_and_hyphens_are_ignored_by_the_check(written: str) -> None:
    assert is_valid_nhs_number(written)


@pytest.mark.parametrize(
    "bad", ["", "943476591", "94347659190", "943476591A", "９４３４７６５９１９", "943.476.5919"]
)
def test_not_ten_ascii_digits_is_invalid(bad: str) -> None:
    assert not is_valid_nhs_number(bad)


def test_check_digit_rejects_wrong_length() -> None:
    with pytest.raises(ValueError, match="nine digits"):
        nhs_check_digit("12345678")


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_check_digit_matches_reference(prefix: str) -> None:
    assert nhs_check_digit(prefix) == reference_check_digit(prefix)


# --------------------------------------------------------------------------------------------
# NHS numbers in text
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("number", VALID_NHS)
@pytest.mark.parametrize("style", ["plain", "spaces", "hyphens"])
def test_valid_nhs_number_in_a_sentence_is_found(number: str, style: str) -> None:
    written = {
        "plain": number,
        "spaces": f"{number[:3]} {number[3:6]} {number[6:]}",
        "hyphens": f"{number[:3]}-{number[3:6]}-{number[6:]}",
    }[style]
    text = f"Seen in clinic, {written}, discharged home."
    findings = find_identifiers(text)
    assert len(findings) == 1
    finding = findings[0]
    assert finding.kind == NHS_NUMBER
    assert finding.text == written
    assert text[finding.start : finding.end] == written
    assert f"{number[:3]} {number[3:6]} {number[6:]}" in finding.reason


def test_reason_for_documented_number() -> None:
    (finding,) = find_identifiers("943 476 5919")
    assert finding == IdentifierFinding(
        NHS_NUMBER,
        0,
        12,
        "943 476 5919",
        "10-digit number that passes the NHS number check (943 476 5919)",
    )


@pytest.mark.parametrize(
    "text",
    [
        "NHS:9434765919",
        "(9434765919)",
        "9434765919.",
        "ids: 9434765919,4010232137",
        "9434765919\n",
        "Line one\n943 476 5919",
    ],
)
def test_found_next_to_punctuation(text: str) -> None:
    assert NHS_NUMBER in kinds(text)


def test_two_numbers_are_both_found_in_order() -> None:
    second = VALID_NHS[1]
    text = f"First 9434765919 then {second}."
    findings = find_identifiers(text)
    assert [f.text for f in findings] == ["9434765919", second]
    assert findings[0].start < findings[1].start


@pytest.mark.parametrize("number", VALID_NHS)
def test_wrong_check_digit_is_not_found(number: str) -> None:
    wrong = number[:9] + str((int(number[9]) + 1) % 10)
    assert find_identifiers(f"Ref {wrong} logged") == []
    assert find_identifiers(f"Ref {wrong[:3]} {wrong[3:6]} {wrong[6:]} logged") == []


@pytest.mark.parametrize(
    "text",
    [
        "19434765919",  # 11 digits
        "94347659191",
        "9434765919123456",
        "Ref 12 943 476 5919",  # one more group in front
        "943 476 5919 12",  # one more group behind
        "943 476 59191",
        "1943 476 5919",
        "943-476-5919-2",
        "2024-9434765919",
        "9434765919-01",
        "0.9434765919",
        "9434765919.5",
        "abc9434765919",
        "9434765919abc",
        "hash 3fa9434765919c2e",
        "943 476-5919",  # mixed separators
        "943.476.5919",
        "94 34 76 59 19",
    ],
)
def test_number_inside_a_longer_run_is_not_found(text: str) -> None:
    assert find_identifiers(text) == []


@pytest.mark.parametrize("digit", "0123456789")
def test_all_same_digit_strings_are_ignored(digit: str) -> None:
    number = digit * 10
    assert is_valid_nhs_number(number)  # the bare algorithm accepts them ...
    assert find_identifiers(f"NHS number {number}") == []  # ... the guard does not
    assert find_identifiers(f"{number[:3]} {number[3:6]} {number[6:]}") == []


@pytest.mark.parametrize(
    "text",
    [
        "NHS number 123 456 7891",
        "NHS no: 1234567891",
        "NHS No. is 123-456-7891",
        "nhs# 1234567891",
    ],
)
def test_labelled_number_failing_the_check_is_still_found(text: str) -> None:
    (finding,) = find_identifiers(text)
    assert finding.kind == NHS_NUMBER
    assert "fails the NHS number check" in finding.reason


@pytest.mark.parametrize(
    "text",
    [
        "NHS number 1234567890",  # a placeholder
        "NHS number (e.g. 123 456 7891)",
        "NHS number recorded for 1234567891 patients?",
        "Valid NHS numbers 1234567891",
    ],
)
def test_labelled_invalid_number_needs_a_tight_real_label(text: str) -> None:
    assert find_identifiers(text) == []


@given(
    prefix=st.text(alphabet="0123456789", min_size=9, max_size=9),
    style=st.sampled_from(["plain", "spaces", "hyphens"]),
    before=st.sampled_from(["Patient", "Seen today:", "NHS no", "(", "ref", ""]),
    after=st.sampled_from(["was reviewed.", "", ")", ", then", "- follow up"]),
)
def test_property_any_valid_number_is_found(
    prefix: str, style: str, before: str, after: str
) -> None:
    check = reference_check_digit(prefix)
    assume(check is not None)
    number = f"{prefix}{check}"
    assume(len(set(number)) > 1)
    written = {
        "plain": number,
        "spaces": f"{number[:3]} {number[3:6]} {number[6:]}",
        "hyphens": f"{number[:3]}-{number[3:6]}-{number[6:]}",
    }[style]
    text = f"{before} {written} {after}"
    found = [f for f in find_identifiers(text) if f.kind == NHS_NUMBER]
    assert [f.text for f in found] == [written]
    assert text[found[0].start : found[0].end] == written


@given(
    prefix=st.text(alphabet="0123456789", min_size=9, max_size=9),
    last=st.sampled_from("0123456789"),
)
def test_property_failing_numbers_are_not_found(prefix: str, last: str) -> None:
    assume(not is_valid_nhs_number(prefix + last))
    assert find_identifiers(f"Patient {prefix}{last} was reviewed.") == []


@given(st.text(max_size=300))
def test_property_findings_are_consistent(text: str) -> None:
    findings = find_identifiers(text)
    assert findings == sorted(findings, key=lambda f: (f.start, f.end))
    for finding in findings:
        assert finding.kind in KINDS
        assert text[finding.start : finding.end] == finding.text
        assert finding.reason
    for first, second in itertools.pairwise(findings):
        assert first.end <= second.start


NEAR_MISS_PIECES = [
    "DOB", "born", "MRN", "NHS no", "Mrs Smith", "LS1 3EX", "9434765919", "12/03/1956",
    "3 May 1950", "1234567", "A123456", ":", " ", "\n", "-", "(", ")", "on", "the", "to",
    "62%", "2025", "Ward 7B", "943", "476", "5919", "/", "01/04/2025", "onwards",
]  # fmt: skip


@given(st.lists(st.sampled_from(NEAR_MISS_PIECES), max_size=25))
def test_property_findings_are_consistent_on_near_misses(pieces: list[str]) -> None:
    text = " ".join(pieces)
    findings = find_identifiers(text)
    for finding in findings:
        assert text[finding.start : finding.end] == finding.text
    for first, second in itertools.pairwise(findings):
        assert first.end <= second.start


# --------------------------------------------------------------------------------------------
# Dates of birth
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("DOB 12/03/1956", "12/03/1956"),
        ("DOB: 12/03/1956", "12/03/1956"),
        ("dob 1/3/56", "1/3/56"),
        ("D.O.B. 12-03-56", "12-03-56"),
        ("D.O.B 12.03.1956", "12.03.1956"),
        ("DoB - 1956-03-12", "1956-03-12"),
        ("Date of birth: 3 May 1950", "3 May 1950"),
        ("date of birth is 3rd May 1950", "3rd May 1950"),
        ("Date-of-birth 12-Mar-1956", "12-Mar-1956"),
        ("birth date 12 Sept 1956", "12 Sept 1956"),
        ("Birthdate: March 12, 1956", "March 12, 1956"),
        ("born 3 May 1950", "3 May 1950"),
        ("Born on 03/05/1950, lives alone", "03/05/1950"),
        ("born on the 3rd of May 1950", "3rd of May 1950"),
        ("Patient's DOB was 29/02/1952", "29/02/1952"),
        ("DOB of patient: 12/03/1956", "12/03/1956"),
        ("Mr X (DOB 12/03/1956) fell twice", "12/03/1956"),
        ("12/03/1956 (DOB)", "12/03/1956"),
        ("DOB\n12/03/1956", "12/03/1956"),
        ("DOB 03/25/1956", "03/25/1956"),  # US order is still a date
        ("DOB 12 Mar '56", "12 Mar '56"),
    ],
)
def test_date_of_birth_is_found(text: str, date: str) -> None:
    (finding,) = find_identifiers(text)
    assert finding.kind == DATE_OF_BIRTH
    assert finding.text == date
    assert text[finding.start : finding.end] == date
    assert "date of birth" in finding.reason


def test_several_dates_of_birth() -> None:
    text = "DOB 12/03/1956; another patient, DOB 01/07/1961."
    assert texts(text) == ["12/03/1956", "01/07/1961"]


@pytest.mark.parametrize(
    "text",
    [
        "DOB 31/02/1956",  # no such day
        "DOB 13/13/1956",
        "DOB 00/03/1956",
        "DOB 1956",  # a year alone
        "DOB March 1956",  # month and year
        "DOB 12 March",  # day and month
        "date of birth 12/03/1700",
        "DOB not recorded. 12/03/2025 was the audit date",
        "DOB field audited from 01/04/2025",
        "DOB checked on wristbands 01/04/2025",
        "12/03/2025 DOB audit started",
        "Start 01/04/2025: DOB checked at handover",
    ],
)
def test_not_a_date_of_birth(text: str) -> None:
    assert find_identifiers(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Patients with DOB between 01/01/1950 and 31/12/1960 were included",
        "Include patients with DOB 01/01/1950 - 31/12/1960",
        "DOB 01/01/1950 to 31/12/1960",
        "DOB 01/04/2020 onwards",
        "DOB 1/1/1950 or earlier",
        "Babies born after 1 April 2024 are excluded",
        "born before 01/01/2000",
        "born between 1 Jan 2020 and 31 Dec 2020",
        "Children born 01/09/2019 - 31/08/2020",
        "Born in Bradford started recruiting on 1 March 2007",
        "Newborn checks from 01/04/2025",
        "First-born 12/03/2025 cohort",
    ],
)
def test_dates_that_define_a_population_are_not_flagged(text: str) -> None:
    assert find_identifiers(text) == []


# --------------------------------------------------------------------------------------------
# Hospital numbers
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("MRN 1234567", "1234567"),
        ("MRN: 12345678", "12345678"),
        ("M.R.N. 1234567", "1234567"),
        ("mrn#1234567", "1234567"),
        ("hospital number: A123456", "A123456"),
        ("Hospital no. A1234567", "A1234567"),
        ("hosp no RX1234567", "RX1234567"),
        ("Hosp. No: K1234567", "K1234567"),
        ("Hospital ID 0012345", "0012345"),
        ("unit number 123456", "123456"),
        ("Unit no. D123456", "D123456"),
        ("patient id: ABC12345678", "ABC12345678"),
        ("Patient ID is 1234567", "1234567"),
        ("Pt no 1234567X", "1234567X"),
        ("patient identifier - RXH1234567", "RXH1234567"),
        ("K number K1234567", "K1234567"),
        ("K no: 1234567", "1234567"),
        ("case note number 7654321", "7654321"),
        ("casenotes no 7654321", "7654321"),
        ("PAS number M123456", "M123456"),
        ("hospital number for the patient: A123456", "A123456"),
        ("Hospital number\nA123456", "A123456"),
        ("(MRN 1234567)", "1234567"),
    ],
)
def test_labelled_hospital_number_is_found(text: str, value: str) -> None:
    (finding,) = find_identifiers(text)
    assert finding.kind == HOSPITAL_NUMBER
    assert finding.text == value
    assert text[finding.start : finding.end] == value
    assert "hospital number" in finding.reason


def test_hospital_value_that_is_a_valid_nhs_number_is_reported_once_as_nhs() -> None:
    (finding,) = find_identifiers("Patient ID 943 476 5919")
    assert finding.kind == NHS_NUMBER


@pytest.mark.parametrize(
    "text",
    [
        "RX1234567",  # no label
        "A123456 was the form code",
        "Ward 7B",
        "MRN 12345",  # too few digits
        "MRN 2025",
        "MRN 85%",
        "MRN 12/03/2025",
        "MRN 1234567.5",
        "Hospital numbers 1234567",  # plural is not a label
        "Hospital number recorded on 96% of 1200 notes",
        "Hospital number missing in 1234567 records",
        "Unit no longer uses form 1234567",
        "patient identifiable data in 1234567 letters",
        "mRNA 1234567",
        "OK no 1234567",
        "MRN audit. 1234567 notes later",
        "MRN\n\n1234567",
    ],
)
def test_not_a_hospital_number(text: str) -> None:
    assert find_identifiers(text) == []


# --------------------------------------------------------------------------------------------
# Postcodes next to names
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "postcode"),
    [
        ("Mrs Jones, 14 Acacia Avenue, LS1 3EX", "LS1 3EX"),
        ("Mr J. Smith lives at SW1A 1AA", "SW1A 1AA"),
        ("EC1A1BB - Miss O'Neil", "EC1A1BB"),
        ("MRS JANE SMITH\n1 HIGH STREET\nM1 1AE", "M1 1AE"),
        ("Mx Taylor, B33 8TH", "B33 8TH"),
    ],
)
def test_postcode_with_name_is_found(text: str, postcode: str) -> None:
    (finding,) = find_identifiers(text)
    assert finding.kind == POSTCODE_WITH_NAME
    assert finding.text == postcode
    assert "postcode" in finding.reason


@pytest.mark.parametrize(
    "text",
    [
        "The clinic is at LS1 3EX",  # postcode alone
        "Mr Patel (consultant surgeon) leads the project",  # name alone
        "Dr Smith, LS1 3EX",  # clinicians' titles are not used
        "MS clinic, LS1 3EX",
        "Mrs Jones chaired the meeting." + " " * 100 + "Site: LS1 3EX",  # too far apart
        "Mrs Jones\n\nLS1 3EX",  # different paragraphs
        "Mrs Jones ls1 3ex",  # lower case is not taken for a postcode
    ],
)
def test_not_a_postcode_with_name(text: str) -> None:
    assert find_identifiers(text) == []


# --------------------------------------------------------------------------------------------
# Realistic QI text: nothing found
# --------------------------------------------------------------------------------------------

QI_SENTENCES = [
    # Aims
    "Increase the proportion of patients with a completed falls risk assessment within 24 hours "
    "of admission from 62% to 80% by March 2026.",
    "Reduce inpatient falls with harm on Ward 7B by 30% by 31/03/2026.",
    "Reduce the median time from referral to first appointment from 42 days to 28 days by "
    "1 April 2026.",
    "Achieve 95% compliance with VTE risk assessment on AMU by the end of Q3 2025/26.",
    "Reduce C. difficile cases from 14 to fewer than 8 per 10,000 bed days by December 2025.",
    "Zero grade 3 or 4 pressure ulcers on Elm ward for 120 consecutive days.",
    # PDSA notes
    "PDSA 1 (03/02/2025): tested the new handover sheet with 2 nurses on 1 shift.",
    "PDSA cycle 3 started 14-04-2025 and ran for 2 weeks; 17 of 21 handovers used the tool.",
    "Cycle 4, 2025-05-06 to 2025-05-20: spread to night shift.",
    "Study: 9/12 (75%) sepsis screens completed within 1 hour, up from 4/12 on 01/03/2025.",
    "Act: adopt. Next cycle from 1st June 2025 on Ward 12.",
    "Plan: test the sticker on 5 patients on Tuesday 10 June 2025.",
    "Predicted 50% uptake; actual 38% (19/50).",
    # Measure definitions
    "Numerator: number of patients with DOB and NHS number on the wristband. "
    "Denominator: all admissions.",
    "Measure: % of discharge letters with date of birth recorded, weekly from 01/04/2025.",
    "Outcome measure: falls per 1,000 occupied bed days, monthly, April 2023 - March 2026.",
    "Baseline period 01/04/2024 - 30/09/2024 (n = 1,247).",
    "Exclusions: patients born before 01/01/1940; day cases; transfers in.",
    "Data source: Datix incidents 2019-2025, extracted 02/06/2025.",
    "Hospital number and NHS number completeness audited in 1,200 notes (96%).",
    "Patient ID wristband checks: 112/120 correct (93.3%) in May 2025.",
    "MRN mismatch rate fell from 4.2% to 1.1% after the change.",
    "Unit number labels reprinted for 3 wards on 12/05/2025.",
    "DOB recorded on 98% of referrals from 01/04/2025 to 30/06/2025.",
    "Audit of date of birth accuracy, 01/01/2025 - 31/03/2025.",
    # Counts, money, time
    "There were 10 falls in 2024 and 6 in 2025.",
    "Total cost 1,234,567 pounds over 3 years; saving £250,000 per year.",
    "Activity: 1234567 outpatient attendances across the ICS in 2024/25.",
    "The ICB population is 2,900,000 (approx. 2900000).",
    "Median LOS 6.5 days (IQR 3-11); 30-day readmissions 12.4%.",
    "Run chart: 26 data points, 7 above the median, shift detected at point 18.",
    "Ratio 0.9434765919 to 10 d.p.",
    "Timestamp 1700000000 in the export log.",
    # Phone numbers, extensions, bleeps
    "Contact the QI team on 0113 243 2799 ext. 4567.",
    "Call 07700 900123 or 01632 960001.",
    "Bleep 1234 or ext 56789 out of hours.",
    "Switchboard +44 113 243 2799.",
    "Tel: 020 7946 0958",
    # Wards, sites, codes, people
    "Ward 7B, Ward 12, AMU, ITU and the Discharge Lounge.",
    "Site code RXH01; ODS code RR8; cost centre 123456.",
    "Project lead: Dr Patel; sponsor: Mr Jones (consultant surgeon).",
    "Meeting with Mrs Ahmed, matron, on 12/03/2025 in Room 2.14.",
    "St James's University Hospital, Beckett Street, Leeds LS9 7TF.",
    "Born in Bradford data shared under the 2025 agreement.",
    "Newborn hearing screening completed for 410 babies born in Q1.",
    "The team was born out of the 2023 safety huddle.",
    "Version 2.1.3 of the tool, released 2025-06-01.",
    "NHS number tracing via PDS was completed for all referrals.",
    "K number stickers were out of stock for 2 days.",
    "Hospital no longer uses paper drug charts since 1 April 2025.",
    "Patient identifiable data must never be entered here.",
    "Ref: QI-2025-0142; Datix W123456.",
    "Episode 2024-0003456 closed.",
]


@pytest.mark.parametrize("sentence", QI_SENTENCES)
def test_qi_sentence_has_no_findings(sentence: str) -> None:
    assert find_identifiers(sentence) == []


def test_whole_qi_document_has_no_findings() -> None:
    assert find_identifiers("\n".join(QI_SENTENCES)) == []


def test_finding_in_the_middle_of_qi_text() -> None:
    text = "\n".join([*QI_SENTENCES[:10], "Mr X, DOB 12/03/1956, fell twice.", *QI_SENTENCES[10:]])
    (finding,) = find_identifiers(text)
    assert finding.kind == DATE_OF_BIRTH
    assert text[finding.start : finding.end] == "12/03/1956"


def test_text_is_never_changed() -> None:
    text = "NHS 943 476 5919, DOB 12/03/1956, MRN A123456, Mrs Jones LS1 3EX"
    before = str(text)
    findings = find_identifiers(text)
    assert text == before
    assert [f.kind for f in findings] == list(KINDS)


def test_empty_text() -> None:
    assert find_identifiers("") == []


# --------------------------------------------------------------------------------------------
# warning_message
# --------------------------------------------------------------------------------------------


def test_warning_message_names_what_where_and_the_rule() -> None:
    findings = find_identifiers("Seen 943 476 5919, DOB 12/03/1956.")
    message = warning_message(findings, "Aim")
    assert message == (
        'The "Aim" field looks like it contains an NHS number (943 476 5919) and a date of birth '
        "(12/03/1956). qidesk is for aggregate data only: remove patient identifiers before "
        "saving."
    )
    assert message.endswith(RULE)
    assert "\n" not in message


def test_warning_message_counts_and_limits_examples() -> None:
    prefixes = [f"4010232{n:02d}" for n in range(20)]
    numbers = [make_valid(p) for p in prefixes if reference_check_digit(p) is not None][:5]
    assert len(numbers) == 5
    text = " ".join(numbers) + " MRN A123456 MRN B123456"
    message = warning_message(find_identifiers(text), "PDSA notes")
    assert message.startswith('The "PDSA notes" field looks like it contains 5 NHS numbers (')
    assert "and 2 more" in message
    assert "2 hospital numbers (A123456, B123456)" in message
    assert message.count(",") >= 3


def test_warning_message_repeated_value_is_shown_once() -> None:
    message = warning_message(find_identifiers("9434765919 and again 9434765919"), "Notes")
    assert "2 NHS numbers (9434765919)" in message


def test_warning_message_shortens_long_text_and_handles_blank_label() -> None:
    finding = IdentifierFinding(HOSPITAL_NUMBER, 0, 60, "A" * 60, "test")
    message = warning_message([finding], "  ")
    assert message.startswith("This field looks like it contains a hospital number (")
    assert "A" * 60 not in message
    assert "…" in message


def test_warning_message_postcode_and_unknown_kind() -> None:
    postcode = find_identifiers("Mrs Jones, LS1 3EX")
    assert "a postcode next to a name (LS1 3EX)" in warning_message(postcode, "Notes")
    other = IdentifierFinding("email_address", 0, 5, "a@b.c", "test")
    assert "an email address" not in warning_message([other], "Notes")
    assert "email address (a@b.c)" in warning_message([other], "Notes")


def test_warning_message_empty_when_nothing_found() -> None:
    assert warning_message([], "Aim") == ""
