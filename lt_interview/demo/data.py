"""A wholly fictional demo review (DOMAIN.md §11). Nothing here describes a real case."""

from lt_interview.review.framework_file import FrameworkFile

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
    "introduction": "10:02 Ground rules explained; HV happy to go ahead. Knows notes come back to her to check.",
    "overview": (
        "10:06 Took over the family in spring when the previous HV left. Mum seemed tired but warm with M.\n"
        "Mr B often at visits, did a lot of the talking."
    ),
    "episodes": "10:14 HV names two moments: the bruise at the 8-month review, and the missed visit in July.",
    "went_well": "11:02 GP rang back the same day - 'that never usually happens'.",
    "changes": "11:20 A shared place to see who else is worried. Time to think with a supervisor.",
    # A reviewers' working note: kept in the file for the audit trail, never in the account.
    "queries": "11:25 Tearful at the end talking about the caseload; offered support and the EAP number.",
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

# The health visitor's comments on the account sent for checking, and the correction typed up.
HEALTH_VISITOR_CORRECTION = {
    "comments": "The mark was on the left cheek, and I asked Mum about it as well as Mr B.",
    "episode": 0,
    "field": "knew",
    "text": ("A small mark on the left cheek; Mr B said M had rolled into the cot side, and Mum agreed "
             "when asked."),
}

# The GP's conversation (fictional): the same bruise, seen a week later and explained differently.
GP_NOTES = {
    "introduction": "14:00 Purpose explained; GP had ten minutes between surgeries, agreed to go ahead.",
    "overview": (
        "14:04 Registered GP for the family; saw M twice in the period, both times for minor illness.\n"
        "Practice had the HV's message on the system but it was filed, not tasked."
    ),
    "episodes": "14:10 Names the June appointment for a cough, when Mum mentioned a bruise that had faded.",
    "went_well": "14:31 Called the HV back the same day once the message was flagged to her.",
    "changes": "14:40 Messages from health visiting about marks on babies should come as tasks, not letters.",
}

GP_EPISODES = [
    {
        "title": "Cough appointment when a faded bruise was mentioned",
        "when": "mid June 2025, a week or so after the HV visit",
        "knew": "Mum said there had been a small bruise from the cot side, now gone; she had not seen the HV note.",
        "thought": "A faded mark with an explanation, in a baby who was pulling himself up.",
        "felt": "Pressed for time; the appointment was about the cough.",
        "did": "Examined the chest; looked at the cheek, saw nothing; did not undress M fully.",
        "why_it_made_sense": "Ten-minute slot, the mark had gone, and the explanation matched what Mum said.",
        "factors": [("conditions", "Timing (shifts, busy periods)", "Ten-minute appointments, running late."),
                    ("inter_agency", "Communication between agencies", "HV message filed as a letter, not tasked.")],
        # Noted by the reviewers, who had heard the health visitor's account the week before.
        "divergences": [("the health visitor",
                         "Had not seen the HV's message before the appointment; the HV understood the GP "
                         "had been told about the bruise.")],
    },
]

# The emergency department nurse's conversation (fictional): an attendance before the HV review.
ED_NURSE_NOTES = {
    "introduction": "09:30 The nurse had not taken part in a review before; explained it is about the system, not blame.",
    "overview": (
        "09:35 Triage nurse on a busy Saturday. Saw M with Mr B; Mum arrived later.\n"
        "Department uses a safeguarding checklist for under-ones."
    ),
    "episodes": "09:41 One episode: the Saturday attendance with a bruise to the cheek after a fall.",
    "went_well": "10:05 The checklist prompted the question about mobility; the notification to the HV went out.",
    "changes": "10:15 Being able to see whether other agencies had already noted a mark.",
}

ED_NURSE_EPISODES = [
    {
        "title": "Saturday attendance: bruise to the cheek",
        "when": "early June 2025, a few days before the 8-month review",
        "knew": "Mr B said M had rolled off the changing table; a bruise on the cheek; M alert and feeding.",
        "thought": "A fall from a height fitted; she asked about mobility and was told M was crawling.",
        "felt": "Reassured by the explanation, uneasy that the story was told only by Mr B.",
        "did": "Completed the under-ones checklist, discussed with the doctor, sent a notification to the HV.",
        "why_it_made_sense": "The doctor was satisfied with the explanation and the notification route was followed.",
        "factors": [("family", "", "Mr B did all the talking until Mum arrived."),
                    ("conditions", "Workload", "Twelve children waiting at triage.")],
        "divergences": [("the health visitor and the GP",
                         "Was told M was crawling and fell from the changing table; the HV understood M was "
                         "rolling, and the GP heard the mark came from the cot side.")],
    },
]

# The agency chronology (fictional), as a review team might receive it from the partnership.
CHRONOLOGY_CSV = """date,agency,event
2025-03-10,Health visiting,Case transferred to a new health visitor after a staff move.
2025-05-12,GP practice,Child M seen with a cold; no concerns recorded.
2025-06-07,Emergency department,Attendance with a bruise to the cheek after a reported fall from a changing table; notification sent to health visiting.
2025-06-11,Health visiting,8-month review at home; small bruise on the cheek noted; explanation given was rolling into the cot side.
2025-06-18,GP practice,Appointment for a cough; mother mentions a faded bruise; chest examined.
20/07/2025,Police,Call-out to the address after a neighbour reported shouting; no further action.
2025-07-24,Health visiting,Planned visit; no one at home; card left and visit rebooked.
2025-09-02,Nursery,Child M starts two mornings a week.
"""
