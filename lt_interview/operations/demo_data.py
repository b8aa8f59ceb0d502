"""A wholly fictional demo review (DOMAIN.md §11). Nothing here describes a real case."""

from lt_interview.operations.framework_file import FrameworkFile

DEMO_PASSPHRASE = "demo only - fictional data"

FRAMEWORK = FrameworkFile.model_validate({
    "review": {
        "name": "Demo review: Child M (fictional)",
        "review_type": "LCSPR",
        "commissioner_term": "partnership",
        "guiding_question": "How well do agencies share and act on early signs of harm to babies?",
        "retain_until": "2033-03-31",
        "lawful_basis": "Public task; DPA 2018 Sch. 1 safeguarding condition (fictional example)",
    },
    "framework": {
        "children": [{"pseudonym": "Child M", "relationship": "baby, 7 months at the start of the period"}],
        "household": [
            {"pseudonym": "Mother (Ms A)", "relationship": "mother"},
            {"pseudonym": "Mr B", "relationship": "mother's partner"},
        ],
        "agencies": ["Health visiting", "GP practice", "Emergency department", "Children's social care",
                     "Nursery", "Police"],
        "period_start": "March 2025",
        "period_end": "November 2025",
    },
    "reviewer": [
        {"name": "Robin Ashdown", "role": "Lead reviewer"},
        {"name": "Sam Okafor", "role": "Lead reviewer"},
    ],
    "practitioner": [
        {"name": "Jo Hartley", "role": "Health visitor", "agency": "Health visiting"},
        {"name": "Dr Priya Nandi", "role": "GP", "agency": "GP practice"},
        {"name": "Chris Dunmore", "role": "Emergency department nurse", "agency": "Emergency department"},
        {"name": "Alex Fenwick", "role": "Duty social worker", "agency": "Children's social care"},
        {"name": "Morgan Lyle", "role": "Nursery key worker", "agency": "Nursery"},
        {"name": "PC Dana Whitcombe", "role": "Response officer", "agency": "Police"},
    ],
    "pseudonym": [
        {"pseudonym": "Child M", "real_name": "Milo Tenterden", "category": "child"},
        {"pseudonym": "Mother (Ms A)", "real_name": "Amber Tenterden", "category": "family"},
        {"pseudonym": "Mr B", "real_name": "Bryn Castellan", "category": "family"},
    ],
})

# The health visitor's conversation, as it might have been noted (fictional).
HEALTH_VISITOR_NOTES = {
    "introduction": "10:02 Ground rules explained; Jo happy to go ahead. Knows notes come back to her to check.",
    "overview": (
        "10:06 Took over the family in spring when the previous HV left. Mum seemed tired but warm with M.\n"
        "Mr B often at visits, did a lot of the talking."
    ),
    "episodes": "10:14 Jo names two moments: the bruise at the 8-month review, and the missed visit in July.",
    "went_well": "11:02 GP rang back the same day - 'that never usually happens'.",
    "changes": "11:20 A shared place to see who else is worried. Time to think with a supervisor.",
}

HEALTH_VISITOR_EPISODES = [
    {
        "title": "Small bruise seen at the 8-month review",
        "when": "early summer 2025",
        "knew": "A small mark on the cheek; Mr B said M had rolled into the cot side.",
        "thought": "It fitted what she had been told, and M was meeting milestones.",
        "felt": "Uneasy but reassured by how settled M was.",
        "did": "Recorded it, advised the GP, planned an extra visit.",
        "why_it_made_sense": "Bruising guidance was for non-mobile babies and she understood M was rolling.",
        "factors": [("family", "Relationship with the professional", "Mr B answered most questions."),
                    ("conditions", "Workload", "Caseload of over 400 families that month.")],
    },
    {
        "title": "Missed visit in July",
        "when": "after the summer holidays started",
        "knew": "Nobody home; a card left.",
        "thought": "Families often go away in July.",
        "did": "Rebooked for three weeks later.",
        "why_it_made_sense": "No other agency had raised a concern with her.",
        "factors": [("inter_agency", "", "Did not know about the police call-out.")],
    },
]
