"""The programme's records, one module per part (docs/guide/programme.md)."""

from .benefits import Benefit, BenefitProfile, BenefitStatus, BenefitType, Confidence
from .programme import (
    Action,
    ActionSaving,
    ActionStatus,
    Milestone,
    MilestoneStatus,
    Phase,
    PhaseStatus,
    Programme,
    ProgrammeStatus,
    Rag,
    Workstream,
)
from .rag import RagKind, RagRecord, RagRuleSet, RagSource, RagSubject
from .risks import Mitigation, MitigationStatus, Risk, RiskCategory, RiskReview, RiskStatus
from .settings import ProgrammeSettings
from .updates import ActionUpdate, QuarterlyUpdate, UpdateStatus

__all__ = [
    "Action",
    "ActionSaving",
    "ActionStatus",
    "ActionUpdate",
    "Benefit",
    "BenefitProfile",
    "BenefitStatus",
    "BenefitType",
    "Confidence",
    "Milestone",
    "MilestoneStatus",
    "Mitigation",
    "MitigationStatus",
    "Phase",
    "PhaseStatus",
    "Programme",
    "ProgrammeSettings",
    "ProgrammeStatus",
    "QuarterlyUpdate",
    "Rag",
    "RagKind",
    "RagRecord",
    "RagRuleSet",
    "RagSource",
    "RagSubject",
    "Risk",
    "RiskCategory",
    "RiskReview",
    "RiskStatus",
    "UpdateStatus",
    "Workstream",
]
