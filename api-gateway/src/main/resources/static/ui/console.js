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

// The gateway cannot be reached (stopped, network down): htmx could not send a request, so nothing on the page changes
// by itself. Say so above the page until a request gets through again (the running query's panel asks again on its
// own every poll interval).
var UNREACHABLE = "The gateway cannot be reached. What is shown stays as it was; the console tries again on its own"
    + " and on your next action.";

document.addEventListener("htmx:sendError", function () {
  var banner = document.getElementById("gateway-unreachable");
  if (!banner) {
    banner = document.createElement("p");
    banner.id = "gateway-unreachable";
    banner.className = "warning";
    banner.setAttribute("role", "alert");
    banner.textContent = UNREACHABLE;
    var main = document.querySelector("main") || document.body;
    main.insertBefore(banner, main.firstChild);
  }
});

document.addEventListener("htmx:afterRequest", function (event) {
  var xhr = event.detail.xhr;
  var banner = document.getElementById("gateway-unreachable");
  if (banner && xhr && xhr.status > 0) {
    banner.remove();
  }
});
