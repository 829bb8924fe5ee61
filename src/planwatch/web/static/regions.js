// The region search box (many regions): suggest names from /api/regions?q=… as the user types, and
// show the page of a name once it is picked. Listeners sit on the document, so a box swapped in by
// htmx works too. Text submitted with Enter goes to the server as typed, with or without this script:
// the page of the one region it names, or the list of those whose names contain it (web/pages.py).
(function () {
  "use strict";

  var LIMIT = 20;
  var WAIT_MS = 150;
  var timers = new WeakMap();
  var asked = new WeakMap(); // the latest query of each box: older answers are dropped
  var shown = new WeakMap(); // the name each box last showed (a pick fires input, then change)

  function isPicker(el) {
    return el instanceof HTMLInputElement && el.hasAttribute("data-region-picker");
  }

  function listOf(input) {
    return input.list || document.getElementById(input.getAttribute("list"));
  }

  function offered(input) {
    var list = listOf(input);
    if (!list) { return false; }
    return Array.prototype.some.call(list.options, function (o) { return o.value === input.value; });
  }

  function fill(input, names) {
    var list = listOf(input);
    if (!list) { return; }
    var options = names.map(function (name) {
      var option = document.createElement("option");
      option.value = name;
      return option;
    });
    list.replaceChildren.apply(list, options);
  }

  function suggest(input) {
    var q = input.value.trim();
    asked.set(input, q);
    var url = input.dataset.src + "?" + new URLSearchParams({ q: q, limit: String(LIMIT) }).toString();
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) {
        if (asked.get(input) === q) {
          fill(input, data.choices || []);
        }
      })
      .catch(function () { /* suggestions are a help: the typed name can still be submitted */ });
  }

  // Show the page of the box's name: through htmx (the form's change trigger), else a plain submit.
  function show(input) {
    var form = input.form;
    if (!form || !input.value.trim() || shown.get(input) === input.value) { return; }
    shown.set(input, input.value);
    if (window.htmx) {
      htmx.trigger(form, "change");
    } else if (form.requestSubmit) {
      form.requestSubmit();
    } else {
      form.submit();
    }
  }

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!isPicker(input)) { return; }
    // A name chosen from the list arrives whole (not typed): show its page at once.
    var typed = event.inputType && event.inputType !== "insertReplacementText";
    if (!typed && offered(input)) {
      show(input);
      return;
    }
    clearTimeout(timers.get(input));
    timers.set(input, setTimeout(function () { suggest(input); }, WAIT_MS));
  });

  // A half-typed name must not reach the form's htmx change trigger (it would ask for an unknown
  // region); a whole name that the list offers does.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!isPicker(input)) { return; }
    event.stopPropagation();
    if (offered(input)) { show(input); }
  }, true);
})();
