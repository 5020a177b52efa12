// babble workbench page. Every value from the server (explanations, sentences, names) is
// untrusted text: it is inserted with textContent / text nodes only, never as HTML.
"use strict";

const LABEL_KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0"];
const PREVIEW_DELAY_MS = 350;

const state = {
  task: null,
  candidate: null, // CandidateInfo shown now
  label: null, // label name picked
  editing: null, // name of the explanation being edited, or null
  previewTimer: null,
  previewAbort: null,
  previewSeq: 0,
};

const $ = (id) => document.getElementById(id);

// ------------------------------------------------------------------ DOM helpers (text nodes only)

function el(tag, className, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function fill(node, ...children) {
  node.replaceChildren();
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// The text with marked stretches: marks = [{start, end, cls, title}], may overlap.
function marked(text, marks) {
  const cuts = new Set([0, text.length]);
  for (const m of marks) {
    cuts.add(Math.max(0, Math.min(text.length, m.start)));
    cuts.add(Math.max(0, Math.min(text.length, m.end)));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out = document.createDocumentFragment();
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1]];
    const covering = marks.filter((m) => m.start <= a && b <= m.end);
    const piece = text.slice(a, b);
    if (!covering.length) {
      out.append(document.createTextNode(piece));
      continue;
    }
    const span = el("span", covering.map((m) => m.cls).join(" "), piece);
    span.title = covering.map((m) => m.title).filter(Boolean).join("; ");
    out.append(span);
  }
  return out;
}

function entityMarks(entities) {
  return entities.map((e) => ({
    start: e.start,
    end: e.end,
    cls: "ent ent-" + e.role,
    title: `${e.role} (${e.type})` + (e.aliases.length ? ": call it " + e.aliases.join(", ") : ""),
  }));
}

const pct = (x) => (x === null || x === undefined ? "–" : (100 * x).toFixed(1) + "%");

// ------------------------------------------------------------------ API

async function api(method, path, body, signal) {
  const options = { method, headers: { Accept: "application/json" }, signal };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    let detail = data.detail;
    if (Array.isArray(detail)) detail = detail.map((d) => d.msg).join("; ");
    throw new Error(detail || `${response.status} ${response.statusText}`);
  }
  return data;
}

function status(text, kind) {
  const node = $("status");
  node.textContent = text;
  node.className = "status" + (kind ? " " + kind : "");
}

// ------------------------------------------------------------------ rendering

function renderTask(task) {
  fill($("task"), `${task.dataset} · ${task.task} · pool ${task.pool_split} (${task.pool})` +
    (task.dev_split ? ` · dev ${task.dev_split} (${task.dev_candidates} with gold)` : " · no dev gold"));
  fill($("file"), "saved to " + task.explanations_file);
  $("text").maxLength = task.max_chars;
  const labels = $("labels");
  labels.replaceChildren();
  task.labels.forEach((name, i) => {
    const button = el("button", "label", i < LABEL_KEYS.length ? el("kbd", null, LABEL_KEYS[i]) : null, " " + name);
    button.type = "button";
    button.dataset.label = name;
    button.setAttribute("role", "radio");
    button.setAttribute("aria-checked", "false");
    button.addEventListener("click", () => pickLabel(name));
    labels.append(button);
  });
}

function renderCandidate(candidate, reason) {
  state.candidate = candidate;
  if (!candidate) {
    fill($("candidate-id"));
    fill($("sentence"), "No candidate left for this strategy.");
    fill($("reason"), reason || "");
    fill($("entities"));
    fill($("candidate-votes"));
    return;
  }
  fill($("candidate-id"), `${candidate.id} (${candidate.split})`);
  fill($("reason"), reason || "");
  fill($("sentence"), marked(candidate.text, entityMarks(candidate.entities)));
  fill($("entities"), ...candidate.entities.map((e) =>
    el("li", null, el("span", "ent ent-" + e.role, e.text), ` ${e.role} (${e.type})`,
      e.aliases.length ? el("span", "muted", " — call it " + e.aliases.join(", ")) : null)));
  const votes = candidate.votes.map((v) => `${v.explanation} → ${v.label}`);
  const explained = candidate.explained_by.length ? ` · explained by ${candidate.explained_by.join(", ")}` : "";
  fill($("candidate-votes"), (votes.length ? "Current LFs: " + votes.join(", ") : "No LF votes on it yet") + explained);
}

