"""How dates are shown: GOV.UK's style, "14 March 2024", on every page."""
