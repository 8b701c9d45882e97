import { initAll } from "../build/govuk/govuk-frontend.min.js";

initAll();

// Content that htmx swaps in (a progress panel, a results table) gets the
// same GOV.UK behaviour as the page it lands in.
document.body.addEventListener("htmx:afterSettle", (event) => {
  initAll({ scope: event.detail.elt });
});
