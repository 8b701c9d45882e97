"""The audit trail: who changed what and when, field by field, for every record."""
