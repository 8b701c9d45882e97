// The org chart: draws the nested list of posts the server rendered as boxes
// and lines. assets/build.mjs bundles it with d3-hierarchy into
// build/orgchart.js, which only the chart pages load.
//
// The list is the page: it works without this script, and it is what screen
// readers and keyboards use. This script
//   - puts a button in each box that has reports: it shows or hides them in
//     the list, fetching the levels below the box from the server the first
//     time (`data-reports-url` answers that box's <li> with its reports open);
//   - draws every open box of the list as an SVG chart above it, laid out by
//     d3-hierarchy's tidy tree (reports with nothing open below them stacked
//     in columns under their manager), and draws it again after each change.
//     A click on a box in the chart presses that box's button in the list.
// The chart is a picture of the list (aria-hidden, nothing in it to focus);
// every text in it is set with textContent from the list's data attributes.
import { hierarchy, tree } from "d3-hierarchy";

const SVG = "http://www.w3.org/2000/svg";
const BOX_WIDTH = 230;
const BOX_HEIGHT = 130;
const GAP_X = 20;
const GAP_Y = 44;
const PADDING = 12;
const LINE = 17;
const MORE_HEIGHT = 40;
/** Boxes stacked in one column under their manager, and the space between them. */
const STACK_ROWS = 6;
const STACK_GAP = 12;
/** Characters of a line a box shows before "…" (13px Arial in 214px). */
const LINE_CHARACTERS = 32;
const TITLE_CHARACTERS = 28;
const BOX_SELECTOR = "li[data-gt-orgchart-box]";

function plural(count, word) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function clip(text, characters) {
  return text.length > characters ? `${text.slice(0, characters - 1)}…` : text;
}

function svg(name, attributes = {}, parent = null) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) {
    element.setAttribute(key, String(value));
  }
  if (parent) {
    parent.appendChild(element);
  }
  return element;
}

function reportsList(item) {
  return item.querySelector(":scope > ul.gt-orgchart__list");
}

function toggleButton(item) {
  return item.querySelector(":scope > .gt-orgchart__card .gt-orgchart__toggle");
}

/** The open part of the list under `list` as a tree for d3-hierarchy. */
function readList(list) {
  const children = [];
  for (const item of list.children) {
    if (item.matches(BOX_SELECTOR)) {
      children.push(readItem(item));
    }
  }
  const more = list.parentElement?.querySelector(":scope > .gt-orgchart__more");
  if (more) {
    children.push({ more: more.dataset.gtMore || "", item: list.parentElement, children: [] });
  }
  return children;
}

function readItem(item) {
  const list = reportsList(item);
  const open = list && !list.hidden;
  return { item, data: item.dataset, children: open ? readList(list) : [] };
}

function drawBox(group, entry, onPress) {
  const { data, item } = entry;
  const span = Number(data.span || 0);
  const open = Boolean(reportsList(item)) && !reportsList(item).hidden;
  group.setAttribute("class", `gt-orgchart__node${data.vacant !== undefined ? " gt-orgchart__node--vacant" : ""}`);
  svg("rect", { width: BOX_WIDTH, height: BOX_HEIGHT, rx: 3, class: "gt-orgchart__box" }, group);
  svg("rect", { width: 5, height: BOX_HEIGHT, class: "gt-orgchart__band" }, group);
  const tip = svg("title", {}, group);
  tip.textContent = `${data.title} (${data.postId})`;
  const lines = [
    [clip(data.title, TITLE_CHARACTERS), "gt-orgchart__text gt-orgchart__text--title"],
    [clip(`${data.postId} · Grade ${data.grade || "not given"}`, LINE_CHARACTERS), "gt-orgchart__text"],
    [clip(`${data.fte} FTE · ${data.cost}`, LINE_CHARACTERS), "gt-orgchart__text"],
    [`Layer ${data.layer} · span ${span}`, "gt-orgchart__text"],
  ];
  if (data.junior !== undefined) {
    // Two lines, so neither the FTE nor the cost is cut off in a narrow box.
    lines.push([clip(`Junior staff: ${data.juniorFte} FTE`, LINE_CHARACTERS), "gt-orgchart__text gt-orgchart__text--junior"]);
    lines.push([clip(`costing ${data.juniorCost}`, LINE_CHARACTERS), "gt-orgchart__text gt-orgchart__text--junior"]);
  }
  if (data.vacant !== undefined) {
    lines.push(["Vacant", "gt-orgchart__text gt-orgchart__text--vacant"]);
  }
  lines.forEach(([text, className], index) => {
    const line = svg("text", { x: 14, y: 20 + index * LINE, class: className }, group);
    line.textContent = text;
  });
  if (span > 0) {
    const knob = svg("g", { class: "gt-orgchart__knob", transform: `translate(${BOX_WIDTH / 2},${BOX_HEIGHT})` }, group);
    svg("rect", { x: -22, y: -9, width: 44, height: 18, rx: 9 }, knob);
    const label = svg("text", { y: 4, "text-anchor": "middle" }, knob);
    label.textContent = open ? "−" : `+${span}`;
    group.classList.add("gt-orgchart__node--manager");
    group.addEventListener("click", () => onPress(item));
  }
  group.dataset.for = item.id;
}

