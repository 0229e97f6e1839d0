"""The eleven criteria of the ``modern-slavery-au`` grid and their names in the AIMS.au data."""

from __future__ import annotations

GRID_ID = "modern-slavery-au"

ELEMENT_IDS: tuple[str, ...] = (
    "msa.approval",
    "msa.signature",
    "msa.c1_reporting_entity",
    "msa.c2_structure",
    "msa.c2_operations",
    "msa.c2_supply_chains",
    "msa.c3_risks",
    "msa.c4_mitigation",
    "msa.c4_remediation",
    "msa.c5_effectiveness",
    "msa.c6_consultation",
)
"""Grid element ids in the label order of the AIMS.au data."""

DATASET_COLUMNS: tuple[str, ...] = (
    "Approval",
    "Signature",
    "C1 (reporting entity)",
    "C2 (structure)",
    "C2 (operations)",
    "C2 (supply chains)",
    "C3 (risk description)",
    "C4 (risk mitigation)",
    "C4 (remediation)",
    "C5 (effectiveness)",
    "C6 (consultation)",
)
"""Column names of ``au_dev.csv``, in the same order as :data:`ELEMENT_IDS`."""

SHORT_NAMES: dict[str, str] = dict(zip(ELEMENT_IDS, DATASET_COLUMNS, strict=True))

ATTRIBUTION = (
    "Trained on the AIMS.au dataset (Mila and Queensland University of Technology), "
    "licensed CC BY 4.0: 'AIMS.au: A Dataset for the Analysis of Modern Slavery "
    "Countermeasures in Corporate Statements', ICLR 2025."
)
