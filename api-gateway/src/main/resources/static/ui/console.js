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

// A "Copy" button copies the value of the field its data-copy-target names (the new API key, shown once).
document.addEventListener("click", function (event) {
  var button = event.target.closest ? event.target.closest("button[data-copy-target]") : null;
  if (!button) {
    return;
  }
  var field = document.getElementById(button.getAttribute("data-copy-target"));
  var state = document.getElementById("copy-state");
  function say(text) {
    if (state) {
      state.textContent = text;
    }
  }
  if (!field) {
    return;
  }
  if (!navigator.clipboard) {
    field.select();
    say("Selected: press Ctrl+C to copy.");
    return;
  }
  navigator.clipboard.writeText(field.value).then(function () {
    say("Copied.");
  }, function () {
    field.select();
    say("Not copied by the browser: the key is selected, press Ctrl+C.");
  });
});
