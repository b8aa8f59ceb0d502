"""The new-review form's fields (home screen, F3) read into a framework file, as `review new
--framework` takes one. Lists are typed on one line, entries separated by semicolons:

    Agencies       Primary school; School nursing
    Children       Child W
    Household      Mother (Ms K) = mother; Brother (Y) = brother, 4
    Practitioners  Ellery Brandt, Class teacher, Primary school; Noor Castell, School nurse
    Pseudonyms     Child W = Wren Ashcombe; Mother (Ms K) = Kerris Ashcombe
    Reviewers      Hollis Varden; Tamsin Quarry, Notetaker

Each problem is one line naming the field and the entry. Nothing here imports Textual."""

from __future__ import annotations

from pydantic import ValidationError

from lt_interview.domain.names import name_tokens
from lt_interview.domain.text import MAX_LINE, clean_line
from lt_interview.errors import BadInput, describe_validation
from lt_interview.review.framework_file import FrameworkFile

FORM_FIELDS = ("period_start", "period_end", "agencies", "children", "household", "practitioners",
               "pseudonyms", "reviewers")
LABELS = {
    "period_start": "Period from", "period_end": "Period to", "agencies": "Agencies", "children": "Children",
    "household": "Household", "practitioners": "Practitioners", "pseudonyms": "Pseudonyms",
    "reviewers": "Reviewers",
}


def _entries(text: str) -> list[str]:
    return [" ".join(clean_line(part).split()) for part in text.split(";") if part.strip()]


def _checked(label: str, number: int, value: str) -> str:
    if len(value) > MAX_LINE:
        raise BadInput(f"{label}, entry {number}: longer than {MAX_LINE} characters")
    return value


def _pair(label: str, number: int, entry: str, shape: str, *, second_needed: bool) -> tuple[str, str]:
    first, sep, second = entry.partition("=")
    first, second = first.strip(), second.strip()
    if not first or (second_needed and not second):
        raise BadInput(f"{label}, entry {number} ('{entry}'): write it as '{shape}'")
    return _checked(label, number, first), _checked(label, number, second)


def framework_from_form(values: dict[str, str], base: FrameworkFile | None = None) -> FrameworkFile:
    """`base` (a framework file, or nothing) with the form's fields added: typed lists are added
    to the file's, a typed period replaces the file's."""
    values = {name: values.get(name, "") or "" for name in FORM_FIELDS}
    data = (base or FrameworkFile()).model_dump()
    framework, label = data["framework"], LABELS
    for name in ("period_start", "period_end"):
        if values[name].strip():
            framework[name] = _checked(label[name], 1, " ".join(clean_line(values[name]).split()))
    framework["agencies"] += [_checked(label["agencies"], n, a) for n, a in enumerate(_entries(values["agencies"]), 1)]
    for n, child in enumerate(_entries(values["children"]), 1):
        pseudonym, relationship = _pair(label["children"], n, child, "Child W = girl, 11", second_needed=False)
        framework["children"].append({"pseudonym": pseudonym, "relationship": relationship})
    for n, member in enumerate(_entries(values["household"]), 1):
        pseudonym, relationship = _pair(label["household"], n, member, "Mother (Ms K) = mother", second_needed=False)
        framework["household"].append({"pseudonym": pseudonym, "relationship": relationship})
    for n, entry in enumerate(_entries(values["practitioners"]), 1):
        parts = [part.strip() for part in entry.split(",")]
        if len(parts) < 2 or len(parts) > 3 or not all(parts[:2]):
            raise BadInput(f"{label['practitioners']}, entry {n} ('{entry}'): write it as 'Name, Role' or "
                           "'Name, Role, Agency'")
        name, role, agency = (parts + [""])[:3]
        data["practitioner"].append({"name": _checked(label["practitioners"], n, name),
                                     "role": _checked(label["practitioners"], n, role),
                                     "agency": _checked(label["practitioners"], n, agency)})
    for n, entry in enumerate(_entries(values["pseudonyms"]), 1):
        pseudonym, real_name = _pair(label["pseudonyms"], n, entry, "Child W = real name", second_needed=True)
        data["pseudonym"].append({"pseudonym": pseudonym, "real_name": real_name,
                                  "category": "child" if _is_child(pseudonym, framework) else "family"})
    for n, entry in enumerate(_entries(values["reviewers"]), 1):
        name, _, role = (part.strip() for part in entry.partition(","))
        if not name:
            raise BadInput(f"{label['reviewers']}, entry {n} ('{entry}'): write it as 'Name' or 'Name, Role'")
        data["reviewer"].append({"name": _checked(label["reviewers"], n, name),
                                 "role": _checked(label["reviewers"], n, role or "Lead reviewer")})
    _refuse_repeats(data)
    try:
        return FrameworkFile.model_validate(data)
    except ValidationError as exc:
        raise BadInput(f"the new review's framework: {describe_validation(exc)}") from None


def _is_child(pseudonym: str, framework: dict) -> bool:
    return any(child["pseudonym"].casefold() == pseudonym.casefold() for child in framework["children"])


def _refuse_repeats(data: dict) -> None:
    def once(label: str, names: list[str]) -> None:
        seen: set[str] = set()
        for name in names:
            if name.casefold() in seen:
                raise BadInput(f"{label}: '{name}' is given twice")
            seen.add(name.casefold())

    framework = data["framework"]
    once("Children and household", [m["pseudonym"] for m in framework["children"] + framework["household"]])
    once("Practitioners", [p["name"] for p in data["practitioner"]])
    once("Reviewers", [r["name"] for r in data["reviewer"]])
    once("Pseudonyms", [p["pseudonym"] for p in data["pseudonym"]])
    real_words = set()
    for entry in data["pseudonym"]:
        real_words |= name_tokens(entry["real_name"])
    members = [("Children", m["pseudonym"]) for m in framework["children"]]
    members += [("Household", m["pseudonym"]) for m in framework["household"]]
    for label, pseudonym in [("Pseudonyms", entry["pseudonym"]) for entry in data["pseudonym"]] + members:
        if name_tokens(pseudonym) & real_words:  # the real-name check would flag it everywhere
            raise BadInput(f"{label}: '{pseudonym}' contains a word of a real name; choose a pseudonym "
                           "that does not")
