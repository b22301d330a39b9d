// peaceops self-checks: check an answer in the page, with no kernel and no network.
// Each .peaceops-selfcheck holds its question's key (from the question bank) as JSON.
(function () {
  "use strict";

  function box(kind, title, text) {
    var div = document.createElement("div");
    div.className = "pq-" + kind;
    var strong = document.createElement("strong");
    strong.textContent = title + " ";
    div.appendChild(strong);
    div.appendChild(document.createTextNode(text));
    return div;
  }

  function show(block, kind, title, text) {
    var out = block.querySelector(".pq-feedback");
    out.innerHTML = "";
    out.appendChild(box(kind, title, text));
  }

  function chosen(block) {
    return Array.prototype.filter
      .call(block.querySelectorAll("input[type=radio], input[type=checkbox]"), function (i) {
        return i.checked;
      })
      .map(function (i) { return i.value; });
  }

  function judge(block, key) {
    if (key.type === "single" || key.type === "multiple") {
      var picked = chosen(block);
      if (picked.length === 0) {
        return ["hint", "Not yet:", key.type === "single"
          ? "choose one of the options first."
          : "tick every option you think is right (at least one)."];
      }
      var right = key.type === "single" ? [key.answer] : key.answer;
      var wrong = picked.filter(function (p) { return right.indexOf(p) < 0; });
      var missed = right.filter(function (r) { return picked.indexOf(r) < 0; });
      if (!wrong.length && !missed.length) { return ["right", "Right.", key.explanation]; }
      var notes = wrong.concat(key.type === "multiple" ? missed : []).map(function (o) {
        return o + ": " + (key.feedback[o] || "");
      });
      return ["wrong", "Not quite.", notes.join(" ") + " Try again, or show the answer."];
    }
    var text = block.querySelector("input[type=text]").value.trim();
    if (!text) { return ["hint", "Not yet:", "type your answer in the box first."]; }
    if (key.type === "date") {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || isNaN(Date.parse(text))) {
        return ["hint", "Not yet:", "'" + text + "' is not a date: write it as YYYY-MM-DD."];
      }
      // the same rule as peaceops.bank.dates.judge_date: to the day, the month or the year
      var off, unit;
      if (key.precision === "year" || key.precision === "month") {
        off = (Number(text.slice(0, 4)) - Number(key.answer.slice(0, 4))) *
          (key.precision === "year" ? 1 : 12);
        if (key.precision === "month") {
          off += Number(text.slice(5, 7)) - Number(key.answer.slice(5, 7));
        }
        unit = key.precision;
        if (off === 0) { return ["right", "Right.", key.explanation]; }
      } else {
        off = Math.round((Date.parse(text) - Date.parse(key.answer)) / 86400000);
        unit = "day";
        if (Math.abs(off) <= key.tolerance) { return ["right", "Right.", key.explanation]; }
      }
      return ["wrong", "Not quite.", "That is " + Math.abs(off) + " " + unit +
        (Math.abs(off) === 1 ? "" : "s") + " too " + (off > 0 ? "late" : "early") +
        ". Try again, or show the answer."];
    }
    var value = Number(text.replace(/[,\s_]/g, ""));
    if (isNaN(value)) {
      return ["hint", "Not yet:", "'" + text + "' is not a number: type digits only."];
    }
    if (Math.abs(value - key.answer) <= key.tolerance) {
      return ["right", "Right.", key.explanation];
    }
    return ["wrong", "Not quite.", (value > key.answer ? "Too high." : "Too low.") +
      " Try again, or show the answer."];
  }

  function answerText(key) {
    if (key.type === "multiple") { return key.answer.join("; "); }
    if (key.type === "numeric") { return String(key.answer) + (key.unit ? " " + key.unit : ""); }
    return String(key.answer);
  }

  function setUp(block) {
    var key = JSON.parse(block.getAttribute("data-question"));
    block.querySelector(".pq-check").addEventListener("click", function () {
      var verdict = judge(block, key);
      show(block, verdict[0], verdict[1], verdict[2]);
    });
    block.querySelector(".pq-reveal").addEventListener("click", function () {
      show(block, "answer", "Answer: " + answerText(key) + ".", key.explanation);
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".peaceops-selfcheck"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
