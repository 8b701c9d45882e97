"""Starter content: the default TOM components and four design-principle templates.

The component template follows the twelve elements of a target operating
model in the Havant and East Hampshire consultation draft. The principle
templates follow the approaches of four councils' papers; the names of the
principles and what they aim at come from those papers, the wording is ours.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ComponentTemplate:
    key: str
    name: str
    purpose: str


COMPONENTS: tuple[ComponentTemplate, ...] = (
    ComponentTemplate(
        "strategy_vision",
        "Strategy and vision",
        "Where the council is going and why: the vision members set, the objectives and "
        "priorities that follow from it, and the strategies that will get there.",
    ),
    ComponentTemplate(
        "design_principles",
        "Design principles",
        "The rules every other component is designed against.",
    ),
    ComponentTemplate(
        "business_architecture",
        "Business architecture blueprint",
        "The kind of organisation the council means to be, and how its functions, "
        "capabilities and processes fit together.",
    ),
    ComponentTemplate(
        "customers", "Customers", "Who the council serves and how they experience it."
    ),
    ComponentTemplate(
        "channels",
        "Channels",
        "The ways people reach the council: online, telephone, face to face, partners.",
    ),
    ComponentTemplate(
        "services",
        "Propositions and services",
        "What the council provides, and to what standard.",
    ),
    ComponentTemplate(
        "locations",
        "Location footprint",
        "The physical and virtual places the council works from.",
    ),
    ComponentTemplate(
        "critical_processes",
        "Critical processes",
        "The processes that decide the customer's experience, the council's decisions "
        "and its management of risk.",
    ),
    ComponentTemplate(
        "people_organisation",
        "People and organisation",
        "The structure, spans and layers, skills and culture of the workforce.",
    ),
    ComponentTemplate(
        "technology_data",
        "Technology and data",
        "The systems and the use of data that support everything else.",
    ),
    ComponentTemplate(
        "performance_metrics",
        "Performance metrics",
        "How performance is managed and measured, from the organisation down to each person.",
    ),
    ComponentTemplate(
        "governance",
        "Governance",
        "How decisions are taken and controlled so that design and delivery follow the strategy.",
    ),
)


@dataclass(frozen=True)
class ConsiderationTemplate:
    name: str
    description: str


@dataclass(frozen=True)
class PrincipleTemplate:
    name: str
    intent: str
    group: str = ""
    considerations: tuple[ConsiderationTemplate, ...] = ()


@dataclass(frozen=True)
class PrincipleSetTemplate:
    key: str
    name: str
    description: str
    principles: tuple[PrincipleTemplate, ...]


def _c(name: str, description: str) -> ConsiderationTemplate:
    return ConsiderationTemplate(name, description)


SIX_PRINCIPLES = PrincipleSetTemplate(
    "six-principles",
    "Six core principles with key considerations",
    "Six principles, each with three questions a manager answers when a restructure, a "
    "service redesign or a community engagement exercise is tested against the TOM. "
    "Modelled on Tower Hamlets' guidance notes.",
    (
        PrincipleTemplate(
            "Value-driven",
            "Better processes that free staff to do their best work, and every decision "
            "judged by the value it brings to residents for the money spent.",
            considerations=(
                _c(
                    "Resident impact",
                    "Does the change improve what residents get, "
                    "how easily they get it, or the outcomes they see?",
                ),
                _c(
                    "Strategic alignment",
                    "Does it follow from the council's strategic objectives and priorities?",
                ),
                _c(
                    "Staff empowerment",
                    "Does it simplify processes so that staff can work more effectively?",
                ),
            ),
        ),
        PrincipleTemplate(
            "Enabling",
            "Staff are developed and supported so that they can deliver excellent services.",
            considerations=(
                _c(
                    "Continuous learning and development",
                    "Are staff given the training they need to do the new role well?",
                ),
                _c(
                    "Career progression",
                    "Are there clear routes to grow within the council, so that talent stays?",
                ),
                _c(
                    "Engagement and wellbeing",
                    "Does the change support a positive working environment and staff wellbeing?",
                ),
            ),
        ),
        PrincipleTemplate(
            "Accountable",
            "Clear responsibilities and a single culture across the council, in the "
            "service of residents.",
            considerations=(
                _c(
                    "Clear roles and duties",
                    "Does everyone know what they are responsible for after the change?",
                ),
                _c(
                    "One council culture",
                    "Does it build a shared purpose across "
                    "directorates rather than separate silos?",
                ),
                _c(
                    "Accountability and transparency",
                    "Can the council explain and "
                    "justify the decision, and deal with issues as they arise?",
                ),
            ),
        ),
        PrincipleTemplate(
            "Community-led",
            "Trust is built by making services accessible and inclusive, with residents "
            "shaping them.",
            considerations=(
                _c(
                    "Active engagement",
                    "Were residents involved in consultation and in the decision itself?",
                ),
                _c(
                    "Empowerment",
                    "Does the community have the information and the "
                    "chance to influence decisions?",
                ),
                _c(
                    "Accessibility and inclusion",
                    "Can every resident use the service, "
                    "whatever their background or circumstances?",
                ),
            ),
        ),
        PrincipleTemplate(
            "Collaborative",
            "Staff and partners work together to get the best outcomes.",
            considerations=(
                _c(
                    "Working across departments",
                    "Do teams work together to avoid duplication and improve the service?",
                ),
                _c(
                    "External partnerships",
                    "Does it draw on community organisations, "
                    "small businesses and other public bodies?",
                ),
                _c(
                    "Staff engagement",
                    "Were staff involved through open and respectful communication?",
                ),
            ),
        ),
        PrincipleTemplate(
            "Innovative",
            "The courage to try new ways of delivering services.",
            considerations=(
                _c("Innovative culture", "Are new ideas welcomed and given a fair hearing?"),
                _c(
                    "Resources to experiment",
                    "Is there time, money and space to test and refine a new approach?",
                ),
                _c(
                    "Measured risk-taking",
                    "Is the council prepared to take considered risks to deliver better services?",
                ),
            ),
        ),
    ),
)

BOROUGH_COUNCIL_STRUCTURE = PrincipleSetTemplate(
    "three-groups",
    "Principles in three groups: borough, council, structure",
    "Principles grouped by how the council works for its place, how it works together "
    "as one organisation, and what that means for its structures. Modelled on the "
    "design principles in Havering's review of its operating model.",
    (
        PrincipleTemplate(
            "Strategies that meet local needs",
            "Clear strategies that answer the needs of residents, businesses and members.",
            "How we work for our borough",
        ),
        PrincipleTemplate(
            "Every customer counts",
            "Customer services that are good quality, consistent, fair and value for money.",
            "How we work for our borough",
        ),
        PrincipleTemplate(
            "Co-production",
            "The most is made of chances to design and deliver with residents, partners "
            "and communities.",
            "How we work for our borough",
        ),
        PrincipleTemplate(
            "Climate at the centre",
            "Sustainability and climate change are weighed in every decision.",
            "How we work for our borough",
        ),
        PrincipleTemplate(
            "A golden thread",
            "One line runs from the vision and strategy through the culture and values.",
            "How we work together as a council",
        ),
        PrincipleTemplate(
            "Digital first, lean processes",
            "Processes are practical, digital by default, efficient and easy to use.",
            "How we work together as a council",
        ),
        PrincipleTemplate(
            "Evidence-led decisions",
            "Decisions rest on data and technology, with continuous improvement.",
            "How we work together as a council",
        ),
        PrincipleTemplate(
            "Empowered, accountable employees",
            "Staff take ownership, including of statutory duties, in an inclusive and "
            "agile workplace.",
            "How we work together as a council",
        ),
        PrincipleTemplate(
            "A tested approach to design",
            "An agreed design method, checked against the intended outcomes and reviewed "
            "after implementation.",
            "What this means for our structural design",
        ),
        PrincipleTemplate(
            "Good practice on spans, layers and job design",
            "Structures follow good practice so that the organisation can sustain change.",
            "What this means for our structural design",
        ),
        PrincipleTemplate(
            "Linked to the vision",
            "Every activity and objective traces back to the vision and plan, down to "
            "each person's performance objectives.",
            "What this means for our structural design",
        ),
        PrincipleTemplate(
            "Grow our own",
            "Skills are developed internally, with pipelines for talent and succession, "
            "before looking outside.",
            "What this means for our structural design",
        ),
    ),
)

PARTNERSHIP = PrincipleSetTemplate(
    "partnership",
    "Principles for two councils working as one",
    "Short principles for councils that share a workforce and systems. Modelled on the "
    "design principles of Havant and East Hampshire's joint programme.",
    (
        PrincipleTemplate(
            "One workforce",
            "A single workforce serving both councils, to make the most of efficiencies.",
        ),
        PrincipleTemplate("Benefits for both", "Every change delivers benefits for each council."),
        PrincipleTemplate(
            "Shared digital solutions",
            "One set of digital systems by default; specialist systems only by exception.",
        ),
        PrincipleTemplate(
            "Aligned governance", "Constitutions and governance structures are brought into line."
        ),
        PrincipleTemplate(
            "Tackle the causes of demand",
            "Work on what creates demand, helping residents to help themselves first.",
        ),
        PrincipleTemplate(
            "Co-designed services",
            "Services are designed with their users and tested against their objectives.",
        ),
    ),
)

THEMES = PrincipleSetTemplate(
    "five-themes",
    "Five thematic areas",
    "A TOM organised in five themes, each describing how the vision and priorities will "
    "work in practice. Modelled on Somerset's living TOM: the paper names the People and "
    "Skills theme; the others follow the expertise that drafted it.",
    (
        PrincipleTemplate(
            "People and skills",
            "How staff are supported, and what is expected of them, in line with the "
            "council's values and behaviours.",
        ),
        PrincipleTemplate(
            "Governance",
            "Decisions are clear, proportionate and taken at the right level.",
        ),
        PrincipleTemplate(
            "Digital and technology",
            "Services and systems are designed digitally from the start.",
        ),
        PrincipleTemplate(
            "Data and insight",
            "Data and business intelligence inform every decision.",
        ),
        PrincipleTemplate(
            "Organisation design",
            "Structures and roles follow agreed design principles, with equality, "
            "diversity and inclusion considered from the start.",
        ),
    ),
)

PRINCIPLE_TEMPLATES: tuple[PrincipleSetTemplate, ...] = (
    SIX_PRINCIPLES,
    BOROUGH_COUNCIL_STRUCTURE,
    PARTNERSHIP,
    THEMES,
)


def principle_template(key: str) -> PrincipleSetTemplate | None:
    for template in PRINCIPLE_TEMPLATES:
        if template.key == key:
            return template
    return None
