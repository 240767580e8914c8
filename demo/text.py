"""Everything the demo newsroom says: invented for Newsroom, no real person or event."""

import random

SECTIONS = [
    ("Pakistan", "National politics, courts and the provinces."),
    ("World", "Diplomacy, conflict and elections beyond our borders."),
    ("Business", "Markets, trade, energy and the cost of living."),
    ("Sport", "Cricket, hockey, football and the athletes behind them."),
    ("Culture", "Books, film, music and the arts."),
    ("Opinion", "Columns and analysis from our writers and guests."),
]

AUTHORS = [
    ("Staff Reporter", ""),
    ("Amina Qureshi", "Amina covers parliament and the courts from Islamabad."),
    ("Bilal Hashmi", "Bilal reports on energy, trade and the economy from Karachi."),
    ("Sana Mirza", "Sana writes about cricket and the business of sport."),
    ("Daniyal Rauf", "Daniyal is the paper's diplomatic correspondent."),
    ("Hira Baloch", "Hira reports from Quetta on Balochistan and the border regions."),
    ("Omar Siddiqui", "Omar edits the culture pages and reviews new fiction."),
    ("Newsroom Wire Desk", "Stories compiled from agency reports."),
    ("Farah Naz", "Farah is a guest columnist and a former civil servant."),
]

SUBJECTS = [
    "Provincial assembly",
    "Finance ministry",
    "Cricket board",
    "City council",
    "Election commission",
    "Energy regulator",
    "Foreign office",
    "High court",
    "Teachers' union",
    "Port authority",
    "Water commission",
    "Film festival",
]
ACTIONS = [
    "approves plan to",
    "delays decision to",
    "faces questions over move to",
    "announces review of proposal to",
    "rejects call to",
    "sets deadline to",
]
OBJECTS = [
    "expand public transport",
    "cut fuel subsidies",
    "restore the old stadium",
    "publish audit findings",
    "raise the minimum wage",
    "open three new hospitals",
    "reform tax collection",
    "reschedule the tournament",
    "digitise land records",
    "protect the mangrove coast",
]
# Topics the demo tags stories with, by words of their headline.
TOPICS = [
    (
        "Cost of living",
        "Prices, wages, subsidies and what households pay.",
        ["wage", "fuel", "tax"],
    ),
    ("Elections", "Campaigns, the commission and the vote.", ["Election"]),
    ("Cricket", "The national side, the board and the grounds.", ["Cricket", "tournament"]),
    ("Water", "Floods, dams, mangroves and what comes out of the tap.", ["Water", "mangrove"]),
    ("Health", "Hospitals, doctors and public health.", ["hospitals"]),
    ("Transport", "Roads, rail, ports and getting around.", ["transport", "Port"]),
]
PLACES = ["Karachi", "Lahore", "Islamabad", "Quetta", "Peshawar", "Multan", "Hyderabad"]
CREDITS = [
    "Newsroom photo",
    "Agency photo",
    "Newsroom screengrab",
    "Handout photo",
    "Courtesy of the organisers",
]


def story_body(rng: random.Random, subject: str, place: str) -> str:
    paragraphs = [
        f"<p>Officials in {place} said on Tuesday that the {subject.lower()} would publish "
        "its full reasoning within a week, after a meeting that ran late into the evening.</p>",
        "<p>Critics said the timetable was too short for the public to respond, while "
        "supporters argued that further delay would only raise the eventual cost.</p>",
        "<h2>What happens next</h2>",
        "<p>A committee will hear submissions from residents, traders and civic groups. "
        "Its members are expected to visit the affected neighbourhoods before voting.</p>",
        "<blockquote><p>We want people to see the numbers before anyone signs anything, "
        "a spokesperson said.</p></blockquote>",
        "<h2>The background</h2>",
        "<p>The proposal was first tabled two years ago and shelved after a change of "
        "leadership. It returned to the agenda this autumn.</p>",
        "<ul><li>Public hearings begin next month.</li><li>A final vote is expected "
        "before the budget session.</li></ul>",
    ]
    rng.shuffle(paragraphs[4:])
    return "".join(paragraphs)


def article_headline(number: int) -> str:
    subject = SUBJECTS[number % len(SUBJECTS)]
    action = ACTIONS[(number // len(SUBJECTS)) % len(ACTIONS)]
    thing = OBJECTS[(number // 7) % len(OBJECTS)]
    return f"{subject} {action} {thing}"


def article_slug(number: int) -> str:
    slug = article_headline(number).lower().replace(" ", "-").replace("'", "")
    return f"{slug}-{number}"


# Conversations under the newest stories (story 0 first): who, what, and whom they answer.
# A reply to a reply shows the name it answers as "@name".
CONVERSATIONS = [
    [
        (
            "Ayesha Khan",
            "I ride the 7 bus every morning. The new routes would cut my commute in half, but "
            "only if the buses actually run on time. The plan says nothing about drivers.",
            None,
        ),
        (
            "Imran Sheikh",
            "The report does mention drivers, on page 14: two hundred new hires by March.",
            "Ayesha Khan",
        ),
        (
            "Ayesha Khan",
            "Thank you, I missed that. Two hundred is still short of what the union asked for.",
            "Imran Sheikh",
        ),
        (
            "Rashid Mehmood",
            "Every council promises this before an election. Let us see the money first.",
            None,
        ),
        (
            "Sadia Farooq",
            "The money is in the budget annex, line 42. Worth a read.",
            "Rashid Mehmood",
        ),
    ],
    [
        ("Tariq Jamil", "A clear explainer. More of these, please.", None),
        ("Nadia Hussain", "Agreed. The timeline graphic would help too.", "Tariq Jamil"),
    ],
]

# Hidden by a moderator. Its reply keeps the conversation, so readers see a placeholder
# where it stood.
ABUSIVE_COMMENT = (
    "Angry Commuter",
    "Anyone who believes this is an idiot, and so is whoever wrote it.",
)
REPLY_TO_ABUSIVE = ("Sadia Farooq", "No need for insults. The plan can be argued on its merits.")

# Held for review by the suspect-word rule, waiting in the moderation queue.
HELD_COMMENT = (
    "Lucky Deals",
    "Great story! Win big at our casino, first deposit doubled, link in my profile.",
)
HELD_REASON = "Contains a suspect word: casino"

# (story number, correction)
CORRECTIONS = [
    (
        2,
        "An earlier version of this story gave the wrong day for the public hearing. "
        "It is on Thursday, not Wednesday.",
    ),
    (5, "An earlier version misspelt the name of the committee's chair."),
]

BREAKING_NEWS = "Public transport plan approved: what changes for commuters"

# (story number, today's reads): yesterday's are a little over half as many.
READS = [(3, 1840), (1, 1325), (6, 960), (0, 810), (9, 540), (2, 330), (4, 215), (7, 120)]
