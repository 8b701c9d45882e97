"""The module kit: one way for every app to build a register's pages.

Each piece lives in its own module and imports no domain app:

* :mod:`.columns` — a register's columns, declared once for import, export and docs.
* :mod:`.exports` — a register's rows as XLSX or CSV through the one writer:
  typed money and dates, an "About this file" sheet, formula-looking text
  written inert.
* :mod:`.pages` — form and confirm pages, organisation-scoped get-or-404,
  downloads with a safe file name, breadcrumbs and the success banner.

See docs/adding-a-module.md for a worked example.
"""