function renderFeedback(feedback) {
  $("feedback-panel").hidden = false;
  const kind = $("feedback-kind");
  kind.textContent = feedback.saved ? "saved" : "preview";
  kind.className = "badge " + (feedback.saved ? "ok" : "muted");
  const parse = feedback.parse;
  const best = parse.readings.length ? parse.readings[0] : null;
  const marks = best
    ? best.skipped.map((m) => ({ start: m.start, end: m.end, cls: "skipped", title: "skipped: not used by the best reading" }))
    : parse.not_understood.map((m) => ({ start: m.start, end: m.end, cls: "unknown", title: "not understood" }));
  fill($("echo"), marked(feedback.explanation.text, marks));
  const error = $("parse-error");
  error.hidden = parse.ok;
  fill(error, parse.ok ? "" : `Not understood (${parse.error_code}): ${parse.error}. ` +
    (feedback.saved ? "Saved anyway, marked as not parsed: rephrase it (Edit)." : ""));
  fill($("readings"), ...parse.readings.map(renderReading));
  renderFigures(feedback.lf);
}

function renderReading(r) {
  const verdict = el("span", "badge " + (r.verdict === "kept" ? "ok" : "bad"), r.verdict);
  const li = el("li", null, el("span", "paraphrase", r.paraphrase), " ", verdict,
    el("span", "muted", ` votes on ${r.votes} (${pct(r.coverage)})`));
  if (r.reason) li.append(el("div", "reason", r.reason));
  if (r.skipped.length) li.append(el("div", "muted", "skipped: " + r.skipped.map((m) => m.text).join(", ")));
  if (r.quoted.length) li.append(el("div", "muted", "read as quoted: " + r.quoted.join(", ")));
  if (r.respelled.length) {
    const pairs = r.respelled.map(([written, meant]) => `'${written}' as '${meant}'`);
    li.append(el("div", "muted", "read misspelt words: " + pairs.join(", ")));
  }
  const details = el("details", null, el("summary", null, "logical form"), el("code", null, r.logical_form));
  li.append(details);
  return li;
}

function stat(term, value, hint) {
  const dd = el("dd", null, value);
  if (hint) dd.append(el("span", "muted", " " + hint));
  return [el("dt", null, term), dd];
}

function renderFigures(lf) {
  const figures = $("figures");
  $("sample-title").hidden = !lf;
  if (!lf) {
    fill(figures, el("p", "muted", "No LF survived: this explanation labels nothing yet."));
    fill($("sample"));
    return;
  }
  const dl = el("dl", "stats");
  dl.append(...stat("coverage", pct(lf.coverage), `(${lf.votes} candidates)`));
  dl.append(...stat("dev accuracy", pct(lf.dev_accuracy), lf.dev_votes ? `(${lf.dev_correct}/${lf.dev_votes})` : "(no dev vote)"));
  dl.append(...stat("conflicts", String(lf.conflicts),
    lf.conflicts_with.length ? "with " + lf.conflicts_with.map((c) => `${c.explanation} (${c.candidates})`).join(", ") : ""));
  dl.append(...stat("agrees with others on", String(lf.agreements)));
  dl.append(...stat("LFs", lf.lfs.join(", ")));
  fill(figures, dl);
  fill($("sample"), ...lf.sample.map((s) => {
    const marks = entityMarks(s.entities).concat(
      s.firing.map((m) => ({ start: m.start, end: m.end, cls: "fire", title: "made it fire" })));
    const open = el("button", "link", s.id);
    open.type = "button";
    open.addEventListener("click", () => showCandidate(s.id, "from the sample"));
    return el("li", s.conflicts ? "conflicting" : null, marked(s.text, marks), " ",
      el("span", "badge", "→ " + s.vote), s.conflicts ? el("span", "badge bad", "conflicts") : null, " ", open);
  }));
}

