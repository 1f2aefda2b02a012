"""The question banks, as data: each framework the seed accounts name, in our own words.

Loaded into `Framework`, `Dimension` and `BankItem` by the data migration
`0002_question_banks`; each item cites our statement of its framework in
docs/seed-practices.md. An item is (slug, kind, staff wording, pupil wording or "", options or
names). Pupil wording is plain and short; items without one are not asked of pupils.
"""

L, R, F, N = "likert", "ranking", "free_text", "name_generator"
DOC = "docs/seed-practices.md"

FRAMEWORKS = (
    {
        "slug": "nlc-characteristics",
        "name": "Seven characteristics of a successful learning network",
        "source": "Networked Learning Communities programme: characteristics of partnership",
        "citation": f"{DOC}#seven-characteristics",
        "description": "How far the network shows the seven characteristics its programme "
        "found in successful partnerships: a shared purpose, good relationships, real "
        "collaboration, enquiry, shared leadership, accountability and growing capacity.",
        "dimensions": (
            (
                "purpose",
                "Purpose and focus",
                (
                    (
                        "purpose-clear",
                        L,
                        "The network's learning focus is clear to me and to my colleagues.",
                        "I know what our schools are trying to get better at together.",
                        None,
                    ),
                    (
                        "purpose-pupils",
                        L,
                        "The focus is stated as a benefit to pupils that we will be able to see.",
                        "",
                        None,
                    ),
                ),
            ),
            (
                "relationships",
                "Relationships",
                (
                    (
                        "relationships-trust",
                        L,
                        "Staff of different schools in the network trust one another.",
                        "",
                        None,
                    ),
                    (
                        "relationships-equals",
                        L,
                        "Schools give and receive as equals, whatever their results.",
                        "",
                        None,
                    ),
                ),
            ),
            (
                "collaboration",
                "Collaboration",
                (
                    (
                        "collaboration-work",
                        L,
                        "I plan or teach with colleagues from other schools of the network.",
                        "I have worked with pupils from another school this year.",
                        None,
                    ),
                    (
                        "collaboration-forms",
                        R,
                        "Put these ways of working together in order of their value to you.",
                        "",
                        [
                            "Joint planning",
                            "Visits to other schools",
                            "Lesson study",
                            "Shared training days",
                            "Online discussion",
                        ],
                    ),
                ),
            ),
            (
                "enquiry",
                "Enquiry",
                (
                    (
                        "enquiry-evidence",
                        L,
                        "We look at evidence together before we change how we teach.",
                        "",
                        None,
                    ),
                    (
                        "enquiry-pupils",
                        L,
                        "Pupils' views are asked for when we try something new.",
                        "My teachers ask what I think about how I learn.",
                        None,
                    ),
                ),
            ),
            (
                "leadership",
                "Leadership",
                (
                    (
                        "leadership-shared",
                        L,
                        "People at every level lead some part of the network's work.",
                        "",
                        None,
                    ),
                ),
            ),
            (
                "accountability",
                "Accountability",
                (
                    (
                        "accountability-commitments",
                        L,
                        "Schools keep the commitments they made to the network.",
                        "",
                        None,
                    ),
                ),
            ),
            (
                "capacity",
                "Capacity-building",
                (
                    (
                        "capacity-learning",
                        L,
                        "Working in the network has changed my practice.",
                        "My lessons have changed this year in ways that help me learn.",
                        None,
                    ),
                    (
                        "capacity-next",
                        F,
                        "What would most help the network grow its capacity next year?",
                        "",
                        None,
                    ),
                ),
            ),
        ),
    },
    {
        "slug": "collaboration-conditions",
        "name": "Conditions and challenges of collaboration",
        "source": "Virtual education action zone study: five conditions and ten challenges",
        "citation": f"{DOC}#conditions-and-challenges-of-collaboration",
        "description": "The five conditions a study of a virtual action zone found collaboration "
        "rests on, with the challenges that most often hold a network back.",
        "dimensions": (
            (
                "trust",
                "Trust among equals",
                (
                    (
                        "trust-share",
                        L,
                        "I can tell colleagues of other schools what is not working in my class.",
                        "",
                        None,
                    ),
                    (
                        "trust-competition",
                        L,
                        "Competition between our schools does not get in the way.",
                        "",
                        None,
                    ),
                ),
            ),
            (
                "leadership",
                "Leadership of the collaboration",
                (
                    (
                        "leadership-facilitator",
                        L,
                        "The network is led in a way that supports and challenges my school.",
                        "",
                        None,
                    ),
                    (
                        "leadership-reluctant",
                        L,
                        "Leaders who were unsure about the network are now taking part.",
                        "",
                        None,
                    ),
                ),
            ),
            (
                "decisions",
                "Taking part in decisions",
                (
                    (
                        "decisions-voice",
                        L,
                        "I have a say in what the network decides to do.",
                        "",
                        None,
                    ),
                    (
                        "decisions-informed",
                        L,
                        "I am kept informed of what the network is doing.",
                        "",
                        None,
                    ),
                ),
            ),
            (
                "benefit",
                "Benefit to each school",
                (
                    (
                        "benefit-visible",
                        L,
                        "I can name a benefit the network has brought to my pupils.",
                        "",
                        None,
                    ),
                    (
                        "benefit-priorities",
                        L,
                        "The network's work fits my school's own priorities.",
                        "",
                        None,
                    ),
                ),
            ),
            (
                "climate",
                "A climate for lasting change",
                (
                    (
                        "climate-celebrate",
                        L,
                        "Good practice of teachers is noticed and celebrated across the network.",
                        "",
                        None,
                    ),
                    (
                        "climate-challenges",
                        R,
                        "Which of these holds the network back most? Put them in order.",
                        "",
                        [
                            "Communication between members",
                            "New headteachers joining",
                            "Competing agendas",
                            "Keeping each school's identity",
                            "Commitment without authority",
                        ],
                    ),
                ),
            ),
        ),
    },
    {
        "slug": "ero-indicators",
        "name": "School evaluation indicators for a Kāhui Ako",
        "source": "New Zealand Education Review Office: school evaluation indicators",
        "citation": f"{DOC}#school-evaluation-indicators",
        "description": "The six domains of the review office's indicators, asked of a "
        "Community of Learning as a whole.",
        "dimensions": (
            (
                "stewardship",
                "Stewardship",
                (
                    (
                        "stewardship-goals",
                        L,
                        "Our boards and leaders share the community's achievement challenges.",
                        "",
                        None,
                    ),
                ),
            ),
            (
                "equity",
                "Leadership for equity and excellence",
                (
                    (
                        "equity-all",
                        L,
                        "Leaders act on differences in progress between groups of learners.",
                        "",
                        None,
                    ),
                ),
            ),
            (
                "connections",
                "Educationally powerful connections and relationships",
                (
                    (
                        "connections-whanau",
                        L,
                        "Teachers, learners, parents and whānau work as partners in learning.",
                        "My family and my teachers talk together about my learning.",
                        None,
                    ),
                ),
            ),
            (
                "curriculum",
                "Responsive curriculum, effective teaching and opportunity to learn",
                (
                    (
                        "curriculum-pathway",
                        L,
                        "Learners move between our schools without losing ground.",
                        "Moving to my next school feels like it will go well.",
                        None,
                    ),
                ),
            ),
            (
                "capability",
                "Professional capability and collective capacity",
                (
                    (
                        "capability-across",
                        L,
                        "Across-community teachers help me improve my teaching.",
                        "",
                        None,
                    ),
                ),
            ),
            (
                "inquiry",
                "Evaluation, inquiry and knowledge building",
                (
                    (
                        "inquiry-spiral",
                        L,
                        "Our inquiries start from what we see in our learners.",
                        "",
                        None,
                    ),
                    (
                        "inquiry-spread",
                        F,
                        "Which idea from another school of the community changed your practice?",
                        "",
                        None,
                    ),
                ),
            ),
        ),
    },
    {
        "slug": "sustaining-network",
        "name": "Three dimensions of sustaining a network",
        "source": "Sustaining a network of schools: three dimensions of capacity building",
        "citation": f"{DOC}#sustaining-a-network",
        "description": "Whether the network is building the capacity to last: its development "
        "as a network, its adaptive change and its leadership.",
        "dimensions": (
            (
                "development",
                "Network development",
                (
                    (
                        "development-structures",
                        L,
                        "The network's groups and meetings work well for my school.",
                        "",
                        None,
                    ),
                    (
                        "development-self-evaluation",
                        L,
                        "The network evaluates itself and acts on what it finds.",
                        "",
                        None,
                    ),
                ),
            ),
            (
                "adaptive",
                "Adaptive change",
                (
                    (
                        "adaptive-changes",
                        L,
                        "The network changes its plans when evidence says it should.",
                        "",
                        None,
                    ),
                ),
            ),
            (
                "leadership",
                "Network leadership",
                (
                    (
                        "leadership-succession",
                        L,
                        "If a leader left, others would carry the network's work on.",
                        "",
                        None,
                    ),
                ),
            ),
        ),
    },
    {
        "slug": "partnership",
        "name": "Collaboration between schools",
        "source": "Inter-organisational network surveys: ties between partners",
        "citation": f"{DOC}#partnership-between-schools",
        "description": "Who works with whom: trust, value and resources between pairs of "
        "schools, and the people each person works with or asks for advice.",
        "dimensions": (
            (
                "trust",
                "Trust between schools",
                (
                    (
                        "trust-schools",
                        N,
                        "Which schools of the network do you trust to share a difficulty with?",
                        "",
                        "schools",
                    ),
                ),
            ),
            (
                "value",
                "Value of the partnership",
                (
                    (
                        "value-schools",
                        N,
                        "Which schools of the network has your school gained most from this year?",
                        "",
                        "schools",
                    ),
                    (
                        "value-overall",
                        L,
                        "Working with the other schools is worth the time it takes.",
                        "",
                        None,
                    ),
                ),
            ),
            (
                "resources",
                "Resources contributed",
                (
                    (
                        "resources-schools",
                        N,
                        "To which schools has your school given staff time, materials or places?",
                        "",
                        "schools",
                    ),
                ),
            ),
            (
                "ties",
                "Working ties",
                (
                    (
                        "ties-work",
                        N,
                        "Whom in the network do you work with on teaching?",
                        "",
                        "people",
                    ),
                    (
                        "ties-advice",
                        N,
                        "Whom in the network do you go to for advice about teaching?",
                        "",
                        "people",
                    ),
                ),
            ),
        ),
    },
)


def rows():
    """(framework fields, [(dimension fields, [item fields])]) ready for the models."""
    for position, framework in enumerate(FRAMEWORKS):
        fields = {
            key: framework[key] for key in ("slug", "name", "source", "citation", "description")
        }
        fields["position"] = position
        dimensions = []
        for dim_position, (slug, name, items) in enumerate(framework["dimensions"]):
            made = []
            for item_position, (item_slug, kind, text, pupil_text, extra) in enumerate(items):
                made.append(
                    {
                        "slug": item_slug,
                        "kind": kind,
                        "text": text,
                        "pupil_text": pupil_text,
                        "options": list(extra) if kind == R else [],
                        "names": extra if kind == N else "",
                        "citation": framework["citation"],
                        "position": item_position,
                    }
                )
            dimensions.append(({"slug": slug, "name": name, "position": dim_position}, made))
        yield fields, dimensions
