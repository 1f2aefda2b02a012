// Keeps a keyboard or screen-reader user where they acted when htmx swaps part of a page
// (WCAG 2.4.3, focus order; docs/accessibility.md#focus-after-a-partial-update).
//
// htmx keeps focus itself when the focused element has an id and comes back in the new content
// (a search box above its results). When the focused element is gone (the "Remove" button of
// the row just removed, the button of a form that came back with errors), the browser drops
// focus to the top of the page and the person must find their place again. So after each swap:
// the element that had focus, found again by its id; else the first field the server marked
// invalid; else the swapped region's message (role="alert" or "status"); else its first heading;
// else the region itself.
(function () {
  "use strict";

  var FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]";
  var lost = null;

  function focusOn(element) {
    if (!element.matches(FOCUSABLE)) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus();
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var active = document.activeElement;
    var target = event.detail.target;
    lost = null;
    if (active && active !== document.body && target && target.contains(active)) {
      lost = { id: active.id, target: target, targetId: target.id };
    }
  });

  document.addEventListener("htmx:afterSettle", function () {
    if (!lost) {
      return;
    }
    var was = lost;
    lost = null;
    var active = document.activeElement;
    if (active && active !== document.body && document.contains(active)) {
      return; // htmx kept it, or the person has moved on
    }
    // An outerHTML swap replaces the region itself: find the new one by its id.
    var region = document.contains(was.target)
      ? was.target
      : was.targetId && document.getElementById(was.targetId);
    var again = was.id ? document.getElementById(was.id) : null;
    var next =
      again ||
      (region &&
        (region.querySelector('[aria-invalid="true"]') ||
          region.querySelector('[role="alert"], [role="status"]') ||
          region.querySelector("h1, h2, h3, h4"))) ||
      region;
    if (next) {
      focusOn(next);
    }
  });
})();