function renderSummary(s) {
  const dl = $("summary");
  dl.replaceChildren(
    ...stat("explanations", String(s.explanations), `(${s.parsed} parsed)`),
    ...stat("LFs", String(s.lfs)),
    ...stat("coverage", pct(s.coverage), `of ${s.pool}`),
    ...stat("overlap", pct(s.overlap)),
    ...stat("conflict rate", pct(s.conflict)),
    ...stat("label model on dev", s.dev_score === null ? "–" : `${s.dev_metric} ${pct(s.dev_score)}`,
      s.dev_candidates ? `(${s.dev_candidates} candidates)` : "(no dev gold)"),
    ...stat("labels no LF votes", s.unvoted.length ? s.unvoted.join(", ") : "none",
      s.unvoted.length ? "(the end model could not learn them)" : ""),
  );
  const table = $("label-model");
  table.replaceChildren();
  if (!s.label_model.length) return;
  table.append(el("caption", null, "Label model's estimate of each LF's accuracy"));
  table.append(el("tr", null, el("th", null, "LF"), el("th", null, "label"), el("th", null, "estimated"),
    el("th", null, "dev"), el("th", null, "coverage")));
  for (const e of s.label_model) {
    table.append(el("tr", null, el("td", null, e.lf), el("td", null, e.label), el("td", "num", pct(e.estimated_accuracy)),
      el("td", "num", pct(e.dev_accuracy)), el("td", "num", pct(e.coverage))));
  }
}

function renderList(items) {
  const table = $("explanations");
  table.replaceChildren(el("tr", null, el("th", null, "name"), el("th", null, "label"), el("th", null, "explanation"),
    el("th", null, "coverage"), el("th", null, "dev"), el("th", null, "conflicts"), el("th", null, "")));
  for (const item of items) {
    const e = item.explanation;
    const text = el("td", "text", e.text);
    if (!e.parsed) text.append(el("div", "error", "not parsed: " + (e.not_understood.join(", ") || "rephrase")));
    const edit = el("button", null, "Edit");
    edit.type = "button";
    edit.addEventListener("click", () => startEdit(e));
    const remove = el("button", null, "Delete");
    remove.type = "button";
    remove.addEventListener("click", () => removeExplanation(e.name));
    table.append(el("tr", e.parsed ? null : "unparsed", el("td", "name", e.name), el("td", null, e.label), text,
      el("td", "num", item.lf ? pct(item.lf.coverage) : "–"), el("td", "num", item.lf ? pct(item.lf.dev_accuracy) : "–"),
      el("td", "num", item.lf ? String(item.lf.conflicts) : "–"), el("td", null, edit, remove)));
  }
}

// ------------------------------------------------------------------ actions

function pickLabel(name) {
  state.label = name;
  for (const button of $("labels").children) {
    const on = button.dataset.label === name;
    button.classList.toggle("picked", on);
    button.setAttribute("aria-checked", on ? "true" : "false");
  }
  schedulePreview();
}

function updateCounter() {
  const max = state.task ? state.task.max_chars : 500;
  $("counter").textContent = `${$("text").value.length}/${max}`;
}

function schedulePreview() {
  clearTimeout(state.previewTimer);
  if (!state.candidate || !state.label || !$("text").value.trim()) return;
  state.previewTimer = setTimeout(preview, PREVIEW_DELAY_MS);
}

async function preview() {
  if (state.previewAbort) state.previewAbort.abort();
  state.previewAbort = new AbortController();
  const seq = ++state.previewSeq;
  try {
    const body = { ...payload(), replacing: state.editing };
    const feedback = await api("POST", "/api/preview", body, state.previewAbort.signal);
    if (seq === state.previewSeq) renderFeedback(feedback);
  } catch (error) {
    if (error.name !== "AbortError" && seq === state.previewSeq) status(error.message, "bad");
  }
}

function payload() {
  return { candidate_id: state.candidate.id, label: state.label, text: $("text").value };
}

async function save() {
  if (!state.candidate) return status("No candidate to explain.", "bad");
  if (!state.label) return status("Pick a label first (keys 1–9).", "bad");
  if (!$("text").value.trim()) return status("Write why first.", "bad");
  clearTimeout(state.previewTimer);
  state.previewSeq++; // a late preview must not overwrite the saved feedback
  status("Saving…");
  try {
    const body = payload();
    const feedback = state.editing
      ? await api("PUT", "/api/explanations/" + encodeURIComponent(state.editing), { label: body.label, text: body.text })
      : await api("POST", "/api/explanations", body);
    renderFeedback(feedback);
    if (feedback.summary) renderSummary(feedback.summary);
    status(`Saved ${feedback.explanation.name} (${feedback.elapsed_ms.toFixed(0)} ms).`, "ok");
    stopEdit();
    $("text").value = "";
    updateCounter();
    await refreshList();
    await showCandidate(state.candidate.id, $("reason").textContent);
  } catch (error) {
    status(error.message, "bad");
  }
}

