// peaceops exercises: every practice question answered in the page, with no kernel and no
// network, and a learning record kept in the browser (localStorage) and restored on reload.
// Markup: src/peaceops/exercises/web.py (the page contract of
// shared/notes/web-exercise-contract.md). The judging rules mirror the exercise widgets.
(function () {
  "use strict";

  // -- the learning record -------------------------------------------------------------
  var STORE = "peaceops-record";
  var INTERVALS = [0, 1, 3, 7, 14, 30]; // days until the next review, by box

  function today() { return new Date().toISOString().slice(0, 10); }
  function addDays(iso, days) {
    var d = new Date(iso + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
  }
  function fresh() { return { format: "peaceops-record", version: 1, questions: {} }; }
  function valid(record) {
    return record && record.format === "peaceops-record" && record.version === 1 &&
      typeof record.questions === "object" && !Array.isArray(record.questions);
  }
  function load() {
    try {
      var record = JSON.parse(window.localStorage.getItem(STORE) || "null");
      return valid(record) ? record : fresh();
    } catch (e) { return fresh(); }
  }
  function save(record) {
    try { window.localStorage.setItem(STORE, JSON.stringify(record)); return true; }
    catch (e) { return false; }
  }
  function entry(record, id) {
    if (!record.questions[id]) {
      // revealed: the answer was shown since the last Check; shown: it was ever shown
      record.questions[id] = { result: null, state: null, attempts: 0, revealed: false,
        shown: false, first: null, box: 0, due: null, updated: null };
    }
    return record.questions[id];
  }
  // Change one question's entry of the stored record, then tell the page.
  function change(id, edit) {
    var record = load();
    edit(entry(record, id));
    save(record);
    notify();
  }
  // A Check with a verdict: count the attempt and space the next review.
  function noteCheck(id, result, state) {
    change(id, function (e) {
      e.state = state;
      e.result = result;
      e.updated = new Date().toISOString();
      if (result === "right" || result === "wrong") {
        e.attempts += 1;
        if (e.first === null) { e.first = result; }
        // right: one box up (from the first box if the answer was shown); wrong: back to 0
        e.box = result !== "right" ? 0 : e.revealed ? 1 : Math.min(e.box + 1, INTERVALS.length - 1);
        e.due = addDays(today(), INTERVALS[e.box]);
        e.revealed = false;
      }
    });
  }
  function noteReveal(id) {
    change(id, function (e) {
      e.revealed = true;
      e.shown = true;
      e.box = 0;
      e.due = today();
      e.updated = new Date().toISOString();
    });
  }
  function noteRetry(id) {
    change(id, function (e) {
      e.state = null;
      e.result = null;
    });
  }
  function notify() {
    document.dispatchEvent(new CustomEvent("peaceops:record"));
  }

  // Exported for the Progress page, the tests and an LMS bridge.
  window.peaceopsRecord = {
    load: load,
    save: save,
    reset: function () { save(fresh()); notify(); },
    exportText: function () { return JSON.stringify(load(), null, 1); },
    importText: function (text) {
      var record;
      try { record = JSON.parse(text); } catch (e) {
        throw new Error("this file is not a peaceops record (it is not JSON)");
      }
      if (!valid(record)) {
        throw new Error("this file is not a peaceops record (export one from the Progress page)");
      }
      save(record);
      notify();
      return Object.keys(record.questions).length;
    },
  };

  // -- reading and writing the inputs ------------------------------------------------------
  function all(el, selector) { return Array.prototype.slice.call(el.querySelectorAll(selector)); }

  function readState(q) {
    var el = q.el, t = q.key.type;
    if (t === "single") {
      var on = el.querySelector("input[type=radio]:checked");
      return on ? on.value : null;
    }
    if (t === "multiple") {
      return all(el, "input[type=checkbox]:checked").map(function (i) { return i.value; });
    }
    if (t === "matching" || t === "ordering") {
      var chosen = {};
      all(el, "select").forEach(function (s) { chosen[s.getAttribute("data-item")] = s.value; });
      return chosen;
    }
    if (t === "numeric" || t === "date") { return el.querySelector(".pq-entry").value; }
    if (t === "data") {
      return { filter: el.querySelector(".pq-filter").value, from: el.querySelector(".pq-from").value,
        to: el.querySelector(".pq-to").value, answer: el.querySelector(".pq-entry").value };
    }
    var scheme = el.querySelector(".pq-scheme");
    return { text: el.querySelector("textarea").value, marking: !scheme.hidden,
      marks: all(scheme, "input:checked").map(function (i) { return Number(i.value); }) };
  }

  function writeState(q, state) {
    var el = q.el, t = q.key.type;
    if (state === null || state === undefined) { return; }
    if (t === "single" || t === "multiple") {
      var picked = t === "single" ? [state] : state;
      all(el, "input").forEach(function (i) { i.checked = picked.indexOf(i.value) >= 0; });
    } else if (t === "matching" || t === "ordering") {
      all(el, "select").forEach(function (s) {
        var v = state[s.getAttribute("data-item")];
        if (v !== undefined) { s.value = v; }
      });
    } else if (t === "numeric" || t === "date") {
      el.querySelector(".pq-entry").value = state;
    } else if (t === "data") {
      el.querySelector(".pq-filter").value = state.filter;
      el.querySelector(".pq-from").value = state.from;
      el.querySelector(".pq-to").value = state.to;
      el.querySelector(".pq-entry").value = state.answer;
      explore(q);
    } else {
      el.querySelector("textarea").value = state.text;
      var scheme = el.querySelector(".pq-scheme");
      scheme.hidden = !state.marking;
      all(scheme, "input").forEach(function (i) { i.checked = state.marks.indexOf(Number(i.value)) >= 0; });
    }
  }

  function clearInputs(q) {
    var el = q.el;
    all(el, "input[type=radio], input[type=checkbox]").forEach(function (i) { i.checked = false; });
    all(el, "select").forEach(function (s) { s.selectedIndex = 0; });
    all(el, "input[type=text], textarea").forEach(function (i) { i.value = ""; });
    var scheme = el.querySelector(".pq-scheme");
    if (scheme) { scheme.hidden = true; }
    if (q.key.type === "data") {
      el.querySelector(".pq-from").value = el.querySelector(".pq-from").min;
      el.querySelector(".pq-to").value = el.querySelector(".pq-to").max;
      explore(q);
    }
  }

  // -- judging: the same rules as the exercise widgets ----------------------------------
  function verdict(result, title, body) { return { result: result, title: title, body: body }; }
  function notYet(text) { return verdict("incomplete", "Not yet:", text); }
  function right(key) { return verdict("right", "\u2713 Right.", key.explanation); }
  function wrong(text) {
    return verdict("wrong", "\u2717 Not quite.", text + " Try again, or show the answer.");
  }
  function parseNumber(text) {
    var cleaned = String(text).replace(/[,\s_]/g, "");
    return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(cleaned) ? Number(cleaned) : NaN;
  }
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  function judgeDate(key, text) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || isNaN(Date.parse(text + "T00:00:00Z")) ||
        new Date(text + "T00:00:00Z").toISOString().slice(0, 10) !== text) {
      return notYet("'" + text + "' is not a date: write it as YYYY-MM-DD, e.g. 1999-06-10.");
    }
    var off, unit;
    if (key.precision === "year" || key.precision === "month") {
      off = (Number(text.slice(0, 4)) - Number(key.answer.slice(0, 4))) *
        (key.precision === "year" ? 1 : 12);
      if (key.precision === "month") { off += Number(text.slice(5, 7)) - Number(key.answer.slice(5, 7)); }
      unit = key.precision;
      if (off === 0) { return right(key); }
    } else {
      off = Math.round((Date.parse(text + "T00:00:00Z") - Date.parse(key.answer + "T00:00:00Z")) / 86400000);
      unit = "day";
      if (Math.abs(off) <= key.tolerance) { return right(key); }
    }
    return wrong("That is " + plural(Math.abs(off), unit) + " too " + (off > 0 ? "late" : "early") + ".");
  }

  function judge(q, state) {
    var key = q.key, t = key.type;
    if (t === "single") {
      if (state === null) { return notYet("choose one of the options first."); }
      if (key.decision) { // a scenario's decision point: every choice has its consequence
        var consequence = (key.feedback[state] || "") + " ";
        return state === key.answer
          ? verdict("right", "\u2713 A sound decision.", consequence + key.explanation)
          : wrong(consequence);
      }
      return state === key.answer ? right(key) : wrong(key.feedback[state] || "");
    }
    if (t === "multiple") {
      if (!state.length) { return notYet("tick every option you think is right (at least one)."); }
      var extra = state.filter(function (o) { return key.answer.indexOf(o) < 0; });
      var missed = key.answer.filter(function (o) { return state.indexOf(o) < 0; });
      if (!extra.length && !missed.length) { return right(key); }
      var notes = extra.map(function (o) { return "\u201c" + o + "\u201d: " + (key.feedback[o] || ""); });
      if (missed.length) {
        notes.push(missed.length === 1 ? "One right option is not ticked yet."
          : missed.length + " right options are not ticked yet.");
      }
      return wrong(notes.join(" "));
    }
    if (t === "matching") {
      var lefts = Object.keys(key.pairs);
      if (lefts.some(function (l) { return !state[l]; })) {
        return notYet("match every item on the left before checking.");
      }
      var bad = lefts.filter(function (l) { return state[l] !== key.pairs[l]; });
      return bad.length ? wrong(bad.length + " of " + lefts.length + " pairs are wrong: " +
        bad.join("; ") + ".") : right(key);
    }
    if (t === "ordering") {
      var items = key.items, numbers = items.map(function (i) { return state[i]; });
      if (numbers.some(function (n) { return !n; })) { return notYet("give every event a position number."); }
      if (new Set(numbers).size !== numbers.length) {
        return notYet("each position number can be used only once.");
      }
      var order = items.slice().sort(function (a, b) { return Number(state[a]) - Number(state[b]); });
      var misplaced = order.filter(function (item, n) { return item !== items[n]; }).length;
      return misplaced ? wrong(misplaced + " of " + items.length + " events are out of place.") : right(key);
    }
    if (t === "numeric") {
      var text = state.trim();
      if (!text) { return notYet("type your answer in the box first."); }
      var value = parseNumber(text);
      if (isNaN(value)) { return notYet("'" + text + "' is not a number: type digits only, e.g. 32."); }
      if (Math.abs(value - key.answer) <= key.tolerance) { return right(key); }
      return wrong(value > key.answer ? "Too high." : "Too low.");
    }
    if (t === "date") {
      if (!state.trim()) { return notYet("type your answer in the box first."); }
      return judgeDate(key, state.trim());
    }
    if (t === "data") {
      var typed = state.answer.trim();
      if (!typed) { return notYet("use the filters above, then type the number of rows."); }
      var count = parseNumber(typed);
      if (isNaN(count)) { return notYet("'" + typed + "' is not a number: type digits only, e.g. 7."); }
      if (count === key.answer) { return right(key); }
      return wrong((count > key.answer ? "Too high." : "Too low.") + " Check both filters against the question.");
    }
    // written: the learner marks the answer with the mark scheme
    var words = state.text.trim().split(/\s+/).filter(Boolean).length;
    if (!words) { return notYet("write your answer in the box first."); }
    if (!state.marking) {
      return notYet("mark your " + plural(words, "word") + " answer yourself: tick what it does in " +
        "the mark scheme below, then Check again.");
    }
    var points = state.marks.reduce(function (sum, n) { return sum + key.scheme[n][0]; }, 0);
    var summary = "You gave your answer " + points + " of " + key.marks + " points. ";
    if (2 * points >= key.marks) {
      return verdict("right", "\u2713 Self-marked: at least half the marks.",
        summary + "Show the answer to compare it with a model answer.");
    }
    return wrong(summary + "Show the answer to compare it with a model answer, then rewrite yours.");
  }

  function answerText(key) {
    var t = key.type;
    if (t === "single") { return key.answer; }
    if (t === "multiple") { return key.answer.join("; "); }
    if (t === "matching") {
      return Object.keys(key.pairs).map(function (l) { return l + " \u2192 " + key.pairs[l]; }).join("; ");
    }
    if (t === "ordering") { return key.items.join(" \u2192 "); }
    if (t === "numeric") { return String(key.answer) + (key.unit ? " " + key.unit : ""); }
    if (t === "data") {
      var where = Object.keys(key.where).map(function (k) { return k + " = " + key.where[k]; }).join(", ");
      return key.answer + " rows (" + where + (key.years.length ? ", " + key.years.join("-") : "") + ")";
    }
    if (t === "written") {
      return "Mark scheme: " + key.scheme.map(function (c) { return c[1] + " (" + plural(c[0], "point") + ")"; }).join("; ");
    }
    return String(key.answer);
  }

  // -- showing ---------------------------------------------------------------------------
  function show(q, kind, title, body) {
    var out = q.el.querySelector(".pq-feedback");
    out.innerHTML = "";
    var box = document.createElement("div");
    box.className = "pq-fb pq-fb-" + kind;
    var strong = document.createElement("strong");
    strong.textContent = title + " ";
    box.appendChild(strong);
    box.appendChild(document.createTextNode(body));
    out.appendChild(box);
  }

  function check(q) {
    var state = readState(q);
    var v = judge(q, state);
    if (q.key.type === "written" && !state.marking && state.text.trim()) {
      q.el.querySelector(".pq-scheme").hidden = false; // the next Check marks the answer
    }
    q.el.setAttribute("data-result", v.result);
    show(q, v.result, v.title, v.body);
    noteCheck(q.key.id, v.result, state);
  }

  // -- data exploration ------------------------------------------------------------------
  function explore(q) {
    var el = q.el, key = q.key, rows = (window.peaceopsTables || {})[key.table] || [];
    var value = el.querySelector(".pq-filter").value;
    var from = Number(el.querySelector(".pq-from").value), to = Number(el.querySelector(".pq-to").value);
    var picked = rows.filter(function (r) {
      var year = Number(String(r[key.date]).slice(0, 4));
      return (!value || r[key.filter] === value) && year >= from && year <= to;
    });
    el.querySelector(".pq-count").textContent = plural(picked.length, "row") + " selected.";
    var columns = rows.length ? Object.keys(rows[0]) : [];
    var table = document.createElement("table");
    var head = table.createTHead().insertRow();
    columns.forEach(function (c) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = c;
      head.appendChild(th);
    });
    var body = table.createTBody();
    picked.forEach(function (r) {
      var tr = body.insertRow();
      columns.forEach(function (c) { tr.insertCell().textContent = r[c] === null ? "" : r[c]; });
    });
    var holder = el.querySelector(".pq-table");
    holder.innerHTML = "";
    holder.appendChild(table);
  }


  // -- the Progress page -----------------------------------------------------------------
  function element(tag, text, attrs) {
    var el = document.createElement(tag);
    if (text !== undefined && text !== null) { el.textContent = text; }
    Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    return el;
  }

  function reviewList(manifest, record) {
    var now = today(), missed = [], due = [], later = [];
    manifest.chapters.forEach(function (chapter) {
      chapter.questions.forEach(function (question) {
        var e = record.questions[question.id];
        if (!e || (!e.attempts && !e.revealed)) { return; }
        var item = { chapter: chapter, question: question, entry: e };
        if (e.result === "wrong" || e.revealed) {
          missed.push(item);
        } else if (e.due && e.due <= now) {
          due.push(item);
        } else if (e.due) {
          later.push(item);
        }
      });
    });
    var byDue = function (a, b) { return (a.entry.due || "").localeCompare(b.entry.due || ""); };
    return { missed: missed, due: due.sort(byDue), later: later.sort(byDue) };
  }

  function link(item) {
    var li = element("li");
    var a = element("a", item.question.prompt, { href: item.chapter.url + "#pq-" + item.question.id });
    li.appendChild(a);
    li.appendChild(document.createTextNode(" (" + item.chapter.title + ")"));
    return li;
  }

  function renderProgress(root) {
    var manifest = JSON.parse(root.querySelector("script.pq-manifest").textContent);
    var view = root.querySelector(".pq-progress-view");
    var record = load(), total = 0, answered = 0, good = 0;
    view.innerHTML = "";
    var table = element("table", null, { class: "pq-progress-table" });
    table.appendChild(element("caption", "Your practice, chapter by chapter"));
    var head = table.createTHead().insertRow();
    ["Chapter", "Answered", "Right", "Exercises"].forEach(function (h) {
      head.appendChild(element("th", h, { scope: "col" }));
    });
    var body = table.createTBody();
    manifest.chapters.forEach(function (chapter) {
      var n = chapter.questions.length, a = 0, r = 0;
      chapter.questions.forEach(function (question) {
        var e = record.questions[question.id];
        if (e && (e.attempts || e.revealed)) { a += 1; }
        if (e && e.result === "right") { r += 1; }
      });
      total += n; answered += a; good += r;
      var row = body.insertRow();
      row.setAttribute("data-chapter", chapter.id);
      row.appendChild(element("th", chapter.title, { scope: "row" }));
      row.insertCell().textContent = a + " of " + n;
      row.insertCell().textContent = r + " of " + n;
      var cell = row.insertCell();
      cell.appendChild(element("a", "Practise", { href: chapter.url, "aria-label": "Practise: " + chapter.title }));
    });
    view.appendChild(element("p", "You have answered " + answered + " of " + total +
      " practice questions; " + good + " are right now.", { class: "pq-progress-summary" }));
    var wrapper = element("div", null, { class: "pq-table", role: "region", tabindex: "0",
      "aria-label": "Progress by chapter" });
    wrapper.appendChild(table);
    view.appendChild(wrapper);
    var review = reviewList(manifest, record);
    view.appendChild(element("h2", "To review"));
    if (!review.missed.length && !review.due.length) {
      view.appendChild(element("p", answered ? "Nothing to review today." +
        (review.later.length ? " Your next review is due on " + review.later[0].entry.due + "." : "")
        : "Answer some questions first: they come back here when it is time to review them."));
    }
    if (review.missed.length) {
      view.appendChild(element("h3", "Missed (review these first)"));
      var missed = element("ol", null, { class: "pq-review-missed" });
      review.missed.forEach(function (item) { missed.appendChild(link(item)); });
      view.appendChild(missed);
    }
    if (review.due.length) {
      view.appendChild(element("h3", "Due today (answered right before; spaced over days)"));
      var due = element("ol", null, { class: "pq-review-due" });
      review.due.forEach(function (item) { due.appendChild(link(item)); });
      view.appendChild(due);
    }
  }

  function status(root, text) { root.querySelector(".pq-progress-status").textContent = text; }

  window.peaceopsProgress = function (root) {
    renderProgress(root);
    document.addEventListener("peaceops:record", function () { renderProgress(root); });
    root.querySelector(".pq-export").addEventListener("click", function () {
      var blob = new Blob([window.peaceopsRecord.exportText()], { type: "application/json" });
      var a = element("a", null, { href: URL.createObjectURL(blob),
        download: "peaceops-record-" + today() + ".json" });
      document.body.appendChild(a);
      a.click();
      a.remove();
      status(root, "Your record was saved as a file.");
    });
    root.querySelector(".pq-import").addEventListener("change", function (event) {
      var file = event.target.files[0];
      if (!file) { return; }
      file.text().then(function (text) {
        try {
          var n = window.peaceopsRecord.importText(text);
          status(root, "Imported a record of " + plural(n, "question") + ".");
        } catch (e) {
          status(root, "Not imported: " + e.message + ". Your record is unchanged.");
        }
        event.target.value = "";
      });
    });
    var confirmBox = root.querySelector(".pq-reset-confirm");
    root.querySelector(".pq-reset").addEventListener("click", function () { confirmBox.hidden = false; });
    root.querySelector(".pq-reset-no").addEventListener("click", function () { confirmBox.hidden = true; });
    root.querySelector(".pq-reset-yes").addEventListener("click", function () {
      window.peaceopsRecord.reset();
      confirmBox.hidden = true;
      status(root, "Your record was erased from this browser.");
    });
  };

  // -- setting up each question ----------------------------------------------------------
  function setUp(el) {
    var q = { el: el, key: JSON.parse(el.querySelector(".pq-key").textContent) };
    var form = el.querySelector("form");
    form.addEventListener("submit", function (event) { event.preventDefault(); check(q); });
    el.querySelector(".pq-reveal").addEventListener("click", function () {
      show(q, "answer", "Answer: " + answerText(q.key) + ".", q.key.explanation);
      noteReveal(q.key.id);
    });
    el.querySelector(".pq-retry").addEventListener("click", function () {
      clearInputs(q);
      el.querySelector(".pq-feedback").innerHTML = "";
      el.removeAttribute("data-result");
      noteRetry(q.key.id);
    });
    if (q.key.type === "data") {
      all(el, ".pq-filter, .pq-from, .pq-to").forEach(function (i) {
        i.addEventListener("input", function () { explore(q); });
        i.addEventListener("change", function () { explore(q); });
      });
      explore(q);
    }
    var saved = load().questions[q.key.id];
    if (saved && saved.state !== null && saved.result) {
      writeState(q, saved.state);
      var v = judge(q, saved.state);
      el.setAttribute("data-result", v.result);
      show(q, v.result, v.title, v.body);
    }
  }

  function init() {
    window.peaceopsTables = {};
    all(document, "script.pq-tables").forEach(function (script) {
      Object.assign(window.peaceopsTables, JSON.parse(script.textContent));
    });
    all(document, "[data-question-id]").forEach(setUp);
    if (document.getElementById("peaceops-progress") && window.peaceopsProgress) {
      window.peaceopsProgress(document.getElementById("peaceops-progress"));
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
