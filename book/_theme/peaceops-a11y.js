/* peaceops: wide tables say that they scroll, and can be scrolled with the keyboard.

   The theme puts every table of a page in a .pst-scrollable-table-container that scrolls
   sideways when the table is wider than the column (on a phone, most tables are). Such a
   container gets, while it overflows:
   - role="region", an aria-label ("Table: <caption or section title>, scrolls sideways")
     and tabindex="0", so a keyboard user can focus it and scroll it with the arrow keys
     (axe: scrollable-region-focusable);
   - data-overflow = "start" | "middle" | "end" (where the reader is), which peaceops.css
     uses to fade the edge that has more to show;
   - a visible hint just before it ("Scroll sideways to see the whole table").
   A table that fits loses all of this again (checked on load and on every resize). */
(function () {
  "use strict";

  var CONTAINER = ".bd-article .pst-scrollable-table-container";
  var HINT = "peaceops-scroll-hint";

  function text(element) {
    var copy = element.cloneNode(true);
    copy.querySelectorAll(".headerlink, .caption-number").forEach(function (e) {
      e.remove();
    });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  function tableName(box) {
    var caption = box.querySelector("caption");
    if (caption && text(caption)) {
      return "Table: " + text(caption);
    }
    var section = box.closest("section");
    var heading = section && section.querySelector("h1, h2, h3, h4, h5, h6");
    return heading ? "Table: " + text(heading) : "Table";
  }

  function hintFor(box) {
    var previous = box.previousElementSibling;
    return previous && previous.classList.contains(HINT) ? previous : null;
  }

  function update(box) {
    var wide = box.scrollWidth > box.clientWidth + 1;
    if (!wide) {
      if (box.dataset.overflow) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
        delete box.dataset.overflow;
        var old = hintFor(box);
        if (old) {
          old.remove();
        }
      }
      return;
    }
    if (!box.dataset.overflow) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", tableName(box) + ", scrolls sideways");
      var hint = document.createElement("p");
      hint.className = HINT;
      hint.setAttribute("aria-hidden", "true");
      hint.textContent = "Scroll sideways to see the whole table \u2192";
      box.parentNode.insertBefore(hint, box);
    }
    var atStart = box.scrollLeft <= 1;
    var atEnd = box.scrollLeft + box.clientWidth >= box.scrollWidth - 1;
    box.dataset.overflow = atStart ? "start" : atEnd ? "end" : "middle";
  }

  function updateAll() {
    document.querySelectorAll(CONTAINER).forEach(update);
  }

  function start() {
    document.querySelectorAll(CONTAINER).forEach(function (box) {
      box.addEventListener("scroll", function () {
        update(box);
      }, { passive: true });
    });
    updateAll();
    var pending = null;
    window.addEventListener("resize", function () {
      window.cancelAnimationFrame(pending);
      pending = window.requestAnimationFrame(updateAll);
    });
    // Fonts and images change widths after the first layout.
    window.addEventListener("load", updateAll);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
