// goldenthread's page behaviour. The source: assets/build.mjs bundles it with
// what it imports into build/goldenthread.js, which base.html loads.
//
// Every page works without JavaScript; this only enhances markup the server
// renders. What templates use:
//
// GOV.UK Frontend: every `data-module="govuk-..."` component (initAll).
//
// MoJ Frontend, by `data-module`:
//   moj-button-menu    a button that opens a menu of actions
//   moj-date-picker    a calendar beside a date input
//   moj-multi-select   a "select all" checkbox in a table's header
//   moj-filter         a filter panel (moj-filter-layout); the "Show filter"
//                      button goes into the page's `.moj-action-bar__filter`
//                      and hides the panel on narrow screens
// A register's sortable column headers use MoJ's sortable-table markup
// (`aria-sort`, a link per header) but not its script: registers sort on the
// server, so `moj-sortable-table` is deliberately not initialised.
//
// Pickers (accessible-autocomplete):
//   <select data-gt-autocomplete>
//       A list the page already holds (a few hundred options at most) becomes
//       a type-to-search box; the select stays in the form and is submitted.
//   <input data-gt-autocomplete-url="URL" data-gt-autocomplete-target="NAME">
//       For lists too long to send (posts, units over tens of thousands of
//       rows): typing fetches `URL?q=what-was-typed`, which answers JSON
//       `[{"value": "...", "label": "...", "hint": "..."}]` ("hint" is
//       optional, shown under the label). The chosen option's value goes into
//       the hidden input named NAME in the same form (made if missing); the
//       text input shows its label. Without JavaScript the text input itself
//       is submitted, so give it the name NAME and let the form accept a typed
//       value; the enhancer then moves that name to the hidden input.
//   <input data-gt-autocomplete-url="URL" data-gt-autocomplete-value="ID">
//       The kit's picker field: the hidden input with that id (already in the
//       page) takes the chosen option's value, and the text box keeps its own
//       name, so an ID typed without choosing from the list is submitted too
//       and the server finds it (or says plainly that nothing has it).
//   data-gt-autocomplete-label="TEXT"   on the input: the label of the value
//       the form starts with (shown instead of the raw value).
//   data-gt-autocomplete-min-length="N" on the input: characters typed
//       before the first search (default 2).
//
// Tables: a `.gt-table-scroll` box (a table too wide for the screen scrolls
// sideways inside it) that does scroll becomes a named, focusable region, so
// it can be scrolled from the keyboard; it is named by its table's caption.
//
// Content that htmx swaps in gets the same treatment as the page it lands in.
import accessibleAutocomplete from "accessible-autocomplete";
import { createAll, initAll } from "govuk-frontend";
import {
  ButtonMenu,
  DatePicker,
  FilterToggleButton,
  MultiSelect,
} from "@ministryofjustice/frontend";

const MOJ_COMPONENTS = [ButtonMenu, DatePicker, FilterToggleButton, MultiSelect];
// A register's filter panel starts open beside the rows where there is room
// for both, and folded behind its "Show filter" button on a phone or tablet.
const BIG_SCREEN = "(min-width: 48.0625em)";
const MOJ_CONFIG = new Map([
  [FilterToggleButton, { bigModeMediaQuery: BIG_SCREEN, startHidden: !window.matchMedia(BIG_SCREEN).matches }],
]);
const DEFAULT_MIN_LENGTH = 2;

function escapeHtml(text) {
  const element = document.createElement("span");
  element.textContent = text == null ? "" : String(text);
  return element.innerHTML;
}

function enhanceSelect(select) {
  select.setAttribute("data-gt-autocomplete-enhanced", "");
  const id = select.id;
  const blank = [...select.options].find((option) => option.value === "");
  accessibleAutocomplete.enhanceSelectElement({
    selectElement: select,
    defaultValue: "",
    // Option texts are data: shown as text, never as HTML (the library's
    // default inserts them as HTML), and no option is "" rather than undefined.
    templates: {
      inputValue: (option) => option ?? "",
      suggestion: (option) => escapeHtml(option),
    },
    onConfirm: (chosen) => {
      const match = [...select.options].find((option) => option.textContent === chosen);
      if (match) {
        match.selected = true;
      } else if (blank && document.getElementById(id)?.value === "") {
        // Clearing the box clears the choice, where the list allows none.
        blank.selected = true;
      }
    },
  });
}