function drawMore(group, entry) {
  group.setAttribute("class", "gt-orgchart__more-node");
  svg("rect", { width: BOX_WIDTH, height: MORE_HEIGHT, rx: 3, class: "gt-orgchart__box gt-orgchart__box--more" }, group);
  const text = svg("text", { x: 14, y: 25, class: "gt-orgchart__text" }, group);
  text.textContent = `And ${entry.more} more: see the list`;
}

/**
 * Reports that have no open reports of their own are stacked in columns of
 * at most STACK_ROWS under their manager, as org charts draw them, rather than
 * side by side: the chart stays narrow enough to read on a screen and on A4.
 */
function stackLeaves(entry) {
  for (const child of entry.children) {
    stackLeaves(child);
  }
  const members = entry.children;
  if (entry.virtual || members.length < 2 || members.some((child) => child.children.length > 0)) {
    return;
  }
  const columns = Math.ceil(members.length / STACK_ROWS);
  entry.children = [{ stack: members, columns, rows: Math.ceil(members.length / columns), children: [] }];
}

function entryHeight(entry) {
  if (entry.stack) {
    return entry.stack.reduce((tallest, _, index) => {
      const row = index % entry.rows;
      return Math.max(tallest, (row + 1) * (BOX_HEIGHT + STACK_GAP) - STACK_GAP);
    }, 0);
  }
  return entry.more !== undefined ? MORE_HEIGHT : BOX_HEIGHT;
}

function drawEntry(boxes, entry, x, y, onPress) {
  const group = svg("g", { transform: `translate(${x},${y})` }, boxes);
  if (entry.more !== undefined) {
    drawMore(group, entry);
  } else {
    drawBox(group, entry, onPress);
  }
}

/** Lay out and draw the open part of `list` into `canvas`. */
function draw(canvas, list, onPress) {
  const tops = readList(list);
  const top = { virtual: true, children: tops };
  stackLeaves(top);
  const root = hierarchy(top, (d) => d.children);
  // d3-hierarchy places each entry across the page; a stack is as wide as its columns.
  const columnsOf = (node) => node.data.columns || 1;
  tree()
    .nodeSize([BOX_WIDTH + GAP_X, BOX_HEIGHT + GAP_Y])
    .separation((a, b) => ((columnsOf(a) + columnsOf(b)) / 2) * (a.parent === b.parent ? 1 : 1.15))(root);
  const nodes = root.descendants().filter((node) => !node.data.virtual);
  // Each level starts below the tallest entry of the level above.
  const levelTop = [0, 0];
  for (const node of nodes) {
    const bottom = levelTop[node.depth] + entryHeight(node.data) + GAP_Y;
    levelTop[node.depth + 1] = Math.max(levelTop[node.depth + 1] || 0, bottom);
  }
  const halfWidth = (node) => (columnsOf(node) * (BOX_WIDTH + GAP_X) - GAP_X) / 2;
  let left = Infinity;
  let right = -Infinity;
  let bottom = 0;
  for (const node of nodes) {
    left = Math.min(left, node.x - halfWidth(node));
    right = Math.max(right, node.x + halfWidth(node));
    bottom = Math.max(bottom, levelTop[node.depth] + entryHeight(node.data));
  }
  const width = right - left + 2 * PADDING;
  const height = bottom + 2 * PADDING;
  const picture = svg("svg", {
    class: "gt-orgchart__svg",
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    "aria-hidden": "true",
    focusable: "false",
  });
  // The top left corner of a node's entry.
  const corner = (node) => [node.x - halfWidth(node) - left + PADDING, levelTop[node.depth] + PADDING];
  const links = svg("g", { class: "gt-orgchart__links" }, picture);
  const boxes = svg("g", {}, picture);
  const link = (d) => svg("path", { d, class: "gt-orgchart__link" }, links);
  for (const node of nodes) {
    const [x, y] = corner(node);
    const parent = node.parent && !node.parent.data.virtual ? node.parent : null;
    const [px, py] = parent ? corner(parent) : [0, 0];
    const fromX = px + BOX_WIDTH / 2;
    const fromY = py + BOX_HEIGHT;
    const middle = y - GAP_Y / 2;
    if (!node.data.stack) {
      if (parent) {
        link(`M${fromX},${fromY} V${middle} H${x + BOX_WIDTH / 2} V${y}`);
      }
      drawEntry(boxes, node.data, x, y, onPress);
      continue;
    }
    // A stack: a spine down the left of each column, a short line to each box.
    const { stack, rows } = node.data;
    stack.forEach((entry, index) => {
      const column = Math.floor(index / rows);
      const row = index % rows;
      const boxX = x + column * (BOX_WIDTH + GAP_X);
      const boxY = y + row * (BOX_HEIGHT + STACK_GAP);
      const spine = boxX - GAP_X / 2;
      const centre = boxY + (entry.more !== undefined ? MORE_HEIGHT : BOX_HEIGHT) / 2;
      if (row === 0 && parent) {
        const last = Math.min(stack.length - 1, index + rows - 1);
        const lastY = y + (last % rows) * (BOX_HEIGHT + STACK_GAP);
        const lastHeight = stack[last].more !== undefined ? MORE_HEIGHT : BOX_HEIGHT;
        link(`M${fromX},${fromY} V${middle} H${spine} V${lastY + lastHeight / 2}`);
      }
      link(`M${spine},${centre} H${boxX}`);
      drawEntry(boxes, entry, boxX, boxY, onPress);
    });
  }
  canvas.replaceChildren(picture);
  return picture;
}

