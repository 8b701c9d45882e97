// Builds the browser assets into src/goldenthread/web/static/build/ from the
// pinned npm packages. Run by `make install` (npm run build).
//
//   goldenthread.css  our Sass over GOV.UK Frontend and MoJ Frontend, with
//                     accessible-autocomplete's styles
//   goldenthread.js   static/web/goldenthread.mjs bundled with what it imports
//                     (GOV.UK Frontend, MoJ Frontend, accessible-autocomplete)
//   orgchart.js       structure/static/structure/orgchart.mjs bundled with
//                     d3-hierarchy: the org chart pages' script only
//                     (docs/adr/0017-org-chart-layout.md)
//   plotly.min.js     plotly.js with only the trace types our charts draw
//                     (docs/adr/0009-browser-assets.md)
//   htmx.min.js       copied
//   plotly.css        copied: plotly.js's rules, linked instead of injected
//   assets/images/    GOV.UK's and MoJ's images, which the stylesheet and the
//                     page head refer to
//
// Django's collectstatic then gives each file a hashed name and a compressed
// copy (whitenoise's CompressedManifestStaticFilesStorage).
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "src", "goldenthread", "web", "static", "build");
const modules = join(root, "node_modules");

/** The plotly.js trace types the charts use (structure/static/structure/charts.js). */
const PLOTLY_TRACES = ["bar", "treemap", "icicle"];

/**
 * Print a Sass warning unless a dependency's own code caused it (MoJ Frontend
 * uses GOV.UK mixins that GOV.UK has since deprecated; we cannot fix those).
 * The stack's third frame is where the warned-about code was used.
 */
function warnUnlessFromDependency(message, { stack = "" }) {
  const frames = stack.trim().split("\n");
  const usedAt = frames[2] ?? frames[0] ?? "";
  if (!usedAt.includes("node_modules") && !usedAt.startsWith("@")) {
    console.warn(`Sass warning: ${message}\n${stack}`);
  }
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const css = sass.compile(join(root, "assets", "scss", "goldenthread.scss"), {
  // MoJ Frontend loads GOV.UK Frontend as "node_modules/govuk-frontend/...".
  loadPaths: [modules, root],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
  logger: { warn: warnUnlessFromDependency },
});
writeFileSync(join(out, "goldenthread.css"), css.css);

// Our own scripts: each an ES module bundled with what it imports.
const scripts = [
  [["web", "static", "web", "goldenthread.mjs"], "goldenthread.js"],
  [["structure", "static", "structure", "orgchart.mjs"], "orgchart.js"],
];
for (const [source, built] of scripts) {
  await esbuild.build({
    entryPoints: [join(root, "src", "goldenthread", ...source)],
    outfile: join(out, built),
    bundle: true,
    format: "esm",
    minify: true,
    logLevel: "warning",
  });
}

// A custom plotly.js bundle as plotly.js's own build makes one (its
// esbuild-config.js and CUSTOM_BUNDLE.md): lib/core, which always holds the
// scatter trace and the layout components (shapes, legends, hover), plus the
// trace modules we register. The full bundle holds every trace type, maps and
// WebGL included, and is about four times the size.
const registered = PLOTLY_TRACES.map((trace) => `require("plotly.js/lib/${trace}")`).join(", ");
await esbuild.build({
  stdin: {
    contents: `var Plotly = require("plotly.js/lib/core");\nPlotly.register([${registered}]);\nmodule.exports = Plotly;\n`,
    resolveDir: root,
    sourcefile: "plotly-goldenthread.js",
  },
  outfile: join(out, "plotly.min.js"),
  bundle: true,
  format: "iife",
  globalName: "Plotly",
  minify: true,
  define: { global: "window", "define.amd": "false", "process.env.NODE_DEBUG": "false" },
  // The only stylesheet plotly.js requires is maplibre's, for map traces we
  // leave out; plotly.js injects the rest of its CSS from JavaScript.
  loader: { ".css": "empty" },
  target: "es2016",
  logLevel: "warning",
});

const copies = [
  ["govuk-frontend/dist/govuk/assets/images", "assets/images"],
  ["@ministryofjustice/frontend/moj/assets/images", "assets/images"],
  ["htmx.org/dist/htmx.min.js", "htmx.min.js"],
  // plotly.js's own rules as a file: the chart pages link it with the id and
  // class that stop plotly.js injecting them in a <style> element, which the
  // Content-Security-Policy refuses (docs/adr/0014-content-security-policy.md).
  ["plotly.js/dist/plotly.css", "plotly.css"],
];
for (const [from, to] of copies) {
  cpSync(join(modules, from), join(out, to), { recursive: true });
}
console.log(`assets built in ${out}`);
