// Builds the browser assets into src/goldenthread/web/static/build/ from the
// pinned npm packages: compiles our Sass over GOV.UK Frontend and copies the
// scripts and GOV.UK assets beside it. Run by `make assets` (npm run build).
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "src", "goldenthread", "web", "static", "build");
const modules = join(root, "node_modules");

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const css = sass.compile(join(root, "assets", "scss", "goldenthread.scss"), {
  loadPaths: [modules],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "goldenthread.css"), css.css);

const copies = [
  ["govuk-frontend/dist/govuk/assets", "govuk/assets"],
  ["govuk-frontend/dist/govuk/govuk-frontend.min.js", "govuk/govuk-frontend.min.js"],
  ["htmx.org/dist/htmx.min.js", "htmx.min.js"],
  ["plotly.js-dist-min/plotly.min.js", "plotly.min.js"],
];
for (const [from, to] of copies) {
  cpSync(join(modules, from), join(out, to), { recursive: true });
}
console.log(`assets built in ${out}`);