async function showCandidate(id, reason) {
  try {
    renderCandidate(await api("GET", "/api/candidates/" + encodeURIComponent(id)), reason);
  } catch (error) {
    status(error.message, "bad");
  }
}

async function next() {
  const params = new URLSearchParams({ strategy: $("strategy").value });
  if (state.candidate) params.set("after", state.candidate.id);
  try {
    const suggestion = await api("GET", "/api/next?" + params);
    stopEdit();
    renderCandidate(suggestion.candidate, suggestion.candidate ? `${suggestion.reason} · ${suggestion.remaining} left` : suggestion.reason);
    $("feedback-panel").hidden = true;
    status("");
  } catch (error) {
    status(error.message, "bad");
  }
}

async function startEdit(record) {
  state.editing = record.name;
  $("form-title").textContent = "Editing " + record.name;
  $("cancel").hidden = false;
  if (record.candidate_id) await showCandidate(record.candidate_id, "explained by " + record.name);
  $("text").value = record.text;
  updateCounter();
  pickLabel(record.label);
  $("text").focus();
}

function stopEdit() {
  state.editing = null;
  $("form-title").textContent = "Label and explanation";
  $("cancel").hidden = true;
}

async function removeExplanation(name) {
  if (!window.confirm(`Delete ${name}? Its line is removed from the explanations file.`)) return;
  try {
    renderSummary(await api("DELETE", "/api/explanations/" + encodeURIComponent(name)));
    if (state.editing === name) stopEdit();
    await refreshList();
    status(`Deleted ${name}.`, "ok");
  } catch (error) {
    status(error.message, "bad");
  }
}

async function refreshList() {
  renderList(await api("GET", "/api/explanations"));
}

// ------------------------------------------------------------------ keyboard

function onKey(event) {
  const typing = event.target === $("text");
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    save();
  } else if (event.key === "Escape") {
    if (state.editing) stopEdit();
    $("text").blur();
  } else if (typing) {
    if (event.altKey && LABEL_KEYS.includes(event.key)) {
      event.preventDefault();
      pickByKey(event.key);
    } else if (event.altKey && event.key.toLowerCase() === "n") {
      event.preventDefault();
      next();
    }
  } else if (event.target.tagName !== "SELECT" && !event.ctrlKey && !event.metaKey && !event.altKey) {
    if (LABEL_KEYS.includes(event.key)) pickByKey(event.key);
    else if (event.key === "n") next();
    else if (event.key === "e" || event.key === "/") {
      event.preventDefault();
      $("text").focus();
    }
  }
}

function pickByKey(key) {
  const name = state.task.labels[LABEL_KEYS.indexOf(key)];
  if (name !== undefined) pickLabel(name);
}

function showStrategyHelp() {
  // the selected option's title says what the strategy proposes (textContent: never markup)
  $("strategy-help").textContent = "Next proposes: " + $("strategy").selectedOptions[0].title;
}

// ------------------------------------------------------------------ start

async function start() {
  $("text").addEventListener("input", () => {
    updateCounter();
    schedulePreview();
  });
  $("submit").addEventListener("click", save);
  $("next").addEventListener("click", next);
  $("cancel").addEventListener("click", stopEdit);
  $("strategy").addEventListener("change", () => {
    showStrategyHelp();
    state.candidate = null;
    next();
  });
  showStrategyHelp();
  document.addEventListener("keydown", onKey);
  try {
    state.task = await api("GET", "/api/task");
    renderTask(state.task);
    updateCounter();
    renderSummary(await api("GET", "/api/summary"));
    await refreshList();
    const linked = /^#candidate=(.+)$/.exec(window.location.hash);
    if (linked) await showCandidate(decodeURIComponent(linked[1]), "opened by its link");
    else await next();
  } catch (error) {
    status(error.message, "bad");
  }
}

document.addEventListener("DOMContentLoaded", start);
