// Accessibility fixes for Swagger UI at /docs (WCAG 2.1 AA, checked by tests/test_accessibility.py).
// Swagger UI re-renders with React, so the fixes are re-applied whenever the page changes.
"use strict";
(function () {
  function fix() {
    // a link inside the operation's toggle button is an interactive control nested in another: keep its text
    document.querySelectorAll(".opblock-summary-control a.nostyle").forEach(function (a) {
      const span = document.createElement("span");
      span.className = a.className; span.textContent = a.textContent;
      a.replaceWith(span);
    });
    // a parameter's select (true/false, enums) is named after its parameter
    document.querySelectorAll("tr[data-param-name] select:not([aria-label])").forEach(function (s) {
      const row = s.closest("tr[data-param-name]");
      s.setAttribute("aria-label", row.getAttribute("data-param-name"));
    });
    document.querySelectorAll(".parameters-col_description input:not([aria-label])").forEach(function (i) {
      const row = i.closest("tr[data-param-name]");
      if (row) i.setAttribute("aria-label", row.getAttribute("data-param-name"));
    });
  }
  let queued = false;
  new MutationObserver(function () {
    if (queued) return;
    queued = true;
    requestAnimationFrame(function () { queued = false; fix(); });
  }).observe(document.documentElement, {childList: true, subtree: true});
  fix();
})();