function hiddenInput(form, input, name) {
  let hidden = form ? form.querySelector(`input[type="hidden"][name="${CSS.escape(name)}"]`) : null;
  if (!hidden) {
    hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = name;
    input.after(hidden);
  }
  if (input.name === name) {
    hidden.value = input.value;
  }
  return hidden;
}

function enhanceSearch(input) {
  const form = input.form;
  // Two forms of the search picker. With data-gt-autocomplete-value="ID" the
  // page already holds a hidden input (that id) for the chosen value, and the
  // text box keeps the field's own name, so a value typed without choosing
  // from the list is still submitted and checked on the server. Otherwise the
  // hidden input named data-gt-autocomplete-target (or the input's name) is
  // the field and the text box is not submitted.
  const valueId = input.dataset.gtAutocompleteValue;
  const kept = valueId ? document.getElementById(valueId) : null;
  const name = input.dataset.gtAutocompleteTarget || input.name;
  const hidden = kept || hiddenInput(form, input, name);
  const typedName = kept ? input.name : "";
  const url = new URL(input.dataset.gtAutocompleteUrl, window.location.href);
  const minLength = Number(input.dataset.gtAutocompleteMinLength || DEFAULT_MIN_LENGTH);
  const startText = input.dataset.gtAutocompleteLabel || input.value;
  const errorClass = input.classList.contains("govuk-input--error") ? "govuk-input--error" : "";
  let latest = 0;

  const container = document.createElement("div");
  input.before(container);
  input.remove();

  accessibleAutocomplete({
    element: container,
    id: input.id,
    name: typedName,
    defaultValue: startText,
    minLength,
    inputClasses: errorClass,
    source: (query, populate) => {
      const request = ++latest;
      url.searchParams.set("q", query);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then((response) => (response.ok ? response.json() : []))
        .catch(() => [])
        .then((results) => {
          if (request === latest) {
            populate(results);
          }
        });
    },
    templates: {
      // The library starts with the starting text as its only option, a string.
      inputValue: (option) => (typeof option === "string" ? option : (option?.label ?? "")),
      suggestion: (option) => {
        if (typeof option === "string") {
          return escapeHtml(option);
        }
        const hint = option.hint
          ? `<br><span class="gt-autocomplete__hint">${escapeHtml(option.hint)}</span>`
          : "";
        return `${escapeHtml(option.label)}${hint}`;
      },
    },
    onConfirm: (option) => {
      if (option) {
        hidden.value = option.value;
      }
    },
  });

  // Typing over a choice unsets it, so the form never sends a value the box
  // no longer shows; the server then asks for a choice.
  document.getElementById(input.id)?.addEventListener("input", () => {
    hidden.value = "";
  });
}

function enhancePickers(scope) {
  for (const select of scope.querySelectorAll("select[data-gt-autocomplete]:not([data-gt-autocomplete-enhanced])")) {
    enhanceSelect(select);
  }
  for (const input of scope.querySelectorAll("input[data-gt-autocomplete-url]")) {
    enhanceSearch(input);
  }
}

/** Let a table's scrolling box take the keyboard's focus while, and only while, it scrolls. */
function markScrolling(box) {
  if (box.dataset.gtScrollOwn === undefined) {
    box.dataset.gtScrollOwn = box.hasAttribute("tabindex") ? "yes" : "no";
  }
  if (box.dataset.gtScrollOwn === "yes") return;
  if (box.scrollWidth > box.clientWidth) {
    box.setAttribute("tabindex", "0");
    if (!box.hasAttribute("role")) box.setAttribute("role", "region");
    const caption = box.querySelector("caption");
    if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
      box.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table");
    }
  } else if (box.getAttribute("tabindex") === "0") {
    box.removeAttribute("tabindex");
  }
}

// The box changes size with the screen, and its table as its text settles (web fonts).
const scrollWatcher = new ResizeObserver((entries) => {
  for (const entry of entries) markScrolling(entry.target.closest(".gt-table-scroll"));
});

function enhanceTables(scope) {
  for (const box of scope.querySelectorAll(".gt-table-scroll")) {
    markScrolling(box);
    scrollWatcher.observe(box);
    if (box.firstElementChild) scrollWatcher.observe(box.firstElementChild);
  }
}

function enhance(scope) {
  initAll({ scope });
  for (const Component of MOJ_COMPONENTS) {
    createAll(Component, MOJ_CONFIG.get(Component), { scope });
  }
  enhancePickers(scope);
  enhanceTables(scope);
}

enhance(document);

document.body.addEventListener("htmx:afterSettle", (event) => {
  enhance(event.detail.elt);
});
