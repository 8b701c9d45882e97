"""The module kit: one way for every app to build a register's pages.

Each piece lives in its own module and imports no domain app:

* :mod:`.columns` — a register's columns, declared once for import, export and docs.
* :mod:`.exports` — a register's rows as XLSX or CSV through the one writer:
  typed money and dates, an "About this file" sheet, formula-looking text
  written inert.
* :mod:`.pages` — form and confirm pages, organisation-scoped get-or-404,
  downloads with a safe file name, breadcrumbs and the success banner.
* :mod:`.registry` — the registries apps fill in ``AppConfig.ready()``, so a
  lower layer shows what higher apps hold without importing them:
  :mod:`.dashboard` (cards), :mod:`.orphans` (untraced records),
  :mod:`.pickers` (search sources), :mod:`.links` (linkable records and what
  they link to), :mod:`.panels` (parts of a page or workbook).
* :mod:`.pickers` — the picker field and its JSON search endpoint.
* :mod:`.links` — links from any record to the TOM components it delivers.
* :mod:`.importing` — one import flow for every register: upload, check in
  the background, preview, confirm or discard, save all or nothing.

See docs/adding-a-module.md for a worked example.
"""
