// The console's own behaviour; htmx does the rest. No inline script anywhere: the pages' Content-Security-Policy
// allows scripts from this origin's files only.
"use strict";

document.addEventListener("htmx:beforeRequest", function (event) {
  // A new search clears the drill-downs of the previous one; a drill-down to series clears the instances shown.
  var source = event.detail.elt;
  if (source.id === "search-form") {
    clear("series-answer");
    clear("instances-answer");
  } else if (source.classList && source.classList.contains("drill")
      && source.getAttribute("hx-target") === "#series-answer") {
    clear("instances-answer");
  }
});

function clear(id) {
  var element = document.getElementById(id);
  if (element) {
    element.replaceChildren();
  }
}
