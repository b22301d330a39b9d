// peaceops SCORM bridge: the launch page of one SCO (a chapter page and its exercise page)
// in a SCORM 1.2 or 2004 package written by `peaceops package scorm`
// (src/peaceops/book/scorm.py). It is loaded by the package's launch pages only (scorm/*.html);
// the pages of the site are unchanged and keep the learning record in the browser.
//
// The launch page finds the LMS's API (API for 1.2, API_1484_11 for 2004) by the standard's
// search up the window.parent chain, then the opener's; initialises it; restores the SCO's
// entries of the learning record from suspend_data (before the chapter page opens, so the
// page shows the restored answers); opens the chapter page in a frame; and after every Check
// (the document event "peaceops:record") reports completion, the self-check score and the
// record's entries for this SCO as suspend_data, and commits. Outside an LMS it only opens
// the page: the record stays in the browser, as on the web site.
// Requires peaceops-exercises.js (window.peaceopsRecord) loaded before it.
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("peaceops-sco").textContent);
  var V12 = config.version === "1.2";
  var CALLS = V12
    ? { name: "API", init: "LMSInitialize", get: "LMSGetValue", set: "LMSSetValue",
        commit: "LMSCommit", finish: "LMSFinish", tries: 7 }
    : { name: "API_1484_11", init: "Initialize", get: "GetValue", set: "SetValue",
        commit: "Commit", finish: "Terminate", tries: 500 };
  var CMI = V12
    ? { status: "cmi.core.lesson_status", raw: "cmi.core.score.raw", min: "cmi.core.score.min",
        max: "cmi.core.score.max", learner: "cmi.core.student_id", location: "cmi.core.lesson_location",
        exit: "cmi.core.exit", time: "cmi.core.session_time" }
    : { status: "cmi.completion_status", raw: "cmi.score.raw", min: "cmi.score.min",
        max: "cmi.score.max", scaled: "cmi.score.scaled", progress: "cmi.progress_measure",
        learner: "cmi.learner_id", location: "cmi.location", exit: "cmi.exit", time: "cmi.session_time" };
  var SUSPEND = "cmi.suspend_data";
  var LIMIT = config.limit || (V12 ? 4096 : 64000); // characters of suspend_data
  var LEARNER = "peaceops-scorm-learner"; // whose record the browser holds (localStorage)
  var ids = config.questions;
  var api = null, sent = {}, dirty = false, started = Date.now(), finished = false;

  // -- finding the API: up the parent chain, then the opener's (the standard's algorithm) --
  function scan(win) {
    for (var tries = 0; win && tries <= CALLS.tries; tries += 1) {
      try {
        if (win[CALLS.name]) { return win[CALLS.name]; }
      } catch (e) { /* a window of another origin: look further up */ }
      if (!win.parent || win.parent === win) { break; }
      win = win.parent;
    }
    return null;
  }
  function findApi() {
    var found = scan(window);
    try {
      if (!found && window.opener) { found = scan(window.opener); }
      if (!found && window.top && window.top.opener) { found = scan(window.top.opener); }
    } catch (e) { /* an opener of another origin */ }
    return found;
  }

  function get(element) { return String(api[CALLS.get](element) || ""); }
  function set(element, value) {
    value = String(value);
    if (sent[element] === value) { return false; }
    sent[element] = value;
    api[CALLS.set](element, value);
    dirty = true;
    return true;
  }
  function commit() {
    dirty = false;
    api[CALLS.commit]("");
  }

  // -- suspend_data: this SCO's entries of the learning record, compact ---------------------
  var RESULTS = { right: "r", wrong: "w", incomplete: "i" };
  var NAMES = { r: "right", w: "wrong", i: "incomplete" };
  function pack(e) {
    return [RESULTS[e.result] || 0, e.state === undefined ? null : e.state, e.attempts || 0,
      (e.revealed ? 1 : 0) + (e.shown ? 2 : 0), RESULTS[e.first] || 0, e.box || 0, e.due || 0,
      e.updated || 0];
  }
  function unpack(a) {
    return { result: NAMES[a[0]] || null, state: a[1], attempts: a[2], revealed: !!(a[3] & 1),
      shown: !!(a[3] & 2), first: NAMES[a[4]] || null, box: a[5], due: a[6] || null,
      updated: a[7] || null };
  }
  function encode(record) {
    var packed = {};
    ids.forEach(function (id) {
      if (record.questions[id]) { packed[id] = pack(record.questions[id]); }
    });
    var text = JSON.stringify({ v: 1, q: packed });
    // Too long (long written answers): drop the longest answers first; verdicts stay.
    while (text.length > LIMIT) {
      var longest = null, size = 0;
      Object.keys(packed).forEach(function (id) {
        var n = packed[id][1] === null ? 0 : JSON.stringify(packed[id][1]).length;
        if (n > size) { longest = id; size = n; }
      });
      if (longest === null) { break; }
      packed[longest][1] = null;
      text = JSON.stringify({ v: 1, q: packed });
    }
    return text;
  }
  function decode(text) {
    try {
      var data = JSON.parse(text);
      if (!data || data.v !== 1 || typeof data.q !== "object") { return {}; }
      var entries = {};
      Object.keys(data.q).forEach(function (id) {
        if (ids.indexOf(id) >= 0 && Array.isArray(data.q[id])) { entries[id] = unpack(data.q[id]); }
      });
      return entries;
    } catch (e) { return {}; }
  }

  // On launch: the browser's record is this learner's only (another learner's is cleared);
  // for each question of the SCO the newer of the LMS's entry and the browser's wins.
  function restore() {
    var record = window.peaceopsRecord.load(), learner = get(CMI.learner);
    var owner = null;
    try { owner = window.localStorage.getItem(LEARNER); } catch (e) { /* no storage */ }
    if (owner !== learner) {
      record = { format: "peaceops-record", version: 1, questions: {} };
      try { window.localStorage.setItem(LEARNER, learner); } catch (e) { /* no storage */ }
    }
    var saved = decode(get(SUSPEND));
    Object.keys(saved).forEach(function (id) {
      var mine = record.questions[id];
      if (!mine || String(mine.updated || "") < String(saved[id].updated || "")) {
        record.questions[id] = saved[id];
      }
    });
    window.peaceopsRecord.save(record);
  }

  // -- reporting -----------------------------------------------------------------------
  function report() {
    if (!api || finished) { return; }
    var record = window.peaceopsRecord.load(), answered = 0, right = 0, n = ids.length;
    ids.forEach(function (id) {
      var e = record.questions[id];
      if (e && (e.attempts || e.revealed)) { answered += 1; }
      if (e && e.result === "right") { right += 1; }
    });
    set(CMI.status, answered === n ? "completed" : "incomplete");
    if (n && answered) {
      // raw as a percentage (SCORM 1.2 RTE: "a normalized value between 0 and 100")
      set(CMI.min, 0);
      set(CMI.max, 100);
      set(CMI.raw, Math.round(100 * right / n));
      if (!V12) { set(CMI.scaled, (right / n).toFixed(4)); }
    }
    if (!V12) { set(CMI.progress, (n ? answered / n : 1).toFixed(4)); }
    set(SUSPEND, encode(record));
    if (dirty) { commit(); }
  }

  function sessionTime() {
    var s = Math.max(0, Math.round((Date.now() - started) / 1000));
    var h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, sec = s % 60;
    if (!V12) { return "PT" + h + "H" + m + "M" + sec + "S"; }
    function two(x) { return (x < 10 ? "0" : "") + x; }
    return (h < 1000 ? ("000" + h).slice(-4) : String(h)) + ":" + two(m) + ":" + two(sec);
  }

  function finish() {
    if (!api || finished) { return; }
    report();
    set(CMI.exit, "suspend"); // the learner may come back: keep suspend_data
    set(CMI.time, sessionTime());
    commit();
    finished = true;
    api[CALLS.finish]("");
  }

  // -- the chapter page in a frame -------------------------------------------------------
  function pageInPackage(location) {
    // a bookmark is one of the site's pages, relative to this launch page
    return /^\.\.\/[A-Za-z0-9_\-./]+\.html(#[A-Za-z0-9_\-]*)?$/.test(location) &&
      location.indexOf("..", 3) < 0;
  }

  function open() {
    var frame = document.getElementById("peaceops-frame");
    var start = config.start;
    if (api) {
      var bookmark = get(CMI.location);
      if (bookmark && pageInPackage(bookmark)) { start = bookmark; }
    }
    frame.addEventListener("load", function () {
      var doc;
      try { doc = frame.contentDocument; } catch (e) { doc = null; }
      if (!doc || !api) { return; }
      doc.addEventListener("peaceops:record", report);
      try {
        var here = frame.contentWindow.location.pathname, base = window.location.pathname;
        var up = base.slice(0, base.lastIndexOf("/scorm/") + 1);
        if (here.indexOf(up) === 0) { set(CMI.location, "../" + here.slice(up.length)); }
      } catch (e) { /* not a page of the package */ }
      report();
    });
    frame.src = start;
  }

  api = findApi();
  if (api) {
    if (String(api[CALLS.init]("")) !== "true") { api = null; }
  }
  if (api) {
    restore();
    report();
    window.addEventListener("storage", report); // the record changed in another page
    window.addEventListener("pagehide", finish);
    window.addEventListener("beforeunload", finish);
  }
  window.peaceopsScorm = { api: function () { return api; }, report: report, finish: finish };
  open();
})();