function buttonText(button, open, span, title) {
  button.replaceChildren(open ? "Hide the direct reports" : `Show the ${plural(span, "direct report")}`);
  const hidden = document.createElement("span");
  hidden.className = "govuk-visually-hidden";
  hidden.textContent = ` of ${title}`;
  button.appendChild(hidden);
  button.setAttribute("aria-expanded", open ? "true" : "false");
}

function start(chart) {
  const canvas = chart.querySelector("[data-gt-orgchart-canvas]");
  const list = chart.querySelector(":scope > ul.gt-orgchart__list");
  if (!canvas || !list) {
    return;
  }

  function redraw() {
    draw(canvas, list, press);
    chart.classList.add("gt-orgchart--drawn");
  }

  function centre(item) {
    const group = canvas.querySelector(`g[data-for="${CSS.escape(item.id)}"]`);
    if (!group) {
      return;
    }
    const box = group.getBoundingClientRect();
    const view = canvas.getBoundingClientRect();
    canvas.scrollLeft += box.left + box.width / 2 - (view.left + view.width / 2);
  }

  async function press(item, focus = false) {
    const list = reportsList(item);
    if (list) {
      list.hidden = !list.hidden;
      enhance(item);
      redraw();
      centre(item);
      return;
    }
    const button = toggleButton(item);
    if (button) {
      button.disabled = true;
    }
    try {
      const response = await fetch(item.dataset.reportsUrl, {
        headers: { Accept: "text/html" },
        credentials: "same-origin",
      });
      if (!response.ok) {
        throw new Error(`${response.status}`);
      }
      const parsed = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = parsed.body.querySelector(BOX_SELECTOR);
      if (!fresh || fresh.id !== item.id) {
        throw new Error("not this post");
      }
      const placed = document.importNode(fresh, true);
      item.replaceWith(placed);
      enhance(placed);
      redraw();
      centre(placed);
      if (focus) {
        toggleButton(placed)?.focus();
      }
    } catch {
      // The list's own link still works: open the chart at this post.
      const link = item.dataset.chartUrl;
      if (link) {
        window.location.assign(link);
      }
    }
  }

  function enhance(scope) {
    const items = scope.matches?.(BOX_SELECTOR) ? [scope, ...scope.querySelectorAll(BOX_SELECTOR)] : [...scope.querySelectorAll(BOX_SELECTOR)];
    for (const item of items) {
      const span = Number(item.dataset.span || 0);
      if (span === 0) {
        continue;
      }
      const list = reportsList(item);
      let button = toggleButton(item);
      if (!button) {
        button = document.createElement("button");
        button.type = "button";
        button.className = "govuk-link gt-link-button gt-orgchart__toggle";
        const open = item.querySelector(":scope > .gt-orgchart__card .gt-orgchart__open");
        let holder = open?.parentElement;
        if (open) {
          item.dataset.chartUrl = open.href;
          open.remove();
        } else {
          holder = document.createElement("p");
          holder.className = "govuk-body-s govuk-!-margin-bottom-0";
          item.querySelector(":scope > .gt-orgchart__card").appendChild(holder);
        }
        holder.appendChild(button);
        if (list) {
          button.setAttribute("aria-controls", list.id);
        }
        button.addEventListener("click", () => press(item, true));
      }
      buttonText(button, Boolean(list) && !list.hidden, span, item.dataset.title);
    }
  }

  // The box of the post in focus in the list is marked in the chart.
  list.addEventListener("focusin", (event) => {
    const item = event.target.closest(BOX_SELECTOR);
    for (const marked of canvas.querySelectorAll(".gt-orgchart__node--focus")) {
      marked.classList.remove("gt-orgchart__node--focus");
    }
    if (item) {
      canvas.querySelector(`g[data-for="${CSS.escape(item.id)}"]`)?.classList.add("gt-orgchart__node--focus");
    }
  });

  enhance(list);
  canvas.hidden = false;
  redraw();
  // The chart opens on its first top post, which may be far from the left edge.
  const first = list.querySelector(`:scope > ${BOX_SELECTOR}`);
  if (first) {
    centre(first);
  }
}

for (const chart of document.querySelectorAll("[data-gt-orgchart]")) {
  start(chart);
}
