"""Every write to snapshots, posts, design rules, mappings, uploads and scenarios.

Each write is one transaction; a refused write raises ServiceError. Every
service names the user it acts for with ``by``, and the history records them.
The services live in one module per entity; callers use this package:
``from goldenthread.structure import services; services.scenario_create(...)``.
"""

from __future__ import annotations

from .design_rules import NARROW_ABOVE_TARGET, SPAN_BAND_ORDER, design_rules_update
from .figures import FIGURES_BATCH, post_figures_store
from .posts import (
    FIGURE_COLUMNS,
    POST_BATCH,
    POST_COLUMNS,
    ProgressFn,
    post_insert,
    units_for_paths,
)
from .scenarios import (
    ALREADY_UNDONE,
    APPROVE_DRAFTS_ONLY,
    MANAGER_IN_SELECTION,
    NOT_A_DRAFT_SCENARIO,
    NOT_THE_SAME,
    NOTHING_TO_CHANGE,
    POST_ID_NEEDED,
    POST_ID_TAKEN,
    PROMOTE_APPROVED_ONLY,
    PROMOTED,
    REASON_NEEDED,
    UNDO_LATER_FIRST,
    UNDO_REFUSED,
    scenario_approve,
    scenario_bulk_change,
    scenario_change_undo,
    scenario_create,
    scenario_post_add,
    scenario_post_change,
    scenario_promote,
)
from .snapshots import (
    KIND_FIXED,
    NAME_NEEDED,
    SNAPSHOT_DELETE_NEEDS_ADMIN,
    SNAPSHOT_LOCKED,
    snapshot_create_from_structure,
    snapshot_delete,
    snapshot_delete_role,
    snapshot_set_effective_date,
    snapshot_update,
)
from .uploads import (
    MAPPING_NEEDS_IDS,
    MAPPING_NOT_A_COLUMN,
    column_mapping_save,
    upload_create,
    upload_data_discard,
    upload_inspected,
    upload_lock_kept,
    upload_not_kept_message,
    upload_set_mapping,
)

__all__ = [
    "ALREADY_UNDONE",
    "APPROVE_DRAFTS_ONLY",
    "FIGURES_BATCH",
    "FIGURE_COLUMNS",
    "KIND_FIXED",
    "MANAGER_IN_SELECTION",
    "MAPPING_NEEDS_IDS",
    "MAPPING_NOT_A_COLUMN",
    "NAME_NEEDED",
    "NARROW_ABOVE_TARGET",
    "NOTHING_TO_CHANGE",
    "NOT_A_DRAFT_SCENARIO",
    "NOT_THE_SAME",
    "POST_BATCH",
    "POST_COLUMNS",
    "POST_ID_NEEDED",
    "POST_ID_TAKEN",
    "PROMOTED",
    "PROMOTE_APPROVED_ONLY",
    "REASON_NEEDED",
    "SNAPSHOT_DELETE_NEEDS_ADMIN",
    "SNAPSHOT_LOCKED",
    "SPAN_BAND_ORDER",
    "UNDO_LATER_FIRST",
    "UNDO_REFUSED",
    "ProgressFn",
    "column_mapping_save",
    "design_rules_update",
    "post_figures_store",
    "post_insert",
    "scenario_approve",
    "scenario_bulk_change",
    "scenario_change_undo",
    "scenario_create",
    "scenario_post_add",
    "scenario_post_change",
    "scenario_promote",
    "snapshot_create_from_structure",
    "snapshot_delete",
    "snapshot_delete_role",
    "snapshot_set_effective_date",
    "snapshot_update",
    "units_for_paths",
    "upload_create",
    "upload_data_discard",
    "upload_inspected",
    "upload_lock_kept",
    "upload_not_kept_message",
    "upload_set_mapping",
]
